#include "engine/models/deepseek_v4/model_weights.h"

#include <string>

#include "engine/models/deepseek_v4/checkpoint_names.h"
#include "engine/weights/tensor_conversion.h"

namespace fathom::engine::deepseek_v4 {
namespace {

using base::Result;
using cpu::LinearWeight;
using cpu::WeightFormat;

std::string LayerPrefix(int64_t layer) { return "layers." + std::to_string(layer) + "."; }

std::span<const uint8_t> AsBytes(const TensorView& view) {
  return {reinterpret_cast<const uint8_t*>(view.data.data()), view.data.size()};
}

// Finds release-named tensors in the checkpoint and builds weights with shape checks.
class Loader {
 public:
  explicit Loader(const WeightStore& store) : store_(store), names_(store) {}

  Result<const TensorView*> Tensor(std::string_view official,
                                   std::initializer_list<int64_t> shape) const {
    FATHOM_ASSIGN_OR_RETURN(const TensorView* view, names_.Find(official));
    FATHOM_TRY(store_.ExpectShape(*view, shape));
    return view;
  }

  Result<std::vector<float>> Vector(std::string_view official,
                                    std::initializer_list<int64_t> shape) const {
    FATHOM_ASSIGN_OR_RETURN(const TensorView* view, Tensor(official, shape));
    return ToFloat32(*view);
  }

  // `prefix` names the matrix without ".weight"; FP8 and FP4 matrices bring "<prefix>.scale".
  Result<LinearWeight> Linear(const std::string& prefix, int64_t rows, int64_t cols) const {
    FATHOM_ASSIGN_OR_RETURN(const TensorView* view, names_.Find(prefix + ".weight"));
    const std::string& name = view->name;
    switch (view->dtype) {
      case DType::kF32:
      case DType::kBF16: {
        FATHOM_TRY(store_.ExpectShape(*view, {rows, cols}));
        auto format = view->dtype == DType::kF32 ? WeightFormat::kF32 : WeightFormat::kBF16;
        return LinearWeight::Borrow(format, rows, cols, view->data);
      }
      case DType::kF16: {
        FATHOM_TRY(store_.ExpectShape(*view, {rows, cols}));
        FATHOM_ASSIGN_OR_RETURN(std::vector<float> values, ToFloat32(*view));
        return LinearWeight::FromFloats(rows, cols, std::move(values));
      }
      case DType::kF8E4M3: {
        FATHOM_TRY(store_.ExpectShape(*view, {rows, cols}));
        FATHOM_ASSIGN_OR_RETURN(const TensorView* scale,
                                Scale(prefix, {(rows + 127) / 128, (cols + 127) / 128}));
        return LinearWeight::Borrow(WeightFormat::kFp8Block128, rows, cols, view->data,
                                    AsBytes(*scale));
      }
      case DType::kI8:
      case DType::kU8: {
        if (cols % 32 != 0) {
          return base::InvalidArgumentError("FP4 tensor " + name + " has " + std::to_string(cols) +
                                            " inputs, not a multiple of 32");
        }
        FATHOM_TRY(store_.ExpectShape(*view, {rows, cols / 2}));
        FATHOM_ASSIGN_OR_RETURN(const TensorView* scale, Scale(prefix, {rows, cols / 32}));
        return LinearWeight::Borrow(WeightFormat::kFp4Block32, rows, cols, view->data,
                                    AsBytes(*scale));
      }
      default:
        return base::InvalidArgumentError("tensor " + name + " has dtype " +
                                          std::string(DTypeName(view->dtype)) +
                                          ", not a weight format fathom multiplies");
    }
  }

  // Expert e's slice of an HF fused [E, rows_total, cols] bf16/f32 tensor, rows [begin, end).
  Result<LinearWeight> FusedSlice(const std::string& name, int64_t experts, int64_t expert,
                                  int64_t rows_total, int64_t row_begin, int64_t rows,
                                  int64_t cols) const {
    FATHOM_ASSIGN_OR_RETURN(const TensorView* view, store_.Get(name));
    FATHOM_TRY(store_.ExpectShape(*view, {experts, rows_total, cols}));
    if (view->dtype != DType::kBF16 && view->dtype != DType::kF32) {
      return base::InvalidArgumentError("fused expert tensor " + name + " has dtype " +
                                        std::string(DTypeName(view->dtype)) +
                                        "; only bf16 and f32 are supported");
    }
    size_t element = DTypeSize(view->dtype);
    size_t offset = static_cast<size_t>((expert * rows_total + row_begin) * cols) * element;
    size_t length = static_cast<size_t>(rows * cols) * element;
    auto format = view->dtype == DType::kF32 ? WeightFormat::kF32 : WeightFormat::kBF16;
    return LinearWeight::Borrow(format, rows, cols, view->data.subspan(offset, length));
  }

