// NumericsOptions: where the forward pass rounds like DeepSeek's reference (bf16 activations,
// FP8 activation quantisation before FP8/FP4 products) and which QAT simulations it applies to
// cached state (FP8 rounding of KV entries, FP4 rounding of indexer queries and keys). All off
// computes in float32, as transformers' reference does; all on is the default for release
// (FP8/FP4) checkpoints. `bf16_rope_frequencies` reproduces transformers' RoPE buffers, which take
// the bf16 dtype of its checkpoints. Plain value type.
#pragma once

#include "engine/models/deepseek_v4/config.h"

namespace fathom::engine::deepseek_v4 {

struct NumericsOptions {
  bool bf16_activations = false;
  bool fp8_activation_quantization = false;
  bool kv_fp8_simulation = false;
  bool indexer_fp4_simulation = false;
  bool bf16_rope_frequencies = false;

  // QAT simulation on for release-format (FP8) checkpoints, off otherwise; bf16 RoPE frequencies
  // for transformers-format configs.
  static NumericsOptions ForConfig(const DeepSeekV4Config& config) {
    bool release = config.fp8_weights;
    return {release, release, release, release, config.transformers_format};
  }
};

}  // namespace fathom::engine::deepseek_v4
