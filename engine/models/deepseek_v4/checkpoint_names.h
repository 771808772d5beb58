// CheckpointNames: finds the model's logical tensors, named as in DeepSeek's release
// (`layers.3.attn.wq_a.weight`), under the names a checkpoint actually uses: the release's own,
// transformers' module names (`model.layers.3.self_attn.q_a_proj.weight`), or what transformers
// writes to disk (`model.layers.3.attn.wq_a.weight`, with `attn.norm` for kv_norm). Routed experts
// may also be fused (`experts.gate_up_proj`); the loader handles that. Immutable: thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "engine/weights/weight_store.h"

namespace fathom::engine::deepseek_v4 {

class CheckpointNames {
 public:
  // `store` must outlive this object.
  explicit CheckpointNames(const WeightStore& store) : store_(store) {}

  // The tensor with release name `official`, under whichever of its known names the checkpoint
  // uses; kNotFound lists every name tried.
  base::Result<const TensorView*> Find(std::string_view official) const;
  bool Has(std::string_view official) const;

  // The names a release-named tensor goes by, most likely first: the release name, the same with
  // transformers' "model." prefix (how transformers saves), and transformers' module names.
  static std::vector<std::string> Candidates(std::string_view official);

  // transformers' fused expert tensors of `layer`: gate_up_proj [E, 2I, d] and down_proj [E, d, I].
  static std::string FusedGateUp(int64_t layer);
  static std::string FusedDown(int64_t layer);

 private:
  const WeightStore& store_;
};

}  // namespace fathom::engine::deepseek_v4
