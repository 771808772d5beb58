#include "engine/models/deepseek_v4/compressor.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "base/check.h"
#include "engine/backend/cpu/matmul.h"
#include "engine/backend/cpu/vector_ops.h"
#include "engine/tensor/float_formats.h"

namespace fathom::engine::deepseek_v4 {
namespace {

// Per channel, Σ softmax(score) · kv over the slots of the closing window.
std::vector<float> Pool(const CompressorState& state) {
  const int64_t ratio = state.ratio, head_dim = state.head_dim, width = state.width();
  std::vector<float> pooled(static_cast<size_t>(head_dim));
  std::vector<float> scores, values;
  for (int64_t channel = 0; channel < head_dim; ++channel) {
    scores.clear();
    values.clear();
    if (state.overlap) {
      for (int64_t slot = 0; slot < ratio; ++slot) {
        scores.push_back(state.previous_score[slot * head_dim + channel]);
        values.push_back(state.previous_kv[slot * head_dim + channel]);
      }
    }
    int64_t series = state.overlap ? head_dim : 0;  // CSA: this window's second series
    for (int64_t slot = 0; slot < ratio; ++slot) {
      scores.push_back(state.window_score[slot * width + series + channel]);
      values.push_back(state.window_kv[slot * width + series + channel]);
    }
    cpu::Softmax(scores);
    float sum = 0.0f;
    for (size_t i = 0; i < scores.size(); ++i) sum += scores[i] * values[i];
    pooled[channel] = sum;
  }
  return pooled;
}

// Keeps the closing window's first series for the next entry's overlap slots.
void CarryOverlap(CompressorState& state) {
  const int64_t head_dim = state.head_dim, width = state.width();
  for (int64_t slot = 0; slot < state.ratio; ++slot) {
    std::copy_n(state.window_kv.begin() + slot * width, head_dim,
                state.previous_kv.begin() + slot * head_dim);
    std::copy_n(state.window_score.begin() + slot * width, head_dim,
                state.previous_score.begin() + slot * head_dim);
  }
}

void FinishEntry(const CompressorContext& context, std::span<float> entry, int64_t position) {
  if (context.numerics.bf16_activations) cpu::RoundToBf16InPlace(entry);
  cpu::RmsNorm(entry, context.weights.norm, context.norm_eps);
  if (context.numerics.bf16_activations) cpu::RoundToBf16InPlace(entry);
  context.rope.Apply(entry, position);
  if (context.numerics.bf16_activations) cpu::RoundToBf16InPlace(entry);
  if (context.rounding == EntryRounding::kKvFp8) {
    if (context.numerics.kv_fp8_simulation) {
      cpu::RoundThroughFp8Blocks(entry.first(entry.size() - context.rope_dim), 64);
    }
  } else if (context.numerics.indexer_fp4_simulation) {
    RoundIndexerVector(entry, context.numerics.bf16_activations);
  }
}

}  // namespace

void CompressorAccept(const CompressorContext& context, CompressorState& state, int64_t position,
                      std::span<const float> kv, std::span<const float> gate) {
  const int64_t width = state.width(), slot = position % state.ratio;
  FATHOM_CHECK(static_cast<int64_t>(kv.size()) == width) << "compressor input width";
  const float* bias = context.weights.position_bias.data() + slot * width;
  for (int64_t i = 0; i < width; ++i) {
    state.window_kv[slot * width + i] = kv[i];
    state.window_score[slot * width + i] = gate[i] + bias[i];
  }
  if (slot != state.ratio - 1) return;
  std::vector<float> entry = Pool(state);
  if (state.overlap) CarryOverlap(state);
  FinishEntry(context, entry, position + 1 - state.ratio);
  state.entries.insert(state.entries.end(), entry.begin(), entry.end());
}

void HadamardTransform(std::span<float> values) {
  const size_t size = values.size();
  FATHOM_CHECK(size > 0 && (size & (size - 1)) == 0) << "Hadamard size " << size;
  for (size_t half = 1; half < size; half *= 2) {
    for (size_t block = 0; block < size; block += 2 * half) {
      for (size_t i = block; i < block + half; ++i) {
        float a = values[i], b = values[i + half];
        values[i] = a + b;
        values[i + half] = a - b;
      }
    }
  }
  float scale = 1.0f / std::sqrt(static_cast<float>(size));
  for (float& value : values) value *= scale;
}

void RoundThroughFp4Blocks(std::span<float> values, int64_t block) {
  for (size_t begin = 0; begin < values.size(); begin += static_cast<size_t>(block)) {
    size_t end = std::min(values.size(), begin + static_cast<size_t>(block));
    float amax = 0.0f;
    for (size_t i = begin; i < end; ++i) amax = std::max(amax, std::fabs(values[i]));
    if (amax == 0.0f) continue;
    float scale = std::exp2(std::ceil(std::log2(amax / 6.0f)));
    for (size_t i = begin; i < end; ++i) values[i] = RoundToFp4E2M1(values[i] / scale) * scale;
  }
}

void RoundIndexerVector(std::span<float> values, bool bf16_activations) {
  HadamardTransform(values);
  if (bf16_activations) cpu::RoundToBf16InPlace(values);
  RoundThroughFp4Blocks(values, 32);
}

}  // namespace fathom::engine::deepseek_v4
