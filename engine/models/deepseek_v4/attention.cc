#include "engine/models/deepseek_v4/attention.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "engine/models/deepseek_v4/compressor.h"
#include "engine/models/deepseek_v4/indexer.h"
#include "engine/tensor/float_formats.h"

namespace fathom::engine::deepseek_v4 {
namespace {

using Rows = std::vector<float>;

// Per-token projections of a chunk, computed for all rows before the sequential part.
struct ChunkProjections {
  Rows q_residual;                      // [T × q_lora_rank] after q_norm
  Rows queries;                         // [T × heads × head_dim] normed and rotated
  Rows kv;                              // [T × head_dim] normed, rotated, rounded
  Rows compressor_kv, compressor_gate;  // [T × width]
  Rows indexer_queries;                 // [T × index_heads × index_head_dim]
  Rows indexer_weights;                 // [T × index_heads]
  Rows indexer_kv, indexer_gate;        // [T × 2·index_head_dim]
};

// q ← q / sqrt(mean(q²) + eps). DeepSeek's code does this on a bf16 tensor, so with bf16
// activations every intermediate (squares, mean, rsqrt, product) is rounded to bf16 as well.
void NormalizeHead(const LayerContext& context, std::span<float> q) {
  if (!context.numerics.bf16_activations) {
    cpu::RmsNorm(q, {}, context.eps());
    return;
  }
  float sum = 0.0f;
  for (float value : q) sum += RoundToBf16(value * value);
  float mean = RoundToBf16(sum / static_cast<float>(q.size()));
  float scale = RoundToBf16(1.0f / std::sqrt(RoundToBf16(mean + context.eps())));
  for (float& value : q) value = RoundToBf16(value * scale);
}

void ProjectQueries(const LayerContext& context, const AttentionWeights& weights, int64_t start,
                    std::span<const float> input, int64_t tokens, ChunkProjections& chunk) {
  const DeepSeekV4Config& config = context.config;
  const int64_t rank = config.q_lora_rank, head_dim = config.head_dim;
  chunk.q_residual.resize(tokens * rank);
  context.Project(weights.q_down, input, tokens, chunk.q_residual);
  for (int64_t t = 0; t < tokens; ++t) {
    cpu::RmsNorm(std::span<float>(chunk.q_residual).subspan(t * rank, rank), weights.q_norm,
                 context.eps());
  }
  context.Round(chunk.q_residual);
  chunk.queries.resize(tokens * config.num_heads * head_dim);
  context.Project(weights.q_up, chunk.q_residual, tokens, chunk.queries);
  for (int64_t t = 0; t < tokens; ++t) {
    for (int64_t head = 0; head < config.num_heads; ++head) {
      auto q = std::span<float>(chunk.queries)
                   .subspan((t * config.num_heads + head) * head_dim, head_dim);
      NormalizeHead(context, q);
      context.layer_rope.Apply(q, start + t);
      context.Round(q);
    }
  }
}

void ProjectKv(const LayerContext& context, const AttentionWeights& weights, int64_t start,
               std::span<const float> input, int64_t tokens, ChunkProjections& chunk) {
  const int64_t head_dim = context.config.head_dim;
  chunk.kv.resize(tokens * head_dim);
  context.Project(weights.kv, input, tokens, chunk.kv);
  for (int64_t t = 0; t < tokens; ++t) {
    auto kv = std::span<float>(chunk.kv).subspan(t * head_dim, head_dim);
    cpu::RmsNorm(kv, weights.kv_norm, context.eps());
    context.Round(kv);
    context.layer_rope.Apply(kv, start + t);
    context.Round(kv);
    if (context.numerics.kv_fp8_simulation) {
      cpu::RoundThroughFp8Blocks(kv.first(head_dim - context.config.rope_head_dim), 64);
    }
  }
}

// The compressor's projections are float32 in the reference (its weights are bf16/f32).
void ProjectCompressor(const LayerContext& context, const CompressorWeights& weights,
                       std::span<const float> input, int64_t tokens, Rows& kv, Rows& gate) {
  const int64_t width = weights.kv.rows();
  kv.resize(tokens * width);
  gate.resize(tokens * width);
  cpu::MatMul(weights.kv, input, tokens, kv, context.pool);
  cpu::MatMul(weights.gate, input, tokens, gate, context.pool);
}

void ProjectIndexer(const LayerContext& context, const IndexerWeights& weights, int64_t start,
                    std::span<const float> input, int64_t tokens, ChunkProjections& chunk) {
  const DeepSeekV4Config& config = context.config;
  const int64_t heads = config.index_heads, head_dim = config.index_head_dim;
  chunk.indexer_queries.resize(tokens * heads * head_dim);
  context.Project(weights.query, chunk.q_residual, tokens, chunk.indexer_queries);
  for (int64_t t = 0; t < tokens; ++t) {
    for (int64_t head = 0; head < heads; ++head) {
      auto q =
          std::span<float>(chunk.indexer_queries).subspan((t * heads + head) * head_dim, head_dim);
      context.compress_rope.Apply(q, start + t);
      context.Round(q);
      if (context.numerics.indexer_fp4_simulation) {
        RoundIndexerVector(q, context.numerics.bf16_activations);
      }
    }
  }
  chunk.indexer_weights.resize(tokens * heads);
  context.Project(weights.head_weights, input, tokens, chunk.indexer_weights);
  const float scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(head_dim)) /
                                         std::sqrt(static_cast<double>(heads)));
  for (float& weight : chunk.indexer_weights) weight *= scale;
  context.Round(chunk.indexer_weights);
  ProjectCompressor(context, weights.compressor, input, tokens, chunk.indexer_kv,
                    chunk.indexer_gate);
}

