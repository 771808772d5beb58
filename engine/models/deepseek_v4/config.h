// DeepSeekV4Config: the shape and hyper-parameters of a DeepSeek-V4 model (Flash, Pro or a tiny
// test model), read from either config.json dialect: DeepSeek's release keys (`compress_ratios`,
// `num_hash_layers`, `rope_scaling`) or transformers' (`layer_types`, `compress_rates`,
// `mlp_layer_types`, nested `rope_parameters`). Plain value type.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/result.h"

namespace fathom::engine::deepseek_v4 {

// Which attention a layer runs on top of its sliding window.
enum class AttentionKind {
  kSliding,            // sliding window only
  kCompressedSparse,   // CSA: overlapping compressor + lightning indexer top-k
  kHeavilyCompressed,  // HCA: non-overlapping compressor, all entries visible
};

// How a layer's MoE picks its experts.
enum class RoutingKind {
  kHash,   // fixed token-id -> experts table (tid2eid)
  kScore,  // sqrt-softplus scores + bias-corrected top-k
};

std::string_view AttentionKindName(AttentionKind kind);

// RoPE frequencies of one family of layers; YaRN blending when `yarn` is set.
struct RopeParameters {
  double theta = 10000.0;
  bool yarn = false;
  double factor = 1.0;
  int64_t original_max_position = 0;
  double beta_fast = 32.0;
  double beta_slow = 1.0;
};

struct DeepSeekV4Config {
  int64_t vocab_size = 0;
  int64_t hidden_size = 0;
  int64_t num_layers = 0;
  int64_t num_heads = 0;
  int64_t head_dim = 0;
  int64_t rope_head_dim = 0;
  int64_t q_lora_rank = 0;
  int64_t o_groups = 0;
  int64_t o_lora_rank = 0;
  int64_t sliding_window = 0;

  std::vector<AttentionKind> attention_kinds;  // one per layer
  int64_t csa_ratio = 4;
  int64_t hca_ratio = 128;
  int64_t index_heads = 0;
  int64_t index_head_dim = 0;
  int64_t index_topk = 0;

  RopeParameters main_rope;      // sliding-only layers
  RopeParameters compress_rope;  // CSA and HCA layers, their compressors and indexers

  int64_t routed_experts = 0;
  int64_t shared_experts = 0;
  int64_t experts_per_token = 0;
  int64_t moe_intermediate_size = 0;
  std::vector<RoutingKind> routing_kinds;  // one per layer
  double routed_scaling_factor = 1.0;
  double swiglu_limit = 0.0;

  int64_t hc_mult = 0;
  int64_t hc_sinkhorn_iters = 0;
  double hc_eps = 1e-6;
  double rms_norm_eps = 1e-6;

  int64_t bos_token_id = 0;
  int64_t eos_token_id = 1;
  // True when config.json uses transformers' keys (layer_types, rope_parameters).
  bool transformers_format = false;
  // True for checkpoints whose weights are FP8 block-scaled (and FP4 experts): the release format.
  bool fp8_weights = false;
  bool fp4_experts = false;

  // Compress ratio of `layer` (0 for sliding-only layers).
  int64_t CompressRatio(int64_t layer) const;
  const RopeParameters& Rope(int64_t layer) const {
    return attention_kinds[layer] == AttentionKind::kSliding ? main_rope : compress_rope;
  }
};

// Parses a config.json object of either dialect; refuses unsupported variants (`dspark_*`,
// `engram_*` keys) and inconsistent shapes with a message naming the key.
base::Result<DeepSeekV4Config> ParseDeepSeekV4Config(const base::Json& json);

// Reads and parses `path` (a config.json file).
base::Result<DeepSeekV4Config> LoadDeepSeekV4Config(const std::filesystem::path& path);

}  // namespace fathom::engine::deepseek_v4
