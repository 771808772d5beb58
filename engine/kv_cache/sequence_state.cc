#include "engine/kv_cache/sequence_state.h"

#include <limits>

namespace fathom::engine {

CompressorState::CompressorState(int64_t ratio_in, int64_t head_dim_in, bool overlap_in)
    : ratio(ratio_in),
      head_dim(head_dim_in),
      overlap(overlap_in),
      window_kv(static_cast<size_t>(ratio_in * width()), 0.0f),
      window_score(static_cast<size_t>(ratio_in * width()), 0.0f) {
  if (overlap) {
    previous_kv.assign(static_cast<size_t>(ratio * head_dim), 0.0f);
    previous_score.assign(static_cast<size_t>(ratio * head_dim),
                          -std::numeric_limits<float>::infinity());
  }
}

size_t SequenceState::Bytes() const {
  size_t floats = 0;
  for (const LayerState& layer : layers) {
    floats += layer.window.size();
    for (const auto* state : {&layer.compressor, &layer.indexer}) {
      if (!state->has_value()) continue;
      const CompressorState& compressor = **state;
      floats += compressor.window_kv.size() + compressor.window_score.size() +
                compressor.previous_kv.size() + compressor.previous_score.size() +
                compressor.entries.size();
    }
  }
  return floats * sizeof(float) + tokens.size() * sizeof(int32_t);
}

}  // namespace fathom::engine