// o = Σ_j p_j·key_j with p = softmax over the keys' scores and the sink (which has no value).
void AttendHead(std::span<const float> query, const std::vector<const float*>& keys, float sink,
                float scale, std::span<float> output) {
  const size_t head_dim = query.size();
  std::vector<float> scores(keys.size());
  float maximum = sink;
  for (size_t j = 0; j < keys.size(); ++j) {
    scores[j] = cpu::Dot(query, std::span<const float>(keys[j], head_dim)) * scale;
    maximum = std::max(maximum, scores[j]);
  }
  float denominator = std::exp(sink - maximum);
  for (float& score : scores) {
    score = std::exp(score - maximum);
    denominator += score;
  }
  std::fill(output.begin(), output.end(), 0.0f);
  for (size_t j = 0; j < keys.size(); ++j) {
    float weight = scores[j] / denominator;
    for (size_t i = 0; i < head_dim; ++i) output[i] += weight * keys[j][i];
  }
}

// The keys query `position` attends to: its window, then the visible or selected entries.
std::vector<const float*> GatherKeys(const LayerContext& context, const LayerState& state,
                                     const ChunkProjections& chunk, int64_t t, int64_t position) {
  const DeepSeekV4Config& config = context.config;
  const int64_t window = config.sliding_window, head_dim = config.head_dim;
  std::vector<const float*> keys;
  for (int64_t p = std::max<int64_t>(0, position - window + 1); p <= position; ++p) {
    keys.push_back(state.window.data() + (p % window) * head_dim);
  }
  if (!state.compressor) return keys;
  const CompressorState& entries = *state.compressor;
  const int64_t visible = (position + 1) / entries.ratio;
  if (!state.indexer) {
    for (int64_t entry = 0; entry < visible; ++entry) keys.push_back(entries.Entry(entry));
    return keys;
  }
  const int64_t heads = config.index_heads;
  IndexerQuery query{std::span<const float>(chunk.indexer_queries)
                         .subspan(t * heads * config.index_head_dim, heads * config.index_head_dim),
                     std::span<const float>(chunk.indexer_weights).subspan(t * heads, heads)};
  IndexerSelection selection = IndexerSelect(query, *state.indexer, visible, config.index_topk,
                                             context.numerics.bf16_activations);
  if (selection.boundary_tie && context.selection_ties != nullptr) {
    context.selection_ties->push_back({context.layer, position});
  }
  for (int64_t entry : selection.entries) keys.push_back(entries.Entry(entry));
  return keys;
}

