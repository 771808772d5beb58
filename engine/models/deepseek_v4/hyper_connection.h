// Manifold-constrained hyper-connections (mHC): the n residual streams of every token are
// collapsed into one sublayer input (pre weights), and the sublayer output is expanded back and
// mixed with the streams (post weights and a Sinkhorn-normalised n×n matrix). Stateless functions
// over one token's streams; thread-safe.
#pragma once

#include <span>
#include <vector>

#include "engine/models/deepseek_v4/config.h"
#include "engine/models/deepseek_v4/model_weights.h"

namespace fathom::engine::deepseek_v4 {

// The post weights [n] and mixing matrix [n×n, row j = input stream] of one token at one site.
struct HyperMix {
  std::vector<float> post;
  std::vector<float> comb;
};

// Collapses `streams` [n × hidden] into `collapsed` [hidden] and returns the post/comb weights.
HyperMix HyperConnectionPre(const HyperConnectionWeights& weights, const DeepSeekV4Config& config,
                            std::span<const float> streams, std::span<float> collapsed);

// streams[k] ← post[k]·output + Σ_j comb[j][k]·streams[j].
void HyperConnectionPost(const HyperMix& mix, std::span<const float> output,
                         std::span<float> streams);

// The final collapse before the head norm: Σ_j (sigmoid(m_j·scale + base_j) + eps)·streams[j].
void HyperConnectionHead(const HyperConnectionWeights& weights, const DeepSeekV4Config& config,
                         std::span<const float> streams, std::span<float> collapsed);

}  // namespace fathom::engine::deepseek_v4
