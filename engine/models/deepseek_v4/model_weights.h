// ModelWeights: every tensor of a DeepSeek-V4 model, loaded from a WeightStore in either
// checkpoint dialect and checked against the config's shapes. Matrices stay in their checkpoint
// format (f32/bf16 borrowed from the mmap, FP8/FP4 with their e8m0 scales; f16 is converted to
// f32 at load); small vectors are converted to f32. The WeightStore must outlive the weights.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "base/result.h"
#include "engine/backend/cpu/linear_weight.h"
#include "engine/models/deepseek_v4/config.h"
#include "engine/weights/weight_store.h"

namespace fathom::engine::deepseek_v4 {

// Gated pooling of `ratio` tokens into one entry of `head_dim` (the KV compressor and the
// indexer's). With `overlap` (CSA) projections are 2·head_dim wide: two interleaved series.
struct CompressorWeights {
  int64_t ratio = 0;
  int64_t head_dim = 0;
  bool overlap = false;
  cpu::LinearWeight kv;              // [(1+overlap)·head_dim, hidden]
  cpu::LinearWeight gate;            // same shape
  std::vector<float> position_bias;  // [ratio, (1+overlap)·head_dim]
  std::vector<float> norm;           // [head_dim]
};

struct IndexerWeights {
  CompressorWeights compressor;    // head_dim = index_head_dim
  cpu::LinearWeight query;         // wq_b: [index_heads·index_head_dim, q_lora_rank]
  cpu::LinearWeight head_weights;  // weights_proj: [index_heads, hidden]
};

struct AttentionWeights {
  cpu::LinearWeight q_down;      // wq_a: [q_lora_rank, hidden]
  std::vector<float> q_norm;     // [q_lora_rank]
  cpu::LinearWeight q_up;        // wq_b: [heads·head_dim, q_lora_rank]
  cpu::LinearWeight kv;          // wkv: [head_dim, hidden]
  std::vector<float> kv_norm;    // [head_dim]
  std::vector<float> sinks;      // [heads]
  cpu::LinearWeight out_groups;  // wo_a: [o_groups·o_lora_rank, heads·head_dim/o_groups]
  cpu::LinearWeight out;         // wo_b: [hidden, o_groups·o_lora_rank]
  std::optional<CompressorWeights> compressor;  // CSA and HCA layers
  std::optional<IndexerWeights> indexer;        // CSA layers
};

struct ExpertWeights {
  cpu::LinearWeight gate;  // w1: [intermediate, hidden]
  cpu::LinearWeight up;    // w3: [intermediate, hidden]
  cpu::LinearWeight down;  // w2: [hidden, intermediate]
};

struct MoeWeights {
  RoutingKind routing = RoutingKind::kScore;
  cpu::LinearWeight router;            // [experts, hidden]
  std::vector<float> router_bias;      // score routing: [experts], selection only
  std::vector<int32_t> token_experts;  // hash routing: [vocab, experts_per_token]
  std::vector<ExpertWeights> experts;
  std::optional<ExpertWeights> shared;
};

// mHC parameters of one site: fn [(2+n)·n, n·hidden], base [(2+n)·n], scale [3]; for the head
// collapse fn [n, n·hidden], base [n], scale [1].
struct HyperConnectionWeights {
  cpu::LinearWeight fn;
  std::vector<float> base;
  std::vector<float> scale;
};

struct LayerWeights {
  HyperConnectionWeights attention_hc;
  std::vector<float> attention_norm;
  AttentionWeights attention;
  HyperConnectionWeights ffn_hc;
  std::vector<float> ffn_norm;
  MoeWeights moe;
};

struct ModelWeights {
  cpu::LinearWeight embedding;  // [vocab, hidden]
  std::vector<LayerWeights> layers;
  HyperConnectionWeights head_hc;
  std::vector<float> final_norm;  // [hidden]
  cpu::LinearWeight head;         // [vocab, hidden]
};

// Weight bytes one decode step reads: every dense matrix, experts_per_token routed experts (their
// mean size) and the shared expert of each layer, the head, and one embedding row.
size_t DecodeWeightBytes(const ModelWeights& weights, const DeepSeekV4Config& config);

// Loads and shape-checks every tensor the config calls for; errors name the tensor.
base::Result<ModelWeights> LoadModelWeights(const WeightStore& store,
                                            const DeepSeekV4Config& config);

}  // namespace fathom::engine::deepseek_v4
