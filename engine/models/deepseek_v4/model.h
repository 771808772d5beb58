// DeepSeekV4Model: a loaded DeepSeek-V4 checkpoint (config, weights over the mmap'd files,
// RoPE tables) and its forward pass on the CPU backend. Forward advances one SequenceState by a
// chunk of tokens of any size; the result does not depend on how a sequence is split into chunks.
// The model is immutable after Load and may serve several sequences from several threads.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "base/result.h"
#include "base/thread_pool.h"
#include "engine/kv_cache/sequence_state.h"
#include "engine/models/deepseek_v4/config.h"
#include "engine/models/deepseek_v4/layer_context.h"
#include "engine/models/deepseek_v4/model_weights.h"
#include "engine/models/deepseek_v4/numerics.h"
#include "engine/models/deepseek_v4/rope.h"
#include "engine/weights/weight_store.h"

namespace fathom::engine::deepseek_v4 {

// Optional outputs of a forward call.
struct ForwardOutputs {
  // [tokens × vocab] logits of every position of the chunk; else only the last row is written.
  bool all_logits = false;
  // When set, receives the residual streams [tokens × hc_mult × hidden] entering each layer and
  // leaving the last one (num_layers + 1 entries), then the final normed hidden state.
  std::vector<std::vector<float>>* hidden_states = nullptr;
  // When set, receives the CSA queries whose indexer top-k had an exact score tie at its boundary.
  std::vector<SelectionTie>* selection_ties = nullptr;
};

class DeepSeekV4Model {
 public:
  // Loads `model_dir` (config.json + safetensors). `numerics` defaults to
  // NumericsOptions::ForConfig (QAT simulation on for release-format checkpoints).
  static base::Result<std::unique_ptr<DeepSeekV4Model>> Load(
      const std::filesystem::path& model_dir, base::ThreadPool* pool,
      std::optional<NumericsOptions> numerics = std::nullopt);

  // A model over weights built in memory (benchmarks, tests); they own their bytes.
  static std::unique_ptr<DeepSeekV4Model> FromWeights(DeepSeekV4Config config,
                                                      ModelWeights weights,
                                                      NumericsOptions numerics,
                                                      base::ThreadPool* pool);

  const DeepSeekV4Config& config() const { return config_; }
  const ModelWeights& weights() const { return weights_; }
  const NumericsOptions& numerics() const { return numerics_; }

  SequenceState NewSequence() const;

  // Runs `tokens` at positions state.length.. and returns their logits: [tokens × vocab] with
  // outputs.all_logits, else [vocab] for the last token. Fails on out-of-vocabulary ids.
  base::Result<std::vector<float>> Forward(SequenceState& state, std::span<const int32_t> tokens,
                                           const ForwardOutputs& outputs = {}) const;

 private:
  DeepSeekV4Model(DeepSeekV4Config config, std::unique_ptr<WeightStore> store,
                  NumericsOptions numerics, base::ThreadPool* pool);

  std::vector<float> Logits(std::span<const float> streams, int64_t tokens,
                            const ForwardOutputs& outputs) const;

  DeepSeekV4Config config_;
  std::unique_ptr<WeightStore> store_;  // the mmap the weights borrow from; null in memory
  ModelWeights weights_;
  NumericsOptions numerics_;
  base::ThreadPool* pool_;
  Rope main_rope_;
  Rope compress_rope_;
};

}  // namespace fathom::engine::deepseek_v4
