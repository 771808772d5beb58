// LayerContext: what every sublayer of one DeepSeek-V4 layer needs besides its weights and the
// sequence state: the config, the numerics, the thread pool and the RoPE tables. Borrowed
// references; lives for one forward call.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "base/thread_pool.h"
#include "engine/backend/cpu/matmul.h"
#include "engine/backend/cpu/vector_ops.h"
#include "engine/models/deepseek_v4/config.h"
#include "engine/models/deepseek_v4/numerics.h"
#include "engine/models/deepseek_v4/rope.h"

namespace fathom::engine::deepseek_v4 {

// A CSA query whose top-k selection had an exact tie at its boundary.
struct SelectionTie {
  int64_t layer;
  int64_t position;
};

struct LayerContext {
  const DeepSeekV4Config& config;
  const NumericsOptions& numerics;
  base::ThreadPool* pool;
  const Rope& layer_rope;     // main for sliding layers, compress for CSA/HCA
  const Rope& compress_rope;  // compressors and the indexer
  int64_t layer;
  std::vector<SelectionTie>* selection_ties = nullptr;  // optional diagnostics

  float eps() const { return static_cast<float>(config.rms_norm_eps); }

  // Rounds an activation to bf16 where the reference keeps activations in bf16.
  void Round(std::span<float> values) const {
    if (numerics.bf16_activations) cpu::RoundToBf16InPlace(values);
  }

  // Y[T × rows] = X[T × cols] · Wᵀ with the reference's activation quantisation, then Round.
  void Project(const cpu::LinearWeight& weight, std::span<const float> input, int64_t tokens,
               std::span<float> output) const {
    cpu::MatMul(weight, input, tokens, output, pool,
                {.quantize_activations_fp8 = numerics.fp8_activation_quantization});
    Round(output);
  }
};

}  // namespace fathom::engine::deepseek_v4
