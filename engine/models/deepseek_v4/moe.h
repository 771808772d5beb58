// The DeepSeek-V4 mixture of experts over a chunk of tokens: hash routing (a fixed token → experts
// table) or score routing (sqrt-softplus, bias-corrected top-k with ties to the lower expert),
// routing weights normalised and scaled, clamped SwiGLU experts with the weight applied before the
// down projection, plus the shared expert. Each token's expert outputs are summed in ascending
// expert order, whatever the chunk, so results are batch-invariant. Stateless.
#pragma once

#include <cstdint>
#include <span>

#include "engine/models/deepseek_v4/layer_context.h"
#include "engine/models/deepseek_v4/model_weights.h"

namespace fathom::engine::deepseek_v4 {

// input [tokens × hidden] (normed), token_ids [tokens]; output [tokens × hidden].
void MoeForward(const LayerContext& context, const MoeWeights& weights,
                std::span<const int32_t> token_ids, std::span<const float> input, int64_t tokens,
                std::span<float> output);

}  // namespace fathom::engine::deepseek_v4
