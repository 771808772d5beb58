#include "engine/backend/cpu/matmul.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "base/check.h"
#include "engine/backend/cpu/dot_kernels.h"
#include "engine/tensor/float_formats.h"

namespace fathom::engine::cpu {
namespace {

constexpr size_t kChunksPerThread = 4;

}  // namespace

void RoundThroughFp8Blocks(std::span<float> values, int64_t block) {
  for (size_t begin = 0; begin < values.size(); begin += static_cast<size_t>(block)) {
    size_t end = std::min(values.size(), begin + static_cast<size_t>(block));
    float amax = 0.0f;
    for (size_t i = begin; i < end; ++i) amax = std::max(amax, std::fabs(values[i]));
    float scale = std::exp2(std::ceil(std::log2(std::max(amax, 1e-4f) / 448.0f)));
    for (size_t i = begin; i < end; ++i) values[i] = RoundToFp8E4M3(values[i] / scale) * scale;
  }
}

void MatMul(const LinearWeight& weight, std::span<const float> input, int64_t tokens,
            std::span<float> output, base::ThreadPool* pool, const MatMulOptions& options) {
  const int64_t rows = weight.rows(), cols = weight.cols();
  FATHOM_CHECK(static_cast<int64_t>(input.size()) == tokens * cols) << "matmul input size";
  FATHOM_CHECK(static_cast<int64_t>(output.size()) == tokens * rows) << "matmul output size";
  std::vector<float> quantized;
  const float* x = input.data();
  bool quantize =
      options.quantize_activations_fp8 && (weight.format() == WeightFormat::kFp8Block128 ||
                                           weight.format() == WeightFormat::kFp4Block32);
  if (quantize) {
    quantized.assign(input.begin(), input.end());
    for (int64_t t = 0; t < tokens; ++t) {
      RoundThroughFp8Blocks(std::span<float>(quantized).subspan(t * cols, cols), 128);
    }
    x = quantized.data();
  }
  const DotKernels& kernels = BestDotKernels();
  DotFunction dot = kernels.For(weight.format());
  const DotGroup group = kernels.GroupFor(weight.format());
  auto body = [&](size_t row_begin, size_t row_end) {
    size_t row = row_begin;
    float outputs[kMaxGroupRows];
    for (; group.function != nullptr && row + group.rows <= row_end; row += group.rows) {
      for (int64_t t = 0; t < tokens; ++t) {
        group.function(weight, static_cast<int64_t>(row), x + t * cols, outputs);
        std::copy_n(outputs, group.rows, output.begin() + t * rows + row);
      }
    }
    for (; row < row_end; ++row) {
      for (int64_t t = 0; t < tokens; ++t) {
        output[t * rows + row] = dot(weight, static_cast<int64_t>(row), x + t * cols);
      }
    }
  };
  if (pool == nullptr || rows * cols * tokens < (1 << 16)) {
    body(0, static_cast<size_t>(rows));
    return;
  }
  // Whole row groups per chunk, several chunks per thread.
  const size_t group_rows = static_cast<size_t>(group.function != nullptr ? group.rows : 1);
  const size_t groups = (static_cast<size_t>(rows) + group_rows - 1) / group_rows;
  pool->ParallelFor(
      0, groups,
      [&](size_t group_begin, size_t group_end) {
        body(group_begin * group_rows, std::min(group_end * group_rows, static_cast<size_t>(rows)));
      },
      kChunksPerThread * pool->size());
}

}  // namespace fathom::engine::cpu
