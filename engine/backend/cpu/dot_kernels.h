// Dot products of one weight row with one activation row, per weight format, in a fixed order:
// 16 lane accumulators; within each scale block (128 columns for FP8, 32 for FP4) the products are
// accumulated per lane by fused multiply-adds, the block's lane sums are multiplied by its scale
// and added to the running lanes (one more fused multiply-add); the 16 lanes are reduced by a
// fixed tree at the end. The scalar, AVX2 and AVX-512 kernels follow this order exactly, so they
// give bit-identical results (for every FP8 code but the NaN codes, which weights never hold).
// Thread-safe.
#pragma once

#include <cstdint>

#include "engine/backend/cpu/linear_weight.h"

namespace fathom::engine::cpu {

using DotFunction = float (*)(const LinearWeight& weight, int64_t row, const float* x);
// Rows row..row+rows−1 at once (out[0..rows−1]), each with exactly the bits of DotFunction:
// independent accumulation chains hide the add latency one chain is bound by, and the activation
// loads are shared.
using DotGroupFunction = void (*)(const LinearWeight& weight, int64_t row, const float* x,
                                  float* out);
// The most rows any group kernel takes at once.
inline constexpr int kMaxGroupRows = 8;

struct DotGroup {
  DotGroupFunction function = nullptr;  // nullptr: only the one-row kernel exists
  int rows = 1;
};

struct DotKernels {
  const char* name;
  DotFunction f32;
  DotFunction bf16;
  DotFunction fp8;
  DotFunction fp4;
  DotGroup bf16_group;
  DotGroup fp8_group;
  DotGroup fp4_group;

  DotFunction For(WeightFormat format) const;
  DotGroup GroupFor(WeightFormat format) const;
};

const DotKernels& ScalarDotKernels();

// The AVX-512 kernels, or nullptr when this CPU lacks AVX-512 F, BW or VBMI.
const DotKernels* Avx512DotKernels();

// The AVX2 kernels, or nullptr when this CPU lacks AVX2, FMA or F16C (every AVX2 CPU has F16C).
const DotKernels* Avx2DotKernels();

// The fastest kernels this CPU runs (AVX-512 when present, else AVX2, else scalar).
const DotKernels& BestDotKernels();

// Value tables shared by the kernels.
struct DecodeTables {
  float fp8[256];   // e4m3 code → value
  float fp4[16];    // e2m1 code → value
  float e8m0[256];  // scale byte → 2^(byte − 127)
};
const DecodeTables& Tables();

// Sums 16 lanes by the fixed tree (i, i + 8), (i, i + 4), (i, i + 2), (0, 1).
float ReduceLanes(const float* lanes);

}  // namespace fathom::engine::cpu
