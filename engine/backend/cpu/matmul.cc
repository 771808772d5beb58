#include "engine/backend/cpu/matmul.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <vector>

#include "base/check.h"
#include "engine/tensor/float_formats.h"

namespace fathom::engine::cpu {
namespace {

constexpr int kLanes = 16;

struct Tables {
  std::array<float, 256> fp8;
  std::array<float, 16> fp4;
  std::array<float, 256> e8m0;
  Tables() {
    for (int i = 0; i < 256; ++i) {
      fp8[i] = Fp8E4M3ToFloat(static_cast<uint8_t>(i));
      e8m0[i] = E8M0ToFloat(static_cast<uint8_t>(i));
    }
    for (int i = 0; i < 16; ++i) fp4[i] = Fp4E2M1ToFloat(static_cast<uint8_t>(i));
  }
};

const Tables& LookupTables() {
  static const Tables tables;
  return tables;
}

// Sums `lanes` in a fixed tree order.
float ReduceLanes(const std::array<float, kLanes>& lanes) {
  std::array<float, kLanes> partial = lanes;
  for (int width = kLanes / 2; width > 0; width /= 2) {
    for (int i = 0; i < width; ++i) partial[i] += partial[i + width];
  }
  return partial[0];
}

// Σ weight(k) · x[k] over [begin, end) with kLanes independent accumulators.
template <typename Load>
float LaneDot(const float* x, int64_t begin, int64_t end, Load load) {
  std::array<float, kLanes> lanes{};
  int64_t k = begin;
  for (; k + kLanes <= end; k += kLanes) {
    for (int lane = 0; lane < kLanes; ++lane) lanes[lane] += load(k + lane) * x[k + lane];
  }
  for (int lane = 0; k < end; ++k, ++lane) lanes[lane] += load(k) * x[k];
  return ReduceLanes(lanes);
}

float DotF32(const LinearWeight& weight, int64_t row, const float* x) {
  const float* w = reinterpret_cast<const float*>(weight.Row(row));
  return LaneDot(x, 0, weight.cols(), [w](int64_t k) { return w[k]; });
}

float DotBf16(const LinearWeight& weight, int64_t row, const float* x) {
  const uint16_t* w = reinterpret_cast<const uint16_t*>(weight.Row(row));
  return LaneDot(x, 0, weight.cols(), [w](int64_t k) { return Bf16ToFloat(w[k]); });
}

float DotFp8(const LinearWeight& weight, int64_t row, const float* x) {
  const uint8_t* w = reinterpret_cast<const uint8_t*>(weight.Row(row));
  const Tables& tables = LookupTables();
  float sum = 0.0f;
  for (int64_t begin = 0; begin < weight.cols(); begin += 128) {
    int64_t end = std::min(begin + 128, weight.cols());
    float block = LaneDot(x, begin, end, [&](int64_t k) { return tables.fp8[w[k]]; });
    sum += block * tables.e8m0[weight.ScaleByte(row, begin)];
  }
  return sum;
}

float DotFp4(const LinearWeight& weight, int64_t row, const float* x) {
  const uint8_t* w = reinterpret_cast<const uint8_t*>(weight.Row(row));
  const Tables& tables = LookupTables();
  auto load = [&](int64_t k) { return tables.fp4[(w[k / 2] >> ((k & 1) * 4)) & 0xF]; };
  float sum = 0.0f;
  for (int64_t begin = 0; begin < weight.cols(); begin += 32) {
    float block = LaneDot(x, begin, begin + 32, load);
    sum += block * tables.e8m0[weight.ScaleByte(row, begin)];
  }
  return sum;
}

using DotFunction = float (*)(const LinearWeight&, int64_t, const float*);

DotFunction DotFor(WeightFormat format) {
  switch (format) {
    case WeightFormat::kF32:
      return DotF32;
    case WeightFormat::kBF16:
      return DotBf16;
    case WeightFormat::kFp8Block128:
      return DotFp8;
    case WeightFormat::kFp4Block32:
      return DotFp4;
  }
  return DotF32;
}

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
  DotFunction dot = DotFor(weight.format());
  auto body = [&](size_t row_begin, size_t row_end) {
    for (size_t row = row_begin; row < row_end; ++row) {
      for (int64_t t = 0; t < tokens; ++t) {
        output[t * rows + row] = dot(weight, static_cast<int64_t>(row), x + t * cols);
      }
    }
  };
  if (pool == nullptr || rows * cols * tokens < (1 << 16)) {
    body(0, static_cast<size_t>(rows));
  } else {
    pool->ParallelFor(0, static_cast<size_t>(rows), body);
  }
}

}  // namespace fathom::engine::cpu
