// The evaluation runner: picks the instances of this run (--instance-ids, --shard I/N), asks a
// PredictionSource for each patch, grades with N parallel workers, skips what the run state
// already holds, and reports progress after every instance. A PredictionSource is where patches
// come from: a predictions file today, fathom's own agent later.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "evals/environment.h"
#include "evals/instance_grader.h"
#include "evals/predictions.h"
#include "evals/run_state.h"
#include "evals/task.h"

namespace fathom::evals {

class PredictionSource {
 public:
  virtual ~PredictionSource() = default;
  // The prediction for `instance`, or nullopt when none was submitted (the instance is then
  // incomplete). Called from several workers at once.
  virtual base::Result<std::optional<Prediction>> PredictionFor(const TaskInstance& instance) = 0;
};

// Predictions loaded up front (a .jsonl/.json file, "gold" or "empty").
class LoadedPredictions final : public PredictionSource {
 public:
  explicit LoadedPredictions(std::vector<Prediction> predictions);
  base::Result<std::optional<Prediction>> PredictionFor(const TaskInstance& instance) override;

 private:
  std::vector<Prediction> predictions_;  // sorted by instance_id
};

// Shard `index` (1-based) of `count`: instance i of the selection belongs to shard i % count + 1.
struct Shard {
  int index = 1;
  int count = 1;
};

// "2/4" -> {2, 4}; errors name the accepted form.
base::Result<Shard> ParseShard(std::string_view text);

// The instances of this run, in dataset order: those named in `instance_ids` (all when empty;
// an unknown id is an error naming it), then those of `shard`.
base::Result<std::vector<TaskInstance>> SelectInstances(std::vector<TaskInstance> instances,
                                                        std::span<const std::string> instance_ids,
                                                        Shard shard);

struct RunnerOptions {
  std::string run_id;
  int jobs = 1;
  std::filesystem::path log_root;  // logs/run_evaluation: <run_id>/<model>/<instance_id>/
  std::chrono::seconds test_timeout{1800};
  bool regrade = false;  // grade everything again, ignoring the run state
};

struct RunProgress {
  size_t done = 0;
  size_t total = 0;
  const InstanceOutcome* outcome = nullptr;  // the instance just finished
  bool reused = false;                       // taken from the run state, not graded now
};

using ProgressCallback = std::function<void(const RunProgress&)>;

struct RunResult {
  std::vector<Prediction> predictions;    // those submitted for the selected instances
  std::vector<InstanceOutcome> outcomes;  // in the order they finished
};

// Grades every selected instance that has a prediction. The callback runs on worker threads,
// one call at a time.
base::Result<RunResult> RunEvaluation(std::span<const TaskInstance> instances,
                                      PredictionSource& source, Environment& environment,
                                      RunState& state, const RunnerOptions& options,
                                      const ProgressCallback& progress);

// The log directory name of a model: its name with '/' replaced, as the official harness does.
std::string ModelDirectoryName(std::string_view model_name_or_path);

}  // namespace fathom::evals
