#include "engine/models/deepseek_v4/config.h"

#include <string>

namespace fathom::engine::deepseek_v4 {
namespace {

using base::Json;
using base::Result;

base::Error ConfigError(std::string_view key, std::string_view what) {
  return base::InvalidArgumentError("config.json: '" + std::string(key) + "' " + std::string(what));
}

Result<int64_t> RequireInt(const Json& json, std::string_view key) {
  auto it = json.find(key);
  if (it == json.end()) return ConfigError(key, "is missing");
  if (!it->is_number_integer()) return ConfigError(key, "must be an integer, got " + it->dump());
  return it->get<int64_t>();
}

Result<int64_t> OptionalInt(const Json& json, std::string_view key, int64_t fallback) {
  if (!json.contains(key) || json.at(key).is_null()) return fallback;
  return RequireInt(json, key);
}

Result<double> OptionalNumber(const Json& json, std::string_view key, double fallback) {
  auto it = json.find(key);
  if (it == json.end() || it->is_null()) return fallback;
  if (!it->is_number()) return ConfigError(key, "must be a number, got " + it->dump());
  return it->get<double>();
}

Result<std::string> OptionalString(const Json& json, std::string_view key, std::string fallback) {
  auto it = json.find(key);
  if (it == json.end() || it->is_null()) return fallback;
  if (!it->is_string()) return ConfigError(key, "must be a string, got " + it->dump());
  return it->get<std::string>();
}

// Refuses later releases whose extra machinery this engine does not implement.
base::Status RejectUnsupportedVariants(const Json& json) {
  for (const auto& [key, value] : json.items()) {
    if (key.starts_with("dspark_") || key.starts_with("engram_")) {
      return base::UnimplementedError("config.json: key '" + key +
                                      "' belongs to a DeepSeek-V4 variant (DSpark speculative " +
                                      "heads or Engram) that fathom does not support yet");
    }
  }
  std::string model_type = json.value("model_type", "deepseek_v4");
  if (model_type != "deepseek_v4") {
    return ConfigError("model_type", "is '" + model_type + "', expected 'deepseek_v4'");
  }
  return base::Ok();
}

// YaRN and theta from a rope dict: official `rope_scaling` or one entry of `rope_parameters`.
Result<RopeParameters> ParseRope(const Json& rope, double theta, std::string_view where) {
  RopeParameters parameters;
  parameters.theta = theta;
  if (rope.is_null()) return parameters;
  if (!rope.is_object()) return ConfigError(where, "must be an object");
  FATHOM_ASSIGN_OR_RETURN(parameters.theta, OptionalNumber(rope, "rope_theta", theta));
  FATHOM_ASSIGN_OR_RETURN(std::string type, OptionalString(rope, "rope_type", ""));
  if (type.empty()) {
    FATHOM_ASSIGN_OR_RETURN(type, OptionalString(rope, "type", "default"));
  }
  if (type == "default") return parameters;
  if (type != "yarn") return ConfigError(where, "has rope type '" + type + "'; only yarn is known");
  parameters.yarn = true;
  FATHOM_ASSIGN_OR_RETURN(parameters.factor, OptionalNumber(rope, "factor", 1.0));
  FATHOM_ASSIGN_OR_RETURN(parameters.original_max_position,
                          RequireInt(rope, "original_max_position_embeddings"));
  FATHOM_ASSIGN_OR_RETURN(parameters.beta_fast, OptionalNumber(rope, "beta_fast", 32.0));
  FATHOM_ASSIGN_OR_RETURN(parameters.beta_slow, OptionalNumber(rope, "beta_slow", 1.0));
  FATHOM_ASSIGN_OR_RETURN(double attention_factor, OptionalNumber(rope, "attention_factor", 1.0));
  if (attention_factor != 1.0) {
    return ConfigError(where, "sets attention_factor " + std::to_string(attention_factor) +
                                  "; DeepSeek-V4 applies no YaRN mscale");
  }
  return parameters;
}

// Official dialect: compress_ratios (num_layers entries, plus MTP entries that are ignored).
base::Status ParseOfficialLayers(const Json& json, DeepSeekV4Config& config) {
  const Json& ratios = json.at("compress_ratios");
  if (!ratios.is_array() || static_cast<int64_t>(ratios.size()) < config.num_layers) {
    return ConfigError("compress_ratios", "must list at least num_hidden_layers ratios");
  }
  // As in DeepSeek's code: ratio 4 overlaps windows and has an indexer (CSA); any other non-zero
  // ratio is a non-overlapping heavy compressor (HCA), one ratio for the whole model.
  bool hca_seen = false;
  for (int64_t layer = 0; layer < config.num_layers; ++layer) {
    if (!ratios[layer].is_number_integer())
      return ConfigError("compress_ratios", "has a non-integer");
    int64_t ratio = ratios[layer].get<int64_t>();
    if (ratio == 0) {
      config.attention_kinds.push_back(AttentionKind::kSliding);
    } else if (ratio == 4) {
      config.attention_kinds.push_back(AttentionKind::kCompressedSparse);
    } else if (ratio > 1 && (!hca_seen || ratio == config.hca_ratio)) {
      config.attention_kinds.push_back(AttentionKind::kHeavilyCompressed);
      config.hca_ratio = ratio;
      hca_seen = true;
    } else {
      return ConfigError("compress_ratios", "has ratio " + std::to_string(ratio) +
                                                " (expected 0, 4 or one HCA ratio)");
    }
  }
  FATHOM_ASSIGN_OR_RETURN(int64_t hash_layers, OptionalInt(json, "num_hash_layers", 0));
  for (int64_t layer = 0; layer < config.num_layers; ++layer) {
    config.routing_kinds.push_back(layer < hash_layers ? RoutingKind::kHash : RoutingKind::kScore);
  }
  FATHOM_ASSIGN_OR_RETURN(double theta, OptionalNumber(json, "rope_theta", 10000.0));
  FATHOM_ASSIGN_OR_RETURN(double compress_theta,
                          OptionalNumber(json, "compress_rope_theta", theta));
  config.main_rope.theta = theta;
  const Json& scaling = json.contains("rope_scaling") ? json.at("rope_scaling") : Json();
  FATHOM_ASSIGN_OR_RETURN(config.compress_rope, ParseRope(scaling, compress_theta, "rope_scaling"));
  FATHOM_ASSIGN_OR_RETURN(config.rope_head_dim, RequireInt(json, "qk_rope_head_dim"));
  return base::Ok();
}

// transformers dialect: layer_types, compress_rates, mlp_layer_types, rope_parameters.
base::Status ParseTransformersLayers(const Json& json, DeepSeekV4Config& config) {
  const Json& types = json.at("layer_types");
  if (!types.is_array() || static_cast<int64_t>(types.size()) != config.num_layers) {
    return ConfigError("layer_types", "must list num_hidden_layers layer types");
  }
  for (const Json& type : types) {
    std::string name = type.is_string() ? type.get<std::string>() : type.dump();
    if (name == "sliding_attention") {
      config.attention_kinds.push_back(AttentionKind::kSliding);
    } else if (name == "compressed_sparse_attention") {
      config.attention_kinds.push_back(AttentionKind::kCompressedSparse);
    } else if (name == "heavily_compressed_attention") {
      config.attention_kinds.push_back(AttentionKind::kHeavilyCompressed);
    } else {
      return ConfigError("layer_types", "has unknown layer type " + name);
    }
  }
  const Json rates = json.value("compress_rates", Json::object());
  FATHOM_ASSIGN_OR_RETURN(config.csa_ratio, OptionalInt(rates, "compressed_sparse_attention", 4));
  FATHOM_ASSIGN_OR_RETURN(config.hca_ratio,
                          OptionalInt(rates, "heavily_compressed_attention", 128));

  const Json mlp_types = json.value("mlp_layer_types", Json::array());
  if (static_cast<int64_t>(mlp_types.size()) != config.num_layers) {
    return ConfigError("mlp_layer_types", "must list num_hidden_layers MoE types");
  }
  for (const Json& type : mlp_types) {
    if (type == "hash_moe") {
      config.routing_kinds.push_back(RoutingKind::kHash);
    } else if (type == "moe") {
      config.routing_kinds.push_back(RoutingKind::kScore);
    } else {
      return ConfigError("mlp_layer_types", "has unknown MoE type " + type.dump());
    }
  }
  const Json rope = json.value("rope_parameters", Json::object());
  FATHOM_ASSIGN_OR_RETURN(double theta, OptionalNumber(json, "rope_theta", 10000.0));
  FATHOM_ASSIGN_OR_RETURN(config.main_rope,
                          ParseRope(rope.value("main", Json()), theta, "rope_parameters.main"));
  FATHOM_ASSIGN_OR_RETURN(double compress_theta,
                          OptionalNumber(json, "compress_rope_theta", theta));
  FATHOM_ASSIGN_OR_RETURN(
      config.compress_rope,
      ParseRope(rope.value("compress", Json()), compress_theta, "rope_parameters.compress"));
  FATHOM_ASSIGN_OR_RETURN(int64_t rope_dim, OptionalInt(json, "qk_rope_head_dim", 0));
  if (rope_dim == 0) {
    double partial = rope.value("main", Json::object()).value("partial_rotary_factor", 1.0);
    rope_dim = static_cast<int64_t>(static_cast<double>(config.head_dim) * partial);
  }
  config.rope_head_dim = rope_dim;
  return base::Ok();
}

base::Status ParseSizes(const Json& json, DeepSeekV4Config& config) {
  FATHOM_ASSIGN_OR_RETURN(config.vocab_size, RequireInt(json, "vocab_size"));
  FATHOM_ASSIGN_OR_RETURN(config.hidden_size, RequireInt(json, "hidden_size"));
  FATHOM_ASSIGN_OR_RETURN(config.num_layers, RequireInt(json, "num_hidden_layers"));
  FATHOM_ASSIGN_OR_RETURN(config.num_heads, RequireInt(json, "num_attention_heads"));
  FATHOM_ASSIGN_OR_RETURN(int64_t kv_heads, OptionalInt(json, "num_key_value_heads", 1));
  if (kv_heads != 1) return ConfigError("num_key_value_heads", "must be 1 (one shared K=V head)");
  FATHOM_ASSIGN_OR_RETURN(config.head_dim, RequireInt(json, "head_dim"));
  FATHOM_ASSIGN_OR_RETURN(config.q_lora_rank, RequireInt(json, "q_lora_rank"));
  FATHOM_ASSIGN_OR_RETURN(config.o_groups, RequireInt(json, "o_groups"));
  FATHOM_ASSIGN_OR_RETURN(config.o_lora_rank, RequireInt(json, "o_lora_rank"));
  FATHOM_ASSIGN_OR_RETURN(config.sliding_window, RequireInt(json, "sliding_window"));
  FATHOM_ASSIGN_OR_RETURN(config.index_heads, RequireInt(json, "index_n_heads"));
  FATHOM_ASSIGN_OR_RETURN(config.index_head_dim, RequireInt(json, "index_head_dim"));
  FATHOM_ASSIGN_OR_RETURN(config.index_topk, RequireInt(json, "index_topk"));
  FATHOM_ASSIGN_OR_RETURN(config.routed_experts, RequireInt(json, "n_routed_experts"));
  FATHOM_ASSIGN_OR_RETURN(config.shared_experts, OptionalInt(json, "n_shared_experts", 1));
  FATHOM_ASSIGN_OR_RETURN(config.experts_per_token, RequireInt(json, "num_experts_per_tok"));
  FATHOM_ASSIGN_OR_RETURN(config.moe_intermediate_size, RequireInt(json, "moe_intermediate_size"));
  FATHOM_ASSIGN_OR_RETURN(config.routed_scaling_factor,
                          OptionalNumber(json, "routed_scaling_factor", 1.0));
  FATHOM_ASSIGN_OR_RETURN(config.swiglu_limit, OptionalNumber(json, "swiglu_limit", 0.0));
  FATHOM_ASSIGN_OR_RETURN(config.hc_mult, RequireInt(json, "hc_mult"));
  FATHOM_ASSIGN_OR_RETURN(config.hc_sinkhorn_iters, OptionalInt(json, "hc_sinkhorn_iters", 20));
  FATHOM_ASSIGN_OR_RETURN(config.hc_eps, OptionalNumber(json, "hc_eps", 1e-6));
  FATHOM_ASSIGN_OR_RETURN(config.rms_norm_eps, OptionalNumber(json, "rms_norm_eps", 1e-6));
  FATHOM_ASSIGN_OR_RETURN(config.bos_token_id, OptionalInt(json, "bos_token_id", 0));
  FATHOM_ASSIGN_OR_RETURN(config.eos_token_id, OptionalInt(json, "eos_token_id", 1));
  return base::Ok();
}

base::Status ParseRoutingAndQuantization(const Json& json, DeepSeekV4Config& config) {
  FATHOM_ASSIGN_OR_RETURN(std::string scoring,
                          OptionalString(json, "scoring_func", "sqrtsoftplus"));
  if (scoring != "sqrtsoftplus") {
    return ConfigError("scoring_func", "is '" + scoring + "'; DeepSeek-V4 uses sqrtsoftplus");
  }
  if (json.contains("quantization_config") && json.at("quantization_config").is_object()) {
    const Json& quantization = json.at("quantization_config");
    FATHOM_ASSIGN_OR_RETURN(std::string method, OptionalString(quantization, "quant_method", ""));
    if (method != "fp8") {
      return ConfigError("quantization_config.quant_method",
                         "is '" + method + "'; only fp8 is known");
    }
    config.fp8_weights = true;
    FATHOM_ASSIGN_OR_RETURN(std::string expert_dtype,
                            OptionalString(quantization, "expert_dtype", "fp8"));
    if (expert_dtype != "fp4" && expert_dtype != "fp8") {
      return ConfigError("quantization_config.expert_dtype", "is '" + expert_dtype + "'");
    }
    config.fp4_experts = expert_dtype == "fp4";
  }
  return base::Ok();
}

base::Status Validate(const DeepSeekV4Config& config) {
  if (config.num_heads % config.o_groups != 0) {
    return ConfigError("o_groups", "must divide num_attention_heads");
  }
  if (config.rope_head_dim <= 0 || config.rope_head_dim > config.head_dim ||
      config.rope_head_dim % 2 != 0) {
    return ConfigError("qk_rope_head_dim", "must be even and within head_dim");
  }
  if (config.experts_per_token > config.routed_experts) {
    return ConfigError("num_experts_per_tok", "exceeds n_routed_experts");
  }
  if (config.shared_experts > 1) return ConfigError("n_shared_experts", "must be 0 or 1");
  if (config.hc_mult <= 0 || config.hc_sinkhorn_iters <= 0) {
    return ConfigError("hc_mult", "and hc_sinkhorn_iters must be positive");
  }
  return base::Ok();
}

}  // namespace

std::string_view AttentionKindName(AttentionKind kind) {
  switch (kind) {
    case AttentionKind::kSliding:
      return "sliding";
    case AttentionKind::kCompressedSparse:
      return "csa";
    case AttentionKind::kHeavilyCompressed:
      return "hca";
  }
  return "unknown";
}

int64_t DeepSeekV4Config::CompressRatio(int64_t layer) const {
  switch (attention_kinds[layer]) {
    case AttentionKind::kSliding:
      return 0;
    case AttentionKind::kCompressedSparse:
      return csa_ratio;
    case AttentionKind::kHeavilyCompressed:
      return hca_ratio;
  }
  return 0;
}

Result<DeepSeekV4Config> ParseDeepSeekV4Config(const Json& json) {
  if (!json.is_object()) return base::InvalidArgumentError("config.json: not a JSON object");
  FATHOM_TRY(RejectUnsupportedVariants(json));
  DeepSeekV4Config config;
  FATHOM_TRY(ParseSizes(json, config));
  if (json.contains("layer_types")) {
    config.transformers_format = true;
    FATHOM_TRY(ParseTransformersLayers(json, config));
  } else if (json.contains("compress_ratios")) {
    FATHOM_TRY(ParseOfficialLayers(json, config));
  } else {
    return base::InvalidArgumentError(
        "config.json: neither 'layer_types' (transformers) nor 'compress_ratios' (DeepSeek "
        "release) is present; cannot tell which layers use compressed attention");
  }
  FATHOM_TRY(ParseRoutingAndQuantization(json, config));
  FATHOM_TRY(Validate(config));
  return config;
}

Result<DeepSeekV4Config> LoadDeepSeekV4Config(const std::filesystem::path& path) {
  FATHOM_ASSIGN_OR_RETURN(Json json, base::ReadJsonFile(path));
  Result<DeepSeekV4Config> config = ParseDeepSeekV4Config(json);
  if (!config.ok()) return std::move(config).error().WithContext(path.string());
  return config;
}

}  // namespace fathom::engine::deepseek_v4
