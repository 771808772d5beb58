// SequenceState: everything a DeepSeek-V4 forward pass remembers about one token sequence —
// per layer the sliding-window ring of K=V vectors, and for compressed layers the compressor's
// carry (the partly filled window, the previous window's overlap half) plus the emitted entries
// (and the same for the lightning indexer). A plain value: copying it is a snapshot, assigning
// one back restores it. Not thread-safe; one sequence is advanced by one caller at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace fathom::engine {

// A gated-pooling compressor's state: tokens of the open window and the entries emitted so far.
struct CompressorState {
  int64_t ratio = 0;
  int64_t head_dim = 0;
  bool overlap = false;
  std::vector<float> window_kv;     // [ratio × width], width = (1+overlap)·head_dim
  std::vector<float> window_score;  // gate + position bias, same shape
  std::vector<float>
      previous_kv;  // overlap only: last closed window's first half [ratio × head_dim]
  std::vector<float> previous_score;  // −inf until a window has closed
  std::vector<float> entries;         // emitted entries [count × head_dim]

  CompressorState() = default;
  CompressorState(int64_t ratio, int64_t head_dim, bool overlap);

  int64_t width() const { return (overlap ? 2 : 1) * head_dim; }
  int64_t count() const { return static_cast<int64_t>(entries.size()) / head_dim; }
  const float* Entry(int64_t index) const { return entries.data() + index * head_dim; }
};

struct LayerState {
  std::vector<float> window;                  // ring [window_size × head_dim], slot = pos % size
  std::optional<CompressorState> compressor;  // CSA and HCA layers
  std::optional<CompressorState> indexer;     // CSA layers
};

struct SequenceState {
  int64_t length = 0;           // tokens processed so far (the next token's position)
  std::vector<int32_t> tokens;  // the tokens processed, for prefix matching
  std::vector<LayerState> layers;

  // Bytes held by cached state (window rings, carries, entries).
  size_t Bytes() const;
};

}  // namespace fathom::engine
