#include "engine/models/deepseek_v4/model.h"

#include <string>

#include "engine/models/deepseek_v4/attention.h"
#include "engine/models/deepseek_v4/hyper_connection.h"
#include "engine/models/deepseek_v4/layer_context.h"
#include "engine/models/deepseek_v4/moe.h"

namespace fathom::engine::deepseek_v4 {
namespace {

using Rows = std::vector<float>;

// One hyper-connected sublayer site over the chunk: collapse the streams, norm, run `sublayer`,
// expand and mix back into the streams.
template <typename Sublayer>
void RunSite(const LayerContext& context, const HyperConnectionWeights& hc,
             std::span<const float> norm, Rows& streams, int64_t tokens, Sublayer sublayer) {
  const int64_t hidden = context.config.hidden_size;
  const int64_t width = context.config.hc_mult * hidden;
  Rows collapsed(tokens * hidden), output(tokens * hidden);
  std::vector<HyperMix> mixes;
  for (int64_t t = 0; t < tokens; ++t) {
    auto row = std::span<float>(collapsed).subspan(t * hidden, hidden);
    mixes.push_back(HyperConnectionPre(
        hc, context.config, std::span<const float>(streams).subspan(t * width, width), row));
    context.Round(row);
    cpu::RmsNorm(row, norm, context.eps());
    context.Round(row);
  }
  sublayer(std::span<const float>(collapsed), std::span<float>(output));
  for (int64_t t = 0; t < tokens; ++t) {
    auto stream = std::span<float>(streams).subspan(t * width, width);
    HyperConnectionPost(mixes[t], std::span<const float>(output).subspan(t * hidden, hidden),
                        stream);
    context.Round(stream);
  }
}

}  // namespace

DeepSeekV4Model::DeepSeekV4Model(DeepSeekV4Config config, std::unique_ptr<WeightStore> store,
                                 NumericsOptions numerics, base::ThreadPool* pool)
    : config_(std::move(config)),
      store_(std::move(store)),
      numerics_(numerics),
      pool_(pool),
      main_rope_(config_.main_rope, config_.rope_head_dim, numerics.bf16_rope_frequencies),
      compress_rope_(config_.compress_rope, config_.rope_head_dim, numerics.bf16_rope_frequencies) {
}

base::Result<std::unique_ptr<DeepSeekV4Model>> DeepSeekV4Model::Load(
    const std::filesystem::path& model_dir, base::ThreadPool* pool,
    std::optional<NumericsOptions> numerics) {
  FATHOM_ASSIGN_OR_RETURN(DeepSeekV4Config config, LoadDeepSeekV4Config(model_dir / "config.json"));
  FATHOM_ASSIGN_OR_RETURN(WeightStore store, WeightStore::Open(model_dir));
  NumericsOptions chosen = numerics.value_or(NumericsOptions::ForConfig(config));
  std::unique_ptr<DeepSeekV4Model> model(new DeepSeekV4Model(
      std::move(config), std::make_unique<WeightStore>(std::move(store)), chosen, pool));
  base::Result<ModelWeights> weights = LoadModelWeights(*model->store_, model->config_);
  if (!weights.ok()) return std::move(weights).error().WithContext(model_dir.string());
  model->weights_ = std::move(weights).value();
  return model;
}

std::unique_ptr<DeepSeekV4Model> DeepSeekV4Model::FromWeights(DeepSeekV4Config config,
                                                              ModelWeights weights,
                                                              NumericsOptions numerics,
                                                              base::ThreadPool* pool) {
  std::unique_ptr<DeepSeekV4Model> model(
      new DeepSeekV4Model(std::move(config), nullptr, numerics, pool));
  model->weights_ = std::move(weights);
  return model;
}

SequenceState DeepSeekV4Model::NewSequence() const {
  SequenceState state;
  for (int64_t layer = 0; layer < config_.num_layers; ++layer) {
    state.layers.push_back(NewLayerState(config_, layer));
  }
  return state;
}

base::Result<std::vector<float>> DeepSeekV4Model::Forward(SequenceState& state,
                                                          std::span<const int32_t> tokens,
                                                          const ForwardOutputs& outputs) const {
  const int64_t count = static_cast<int64_t>(tokens.size());
  const int64_t hidden = config_.hidden_size, width = config_.hc_mult * hidden;
  if (count == 0) return base::InvalidArgumentError("forward called with no tokens");
  for (int32_t token : tokens) {
    if (token < 0 || token >= config_.vocab_size) {
      return base::InvalidArgumentError("token id " + std::to_string(token) +
                                        " is outside the vocabulary of " +
                                        std::to_string(config_.vocab_size));
    }
  }
  Rows streams(count * width);
  for (int64_t t = 0; t < count; ++t) {
    auto first = std::span<float>(streams).subspan(t * width, hidden);
    weights_.embedding.DequantizeRow(tokens[t], first);
    for (int64_t copy = 1; copy < config_.hc_mult; ++copy) {
      std::copy(first.begin(), first.end(), streams.begin() + t * width + copy * hidden);
    }
  }
  const int64_t start = state.length;
  for (int64_t layer = 0; layer < config_.num_layers; ++layer) {
    if (outputs.hidden_states) outputs.hidden_states->push_back(streams);
    const LayerWeights& weights = weights_.layers[layer];
    const Rope& layer_rope =
        config_.attention_kinds[layer] == AttentionKind::kSliding ? main_rope_ : compress_rope_;
    LayerContext layer_context{
        config_, numerics_, pool_, layer_rope, compress_rope_, layer, outputs.selection_ties};
    RunSite(layer_context, weights.attention_hc, weights.attention_norm, streams, count,
            [&](std::span<const float> input, std::span<float> output) {
              AttentionForward(layer_context, weights.attention, state.layers[layer], start, input,
                               count, output);
            });
    RunSite(layer_context, weights.ffn_hc, weights.ffn_norm, streams, count,
            [&](std::span<const float> input, std::span<float> output) {
              MoeForward(layer_context, weights.moe, tokens, input, count, output);
            });
  }
  if (outputs.hidden_states) outputs.hidden_states->push_back(streams);
  state.length += count;
  state.tokens.insert(state.tokens.end(), tokens.begin(), tokens.end());
  return Logits(streams, count, outputs);
}

std::vector<float> DeepSeekV4Model::Logits(std::span<const float> streams, int64_t tokens,
                                           const ForwardOutputs& outputs) const {
  const int64_t hidden = config_.hidden_size, width = config_.hc_mult * hidden;
  const int64_t first = outputs.all_logits ? 0 : tokens - 1;
  const int64_t rows = tokens - first;
  Rows normed(rows * hidden);
  for (int64_t r = 0; r < rows; ++r) {
    auto row = std::span<float>(normed).subspan(r * hidden, hidden);
    HyperConnectionHead(weights_.head_hc, config_, streams.subspan((first + r) * width, width),
                        row);
    if (numerics_.bf16_activations) cpu::RoundToBf16InPlace(row);
    cpu::RmsNorm(row, weights_.final_norm, static_cast<float>(config_.rms_norm_eps));
    if (numerics_.bf16_activations) cpu::RoundToBf16InPlace(row);
  }
  if (outputs.hidden_states) outputs.hidden_states->push_back(normed);
  Rows logits(rows * config_.vocab_size);
  cpu::MatMul(weights_.head, normed, rows, logits, pool_);
  return logits;
}

}  // namespace fathom::engine::deepseek_v4