// Feeds token t into the window ring and the compressors, then attends all heads.
void AttendToken(const LayerContext& context, const AttentionWeights& weights, LayerState& state,
                 const ChunkProjections& chunk, int64_t t, int64_t position,
                 std::span<float> output) {
  const DeepSeekV4Config& config = context.config;
  const int64_t head_dim = config.head_dim, window = config.sliding_window;
  std::copy_n(chunk.kv.begin() + t * head_dim, head_dim,
              state.window.begin() + (position % window) * head_dim);
  const float eps = context.eps();
  if (state.compressor) {
    const int64_t width = weights.compressor->kv.rows();
    CompressorContext compressor{*weights.compressor,   context.compress_rope, context.numerics,
                                 EntryRounding::kKvFp8, config.rope_head_dim,  eps};
    CompressorAccept(compressor, *state.compressor, position,
                     std::span<const float>(chunk.compressor_kv).subspan(t * width, width),
                     std::span<const float>(chunk.compressor_gate).subspan(t * width, width));
  }
  if (state.indexer) {
    const int64_t width = weights.indexer->compressor.kv.rows();
    CompressorContext indexer{weights.indexer->compressor, context.compress_rope, context.numerics,
                              EntryRounding::kIndexerFp4,  config.rope_head_dim,  eps};
    CompressorAccept(indexer, *state.indexer, position,
                     std::span<const float>(chunk.indexer_kv).subspan(t * width, width),
                     std::span<const float>(chunk.indexer_gate).subspan(t * width, width));
  }
  std::vector<const float*> keys = GatherKeys(context, state, chunk, t, position);
  const float scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(head_dim)));
  for (int64_t head = 0; head < config.num_heads; ++head) {
    auto query = std::span<const float>(chunk.queries)
                     .subspan((t * config.num_heads + head) * head_dim, head_dim);
    auto out = output.subspan(head * head_dim, head_dim);
    AttendHead(query, keys, weights.sinks[head], scale, out);
    context.Round(out);
    context.layer_rope.Apply(out, position, /*inverse=*/true);
    context.Round(out);
  }
}

// z_g = wo_a[g] · o_g for each head group, then out = wo_b · z.
void ProjectOutput(const LayerContext& context, const AttentionWeights& weights,
                   std::span<const float> heads_output, int64_t tokens, std::span<float> output) {
  const DeepSeekV4Config& config = context.config;
  const int64_t groups = config.o_groups, rank = config.o_lora_rank;
  const int64_t group_width = config.num_heads * config.head_dim / groups;
  Rows grouped(tokens * groups * rank), group_input(tokens * group_width),
      group_output(tokens * rank);
  for (int64_t group = 0; group < groups; ++group) {
    for (int64_t t = 0; t < tokens; ++t) {
      std::copy_n(heads_output.begin() + (t * groups + group) * group_width, group_width,
                  group_input.begin() + t * group_width);
    }
    cpu::LinearWeight slice = weights.out_groups.RowSlice(group * rank, rank);
    context.Project(slice, group_input, tokens, group_output);
    for (int64_t t = 0; t < tokens; ++t) {
      std::copy_n(group_output.begin() + t * rank, rank,
                  grouped.begin() + (t * groups + group) * rank);
    }
  }
  context.Project(weights.out, grouped, tokens, output);
}

}  // namespace

LayerState NewLayerState(const DeepSeekV4Config& config, int64_t layer) {
  LayerState state;
  state.window.assign(static_cast<size_t>(config.sliding_window * config.head_dim), 0.0f);
  AttentionKind kind = config.attention_kinds[layer];
  if (kind == AttentionKind::kSliding) return state;
  bool csa = kind == AttentionKind::kCompressedSparse;
  state.compressor.emplace(config.CompressRatio(layer), config.head_dim, csa);
  if (csa) state.indexer.emplace(config.csa_ratio, config.index_head_dim, true);
  return state;
}

void AttentionForward(const LayerContext& context, const AttentionWeights& weights,
                      LayerState& state, int64_t start, std::span<const float> input,
                      int64_t tokens, std::span<float> output) {
  const DeepSeekV4Config& config = context.config;
  ChunkProjections chunk;
  ProjectQueries(context, weights, start, input, tokens, chunk);
  ProjectKv(context, weights, start, input, tokens, chunk);
  if (weights.compressor) {
    ProjectCompressor(context, *weights.compressor, input, tokens, chunk.compressor_kv,
                      chunk.compressor_gate);
  }
  if (weights.indexer) ProjectIndexer(context, *weights.indexer, start, input, tokens, chunk);
  const int64_t heads_width = config.num_heads * config.head_dim;
  Rows heads_output(tokens * heads_width);
  for (int64_t t = 0; t < tokens; ++t) {
    AttendToken(context, weights, state, chunk, t, start + t,
                std::span<float>(heads_output).subspan(t * heads_width, heads_width));
  }
  ProjectOutput(context, weights, heads_output, tokens, output);
}

}  // namespace fathom::engine::deepseek_v4
