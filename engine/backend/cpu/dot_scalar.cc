#include <algorithm>
#include <cmath>

#include "engine/backend/cpu/dot_kernels.h"
#include "engine/tensor/float_formats.h"

namespace fathom::engine::cpu {
namespace {

constexpr int kLanes = 16;

// lanes[l] += scale · Σ_{k ∈ [begin, end), k − begin ≡ l (mod 16)} load(k)·x[k], each step one
// fused multiply-add.
template <typename Load>
void AccumulateBlock(float* lanes, const float* x, int64_t begin, int64_t end, float scale,
                     Load load) {
  float block[kLanes] = {};
  int64_t k = begin;
  for (; k + kLanes <= end; k += kLanes) {
    for (int lane = 0; lane < kLanes; ++lane) {
      block[lane] = std::fma(load(k + lane), x[k + lane], block[lane]);
    }
  }
  for (int lane = 0; k < end; ++k, ++lane) block[lane] = std::fma(load(k), x[k], block[lane]);
  for (int lane = 0; lane < kLanes; ++lane) lanes[lane] = std::fma(block[lane], scale, lanes[lane]);
}

float DotF32(const LinearWeight& weight, int64_t row, const float* x) {
  const float* w = reinterpret_cast<const float*>(weight.Row(row));
  float lanes[kLanes] = {};
  AccumulateBlock(lanes, x, 0, weight.cols(), 1.0f, [w](int64_t k) { return w[k]; });
  return ReduceLanes(lanes);
}

float DotBf16(const LinearWeight& weight, int64_t row, const float* x) {
  const uint16_t* w = reinterpret_cast<const uint16_t*>(weight.Row(row));
  float lanes[kLanes] = {};
  AccumulateBlock(lanes, x, 0, weight.cols(), 1.0f, [w](int64_t k) { return Bf16ToFloat(w[k]); });
  return ReduceLanes(lanes);
}

float DotFp8(const LinearWeight& weight, int64_t row, const float* x) {
  const uint8_t* w = reinterpret_cast<const uint8_t*>(weight.Row(row));
  const uint8_t* scales = weight.ScaleRow(row);
  const DecodeTables& tables = Tables();
  float lanes[kLanes] = {};
  for (int64_t begin = 0; begin < weight.cols(); begin += 128) {
    AccumulateBlock(lanes, x, begin, std::min(begin + 128, weight.cols()),
                    tables.e8m0[scales[begin / 128]], [&](int64_t k) { return tables.fp8[w[k]]; });
  }
  return ReduceLanes(lanes);
}

float DotFp4(const LinearWeight& weight, int64_t row, const float* x) {
  const uint8_t* w = reinterpret_cast<const uint8_t*>(weight.Row(row));
  const uint8_t* scales = weight.ScaleRow(row);
  const DecodeTables& tables = Tables();
  auto load = [&](int64_t k) { return tables.fp4[(w[k / 2] >> ((k & 1) * 4)) & 0xF]; };
  float lanes[kLanes] = {};
  for (int64_t begin = 0; begin < weight.cols(); begin += 32) {
    AccumulateBlock(lanes, x, begin, begin + 32, tables.e8m0[scales[begin / 32]], load);
  }
  return ReduceLanes(lanes);
}

DecodeTables BuildTables() {
  DecodeTables tables;
  for (int i = 0; i < 256; ++i) {
    tables.fp8[i] = Fp8E4M3ToFloat(static_cast<uint8_t>(i));
    tables.e8m0[i] = E8M0ToFloat(static_cast<uint8_t>(i));
  }
  for (int i = 0; i < 16; ++i) tables.fp4[i] = Fp4E2M1ToFloat(static_cast<uint8_t>(i));
  return tables;
}

}  // namespace

const DecodeTables& Tables() {
  static const DecodeTables tables = BuildTables();
  return tables;
}

float ReduceLanes(const float* lanes) {
  float partial[kLanes];
  std::copy(lanes, lanes + kLanes, partial);
  for (int width = kLanes / 2; width > 0; width /= 2) {
    for (int i = 0; i < width; ++i) partial[i] += partial[i + width];
  }
  return partial[0];
}

DotFunction DotKernels::For(WeightFormat format) const {
  switch (format) {
    case WeightFormat::kF32:
      return f32;
    case WeightFormat::kBF16:
      return bf16;
    case WeightFormat::kFp8Block128:
      return fp8;
    case WeightFormat::kFp4Block32:
      return fp4;
  }
  return f32;
}

DotGroup DotKernels::GroupFor(WeightFormat format) const {
  switch (format) {
    case WeightFormat::kBF16:
      return bf16_group;
    case WeightFormat::kFp8Block128:
      return fp8_group;
    case WeightFormat::kFp4Block32:
      return fp4_group;
    case WeightFormat::kF32:
      return {};
  }
  return {};
}

const DotKernels& ScalarDotKernels() {
  static const DotKernels kernels{"scalar", DotF32, DotBf16, DotFp8, DotFp4, {}, {}, {}};
  return kernels;
}

const DotKernels& BestDotKernels() {
  static const DotKernels& best = Avx512DotKernels() != nullptr ? *Avx512DotKernels()
                                  : Avx2DotKernels() != nullptr ? *Avx2DotKernels()
                                                                : ScalarDotKernels();
  return best;
}

}  // namespace fathom::engine::cpu
