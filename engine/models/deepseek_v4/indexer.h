// The lightning indexer's selection for one query token of a CSA layer: score every visible
// compressed key as Σ_h w_h · ReLU(q_h · k) and keep the top-k, ordered by score descending with
// ties to the lower entry index (deterministic, as prefill, chunked prefill and decode must agree).
// Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/kv_cache/sequence_state.h"

namespace fathom::engine::deepseek_v4 {

struct IndexerQuery {
  std::span<const float> heads;         // [index_heads × index_head_dim], rotated (and rounded)
  std::span<const float> head_weights;  // [index_heads], already scaled
};

struct IndexerSelection {
  std::vector<int64_t> entries;  // by score descending, ties to the lower index
  // True when an entry left out scores exactly the same as the last one kept: references that
  // break ties another way legitimately select a different set.
  bool boundary_tie = false;
};

// Selects among keys' first `visible` entries at most `top_k` of them.
// With `bf16_scores` the per-head products, weighted terms and the sum are rounded to bf16 as in
// DeepSeek's code; otherwise everything is float32.
IndexerSelection IndexerSelect(const IndexerQuery& query, const CompressorState& keys,
                               int64_t visible, int64_t top_k, bool bf16_scores);

}  // namespace fathom::engine::deepseek_v4