  bool Has(std::string_view official) const { return names_.Has(official); }

 private:
  Result<const TensorView*> Scale(const std::string& prefix,
                                  std::initializer_list<int64_t> shape) const {
    FATHOM_ASSIGN_OR_RETURN(const TensorView* scale, names_.Find(prefix + ".scale"));
    if (scale->dtype != DType::kF8E8M0 && scale->dtype != DType::kU8) {
      return base::InvalidArgumentError("scale tensor " + scale->name + " has dtype " +
                                        std::string(DTypeName(scale->dtype)) +
                                        "; expected F8_E8M0");
    }
    FATHOM_TRY(store_.ExpectShape(*scale, shape));
    return scale;
  }

  const WeightStore& store_;
  CheckpointNames names_;
};

Result<CompressorWeights> LoadCompressor(const Loader& loader, const std::string& prefix,
                                         const DeepSeekV4Config& config, int64_t ratio,
                                         int64_t head_dim, bool overlap) {
  CompressorWeights weights;
  weights.ratio = ratio;
  weights.head_dim = head_dim;
  weights.overlap = overlap;
  int64_t width = (overlap ? 2 : 1) * head_dim;
  FATHOM_ASSIGN_OR_RETURN(weights.kv, loader.Linear(prefix + "wkv", width, config.hidden_size));
  FATHOM_ASSIGN_OR_RETURN(weights.gate, loader.Linear(prefix + "wgate", width, config.hidden_size));
  FATHOM_ASSIGN_OR_RETURN(weights.position_bias, loader.Vector(prefix + "ape", {ratio, width}));
  FATHOM_ASSIGN_OR_RETURN(weights.norm, loader.Vector(prefix + "norm.weight", {head_dim}));
  return weights;
}

Result<AttentionWeights> LoadAttention(const Loader& loader, const DeepSeekV4Config& config,
                                       int64_t layer) {
  const std::string prefix = LayerPrefix(layer) + "attn.";
  const int64_t d = config.hidden_size, q_rank = config.q_lora_rank;
  const int64_t heads_width = config.num_heads * config.head_dim;
  AttentionWeights weights;
  FATHOM_ASSIGN_OR_RETURN(weights.q_down, loader.Linear(prefix + "wq_a", q_rank, d));
  FATHOM_ASSIGN_OR_RETURN(weights.q_norm, loader.Vector(prefix + "q_norm.weight", {q_rank}));
  FATHOM_ASSIGN_OR_RETURN(weights.q_up, loader.Linear(prefix + "wq_b", heads_width, q_rank));
  FATHOM_ASSIGN_OR_RETURN(weights.kv, loader.Linear(prefix + "wkv", config.head_dim, d));
  FATHOM_ASSIGN_OR_RETURN(weights.kv_norm,
                          loader.Vector(prefix + "kv_norm.weight", {config.head_dim}));
  FATHOM_ASSIGN_OR_RETURN(weights.sinks, loader.Vector(prefix + "attn_sink", {config.num_heads}));
  FATHOM_ASSIGN_OR_RETURN(weights.out_groups,
                          loader.Linear(prefix + "wo_a", config.o_groups * config.o_lora_rank,
                                        heads_width / config.o_groups));
  FATHOM_ASSIGN_OR_RETURN(weights.out,
                          loader.Linear(prefix + "wo_b", d, config.o_groups * config.o_lora_rank));
  AttentionKind kind = config.attention_kinds[layer];
  if (kind == AttentionKind::kSliding) return weights;
  bool csa = kind == AttentionKind::kCompressedSparse;
  FATHOM_ASSIGN_OR_RETURN(weights.compressor,
                          LoadCompressor(loader, prefix + "compressor.", config,
                                         config.CompressRatio(layer), config.head_dim, csa));
  if (!csa) return weights;
  IndexerWeights indexer;
  FATHOM_ASSIGN_OR_RETURN(indexer.compressor,
                          LoadCompressor(loader, prefix + "indexer.compressor.", config,
                                         config.csa_ratio, config.index_head_dim, true));
  FATHOM_ASSIGN_OR_RETURN(
      indexer.query,
      loader.Linear(prefix + "indexer.wq_b", config.index_heads * config.index_head_dim, q_rank));
  FATHOM_ASSIGN_OR_RETURN(indexer.head_weights,
                          loader.Linear(prefix + "indexer.weights_proj", config.index_heads, d));
  weights.indexer = std::move(indexer);
  return weights;
}

Result<ExpertWeights> LoadExpert(const Loader& loader, const std::string& prefix,
                                 const DeepSeekV4Config& config) {
  const int64_t d = config.hidden_size, inner = config.moe_intermediate_size;
  ExpertWeights expert;
  FATHOM_ASSIGN_OR_RETURN(expert.gate, loader.Linear(prefix + "w1", inner, d));
  FATHOM_ASSIGN_OR_RETURN(expert.up, loader.Linear(prefix + "w3", inner, d));
  FATHOM_ASSIGN_OR_RETURN(expert.down, loader.Linear(prefix + "w2", d, inner));
  return expert;
}

Result<ExpertWeights> LoadFusedExpert(const Loader& loader, const DeepSeekV4Config& config,
                                      int64_t layer, int64_t index) {
  const int64_t d = config.hidden_size, inner = config.moe_intermediate_size;
  const int64_t experts = config.routed_experts;
  const std::string gate_up = CheckpointNames::FusedGateUp(layer);
  const std::string down = CheckpointNames::FusedDown(layer);
  ExpertWeights expert;
  FATHOM_ASSIGN_OR_RETURN(expert.gate,
                          loader.FusedSlice(gate_up, experts, index, 2 * inner, 0, inner, d));
  FATHOM_ASSIGN_OR_RETURN(expert.up,
                          loader.FusedSlice(gate_up, experts, index, 2 * inner, inner, inner, d));
  FATHOM_ASSIGN_OR_RETURN(expert.down, loader.FusedSlice(down, experts, index, d, 0, d, inner));
  return expert;
}

Result<MoeWeights> LoadMoe(const Loader& loader, const DeepSeekV4Config& config, int64_t layer) {
  const std::string prefix = LayerPrefix(layer) + "ffn.";
  MoeWeights moe;
  moe.routing = config.routing_kinds[layer];
  FATHOM_ASSIGN_OR_RETURN(
      moe.router, loader.Linear(prefix + "gate", config.routed_experts, config.hidden_size));
  if (moe.routing == RoutingKind::kScore) {
    FATHOM_ASSIGN_OR_RETURN(moe.router_bias,
                            loader.Vector(prefix + "gate.bias", {config.routed_experts}));
  } else {
    FATHOM_ASSIGN_OR_RETURN(
        const TensorView* table,
        loader.Tensor(prefix + "gate.tid2eid", {config.vocab_size, config.experts_per_token}));
    FATHOM_ASSIGN_OR_RETURN(moe.token_experts, ToInt32(*table));
    for (int32_t expert : moe.token_experts) {
      if (expert < 0 || expert >= config.routed_experts) {
        return base::InvalidArgumentError(table->name + " names expert " + std::to_string(expert) +
                                          " of " + std::to_string(config.routed_experts));
      }
    }
  }
  const bool per_expert = loader.Has(prefix + "experts.0.w1.weight");
  for (int64_t index = 0; index < config.routed_experts; ++index) {
    Result<ExpertWeights> expert =
        per_expert ? LoadExpert(loader, prefix + "experts." + std::to_string(index) + ".", config)
                   : LoadFusedExpert(loader, config, layer, index);
    if (!expert.ok()) return std::move(expert).error();
    moe.experts.push_back(std::move(expert).value());
  }
  if (config.shared_experts == 1) {
    FATHOM_ASSIGN_OR_RETURN(moe.shared, LoadExpert(loader, prefix + "shared_experts.", config));
  }
  return moe;
}

Result<HyperConnectionWeights> LoadHyperConnection(const Loader& loader, const std::string& fn,
                                                   const std::string& base,
                                                   const std::string& scale, int64_t outputs,
                                                   int64_t scales, const DeepSeekV4Config& config) {
  HyperConnectionWeights weights;
  const int64_t width = config.hc_mult * config.hidden_size;
  FATHOM_ASSIGN_OR_RETURN(std::vector<float> matrix, loader.Vector(fn, {outputs, width}));
  weights.fn = LinearWeight::FromFloats(outputs, width, std::move(matrix));
  FATHOM_ASSIGN_OR_RETURN(weights.base, loader.Vector(base, {outputs}));
  FATHOM_ASSIGN_OR_RETURN(weights.scale, loader.Vector(scale, {scales}));
  return weights;
}

Result<LayerWeights> LoadLayer(const Loader& loader, const DeepSeekV4Config& config,
                               int64_t layer) {
  const std::string prefix = LayerPrefix(layer);
  const int64_t mixes = (2 + config.hc_mult) * config.hc_mult;
  LayerWeights weights;
  FATHOM_ASSIGN_OR_RETURN(
      weights.attention_hc,
      LoadHyperConnection(loader, prefix + "hc_attn_fn", prefix + "hc_attn_base",
                          prefix + "hc_attn_scale", mixes, 3, config));
  FATHOM_ASSIGN_OR_RETURN(weights.attention_norm,
                          loader.Vector(prefix + "attn_norm.weight", {config.hidden_size}));
  FATHOM_ASSIGN_OR_RETURN(weights.attention, LoadAttention(loader, config, layer));
  FATHOM_ASSIGN_OR_RETURN(weights.ffn_hc,
                          LoadHyperConnection(loader, prefix + "hc_ffn_fn", prefix + "hc_ffn_base",
                                              prefix + "hc_ffn_scale", mixes, 3, config));
  FATHOM_ASSIGN_OR_RETURN(weights.ffn_norm,
                          loader.Vector(prefix + "ffn_norm.weight", {config.hidden_size}));
  FATHOM_ASSIGN_OR_RETURN(weights.moe, LoadMoe(loader, config, layer));
  return weights;
}

}  // namespace

Result<ModelWeights> LoadModelWeights(const WeightStore& store, const DeepSeekV4Config& config) {
  Loader loader(store);
  ModelWeights weights;
  FATHOM_ASSIGN_OR_RETURN(weights.embedding,
                          loader.Linear("embed", config.vocab_size, config.hidden_size));
  for (int64_t layer = 0; layer < config.num_layers; ++layer) {
    Result<LayerWeights> loaded = LoadLayer(loader, config, layer);
    if (!loaded.ok()) return std::move(loaded).error();
    weights.layers.push_back(std::move(loaded).value());
  }
  FATHOM_ASSIGN_OR_RETURN(weights.head_hc,
                          LoadHyperConnection(loader, "hc_head_fn", "hc_head_base", "hc_head_scale",
                                              config.hc_mult, 1, config));
  FATHOM_ASSIGN_OR_RETURN(weights.final_norm, loader.Vector("norm.weight", {config.hidden_size}));
  FATHOM_ASSIGN_OR_RETURN(weights.head,
                          loader.Linear("head", config.vocab_size, config.hidden_size));
  return weights;
}

}  // namespace fathom::engine::deepseek_v4

