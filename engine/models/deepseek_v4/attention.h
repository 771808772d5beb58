// One DeepSeek-V4 attention sublayer over a chunk of tokens: low-rank queries with per-head
// norm, one shared K=V head, interleaved RoPE, sliding window + compressed entries (all of HCA's,
// the indexer's top-k of CSA's) in one softmax with per-head sinks, de-rotation and the grouped
// output projection. Tokens are attended in order against the LayerState, so a chunk of any size
// gives the same result as one token at a time.
#pragma once

#include <cstdint>
#include <span>

#include "engine/kv_cache/sequence_state.h"
#include "engine/models/deepseek_v4/layer_context.h"
#include "engine/models/deepseek_v4/model_weights.h"

namespace fathom::engine::deepseek_v4 {

// A fresh (empty) state for `layer`.
LayerState NewLayerState(const DeepSeekV4Config& config, int64_t layer);

// input [tokens × hidden] (normed sublayer input) at positions start..start+tokens-1;
// output [tokens × hidden]. Advances `state` by the chunk.
void AttentionForward(const LayerContext& context, const AttentionWeights& weights,
                      LayerState& state, int64_t start, std::span<const float> input,
                      int64_t tokens, std::span<float> output);

}  // namespace fathom::engine::deepseek_v4
