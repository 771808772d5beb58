// The KV compressor of CSA/HCA layers and of the lightning indexer: gated pooling of every
// `ratio` tokens into one entry (per channel, softmax of gate + position bias over the window;
// CSA pools 2·ratio slots: the previous window's first series and this window's second), then
// RMS norm, RoPE at the window's first position, and the QAT rounding of the cache. Operates on
// a CompressorState owned by the caller; stateless otherwise.
#pragma once

#include <cstdint>
#include <span>

#include "engine/kv_cache/sequence_state.h"
#include "engine/models/deepseek_v4/model_weights.h"
#include "engine/models/deepseek_v4/numerics.h"
#include "engine/models/deepseek_v4/rope.h"

namespace fathom::engine::deepseek_v4 {

// How an emitted entry is rounded for the cache: FP8 on the non-RoPE dims (the attention's
// compressor) or Hadamard + FP4 on all dims (the indexer's).
enum class EntryRounding { kKvFp8, kIndexerFp4 };

struct CompressorContext {
  const CompressorWeights& weights;
  const Rope& rope;
  const NumericsOptions& numerics;
  EntryRounding rounding;
  int64_t rope_dim;
  float norm_eps;
};

// Feeds the token at `position` (its kv and gate projections, `width` floats each). When the
// token closes a window, appends the finished entry to state.entries.
void CompressorAccept(const CompressorContext& context, CompressorState& state, int64_t position,
                      std::span<const float> kv, std::span<const float> gate);

// The normalised 2^k-point Walsh–Hadamard transform of `values` (size a power of two).
void HadamardTransform(std::span<float> values);

// Rounds `values` to the FP4 e2m1 grid in blocks of `block`, each with the power-of-two scale
// 2^ceil(log2(amax / 6)).
void RoundThroughFp4Blocks(std::span<float> values, int64_t block);

// The indexer's QAT rounding of a query or key: Hadamard (its output rounded to bf16 with bf16
// activations, as DeepSeek's bf16 transform does), then FP4 in blocks of 32.
void RoundIndexerVector(std::span<float> values, bool bf16_activations);

}  // namespace fathom::engine::deepseek_v4
