// Matrix products of the CPU backend: Y[T × rows] = X[T × cols] · Wᵀ for every LinearWeight
// format. Each output element is one dot product whose summation order depends only on `cols`,
// never on T or on the thread split, so prefill and decode give bit-identical results.
// Thread-safe: the pool (optional) spreads weight rows over its workers.
#pragma once

#include <cstdint>
#include <span>

#include "base/thread_pool.h"
#include "engine/backend/cpu/linear_weight.h"

namespace fathom::engine::cpu {

struct MatMulOptions {
  // DeepSeek's reference numerics: before an FP8/FP4 product, every 128 inputs are rounded to FP8
  // e4m3 with a power-of-two scale 2^ceil(log2(max(amax, 1e-4) / 448)).
  bool quantize_activations_fp8 = false;
};

void MatMul(const LinearWeight& weight, std::span<const float> input, int64_t tokens,
            std::span<float> output, base::ThreadPool* pool, const MatMulOptions& options = {});

// Rounds `values` in place through FP8 e4m3 in blocks of `block` elements, each with the
// power-of-two scale of the reference (the activation and KV-cache QAT simulation).
void RoundThroughFp8Blocks(std::span<float> values, int64_t block);

}  // namespace fathom::engine::cpu