namespace fathom::engine::deepseek_v4 {
namespace {

size_t ExpertBytes(const ExpertWeights& expert) {
  return expert.gate.BytesTouched() + expert.up.BytesTouched() + expert.down.BytesTouched();
}

size_t CompressorBytes(const CompressorWeights& compressor) {
  return compressor.kv.BytesTouched() + compressor.gate.BytesTouched();
}

size_t AttentionBytes(const AttentionWeights& attention) {
  size_t bytes = attention.q_down.BytesTouched() + attention.q_up.BytesTouched() +
                 attention.kv.BytesTouched() + attention.out_groups.BytesTouched() +
                 attention.out.BytesTouched();
  if (attention.compressor) bytes += CompressorBytes(*attention.compressor);
  if (attention.indexer) {
    bytes += CompressorBytes(attention.indexer->compressor) +
             attention.indexer->query.BytesTouched() +
             attention.indexer->head_weights.BytesTouched();
  }
  return bytes;
}

}  // namespace

size_t DecodeWeightBytes(const ModelWeights& weights, const DeepSeekV4Config& config) {
  size_t bytes = weights.head.BytesTouched() + weights.head_hc.fn.BytesTouched() +
                 weights.embedding.RowBytes();
  for (const LayerWeights& layer : weights.layers) {
    bytes += layer.attention_hc.fn.BytesTouched() + layer.ffn_hc.fn.BytesTouched();
    bytes += AttentionBytes(layer.attention) + layer.moe.router.BytesTouched();
    size_t routed = 0;
    for (const ExpertWeights& expert : layer.moe.experts) routed += ExpertBytes(expert);
    if (!layer.moe.experts.empty()) {
      bytes += routed / layer.moe.experts.size() * static_cast<size_t>(config.experts_per_token);
    }
    if (layer.moe.shared) bytes += ExpertBytes(*layer.moe.shared);
  }
  return bytes;
}

}  // namespace fathom::engine::deepseek_v4
