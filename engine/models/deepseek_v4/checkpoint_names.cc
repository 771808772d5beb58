#include "engine/models/deepseek_v4/checkpoint_names.h"

#include <array>
#include <utility>

namespace fathom::engine::deepseek_v4 {
namespace {

// Renames of the part after "layers.N." (release name → transformers name); exact matches.
constexpr std::array<std::pair<std::string_view, std::string_view>, 32> kLayerRenames = {{
    {"attn_norm.weight", "input_layernorm.weight"},
    {"ffn_norm.weight", "post_attention_layernorm.weight"},
    {"hc_attn_fn", "attn_hc.fn"},
    {"hc_attn_base", "attn_hc.base"},
    {"hc_attn_scale", "attn_hc.scale"},
    {"hc_ffn_fn", "ffn_hc.fn"},
    {"hc_ffn_base", "ffn_hc.base"},
    {"hc_ffn_scale", "ffn_hc.scale"},
    {"attn.attn_sink", "self_attn.sinks"},
    {"attn.wq_a.weight", "self_attn.q_a_proj.weight"},
    {"attn.q_norm.weight", "self_attn.q_a_norm.weight"},
    {"attn.wq_b.weight", "self_attn.q_b_proj.weight"},
    {"attn.wkv.weight", "self_attn.kv_proj.weight"},
    {"attn.kv_norm.weight", "self_attn.kv_norm.weight"},
    {"attn.wo_a.weight", "self_attn.o_a_proj.weight"},
    {"attn.wo_b.weight", "self_attn.o_b_proj.weight"},
    {"attn.compressor.wkv.weight", "self_attn.compressor.kv_proj.weight"},
    {"attn.compressor.wgate.weight", "self_attn.compressor.gate_proj.weight"},
    {"attn.compressor.ape", "self_attn.compressor.position_bias"},
    {"attn.compressor.norm.weight", "self_attn.compressor.kv_norm.weight"},
    {"attn.indexer.compressor.wkv.weight", "self_attn.compressor.indexer.kv_proj.weight"},
    {"attn.indexer.compressor.wgate.weight", "self_attn.compressor.indexer.gate_proj.weight"},
    {"attn.indexer.compressor.ape", "self_attn.compressor.indexer.position_bias"},
    {"attn.indexer.compressor.norm.weight", "self_attn.compressor.indexer.kv_norm.weight"},
    {"attn.indexer.wq_b.weight", "self_attn.compressor.indexer.q_b_proj.weight"},
    {"attn.indexer.weights_proj.weight", "self_attn.compressor.indexer.scorer.weights_proj.weight"},
    {"ffn.gate.weight", "mlp.gate.weight"},
    {"ffn.gate.bias", "mlp.gate.e_score_correction_bias"},
    {"ffn.gate.tid2eid", "mlp.gate.tid2eid"},
    {"ffn.shared_experts.w1.weight", "mlp.shared_experts.gate_proj.weight"},
    {"ffn.shared_experts.w2.weight", "mlp.shared_experts.down_proj.weight"},
    {"ffn.shared_experts.w3.weight", "mlp.shared_experts.up_proj.weight"},
}};

constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kTopLevelRenames = {{
    {"embed.weight", "model.embed_tokens.weight"},
    {"head.weight", "lm_head.weight"},
    {"norm.weight", "model.norm.weight"},
    {"hc_head_fn", "model.hc_head.hc_fn"},
    {"hc_head_base", "model.hc_head.hc_base"},
    {"hc_head_scale", "model.hc_head.hc_scale"},
}};

// transformers' module name of a release name, or "" when it has none.
std::string TransformersName(std::string_view official) {
  for (const auto& [from, to] : kTopLevelRenames) {
    if (official == from) return std::string(to);
  }
  if (!official.starts_with("layers.")) return "";
  size_t dot = official.find('.', 7);
  if (dot == std::string_view::npos) return "";
  std::string_view layer = official.substr(0, dot + 1);  // "layers.N."
  std::string_view rest = official.substr(dot + 1);
  for (const auto& [from, to] : kLayerRenames) {
    if (rest == from) return "model." + std::string(layer) + std::string(to);
  }
  return "";
}

}  // namespace

std::vector<std::string> CheckpointNames::Candidates(std::string_view official) {
  std::vector<std::string> names = {std::string(official), "model." + std::string(official)};
  // transformers writes kv_norm back as "attn.norm".
  if (official.starts_with("layers.") && official.ends_with(".attn.kv_norm.weight")) {
    std::string saved = "model." + std::string(official);
    saved.replace(saved.find(".attn.kv_norm."), 14, ".attn.norm.");
    names.push_back(saved);
  }
  if (std::string modeling = TransformersName(official); !modeling.empty()) {
    names.push_back(modeling);
  }
  return names;
}

bool CheckpointNames::Has(std::string_view official) const {
  for (const std::string& name : Candidates(official)) {
    if (store_.Contains(name)) return true;
  }
  return false;
}

base::Result<const TensorView*> CheckpointNames::Find(std::string_view official) const {
  std::vector<std::string> names = Candidates(official);
  for (const std::string& name : names) {
    if (store_.Contains(name)) return store_.Get(name);
  }
  std::string tried;
  for (const std::string& name : names) tried += (tried.empty() ? "" : ", ") + name;
  return base::NotFoundError("checkpoint " + store_.path().string() + " has no tensor " +
                             std::string(official) + " (tried " + tried + ")");
}

std::string CheckpointNames::FusedGateUp(int64_t layer) {
  return "model.layers." + std::to_string(layer) + ".mlp.experts.gate_up_proj";
}

std::string CheckpointNames::FusedDown(int64_t layer) {
  return "model.layers." + std::to_string(layer) + ".mlp.experts.down_proj";
}

}  // namespace fathom::engine::deepseek_v4
