// Workers pull the next instance index from an atomic counter; outcomes, the run state and the
// progress callback are serialized by one mutex.
#include "evals/runner.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace fathom::evals {

LoadedPredictions::LoadedPredictions(std::vector<Prediction> predictions)
    : predictions_(std::move(predictions)) {
  std::sort(predictions_.begin(), predictions_.end(),
            [](const Prediction& a, const Prediction& b) { return a.instance_id < b.instance_id; });
}

base::Result<std::optional<Prediction>> LoadedPredictions::PredictionFor(
    const TaskInstance& instance) {
  const auto it = std::lower_bound(predictions_.begin(), predictions_.end(), instance.instance_id,
                                   [](const Prediction& prediction, const std::string& id) {
                                     return prediction.instance_id < id;
                                   });
  if (it == predictions_.end() || it->instance_id != instance.instance_id) {
    return std::optional<Prediction>();
  }
  return std::optional<Prediction>(*it);
}

base::Result<Shard> ParseShard(std::string_view text) {
  const size_t slash = text.find('/');
  Shard shard;
  const auto parse = [](std::string_view digits, int& value) {
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    return error == std::errc() && end == digits.data() + digits.size();
  };
  if (slash == std::string_view::npos || !parse(text.substr(0, slash), shard.index) ||
      !parse(text.substr(slash + 1), shard.count) || shard.count < 1 || shard.index < 1 ||
      shard.index > shard.count) {
    return base::InvalidArgumentError("--shard: expected I/N with 1 <= I <= N, such as 2/4; got '" +
                                      std::string(text) + "'");
  }
  return shard;
}

base::Result<std::vector<TaskInstance>> SelectInstances(std::vector<TaskInstance> instances,
                                                        std::span<const std::string> instance_ids,
                                                        Shard shard) {
  if (!instance_ids.empty()) {
    std::set<std::string> wanted(instance_ids.begin(), instance_ids.end());
    std::vector<TaskInstance> named;
    for (TaskInstance& instance : instances) {
      if (wanted.erase(instance.instance_id) > 0) named.push_back(std::move(instance));
    }
    if (!wanted.empty()) {
      std::string unknown;
      for (const std::string& id : wanted) unknown += (unknown.empty() ? "" : ", ") + id;
      return base::NotFoundError("--instance-ids: not in the tasks file: " + unknown);
    }
    instances = std::move(named);
  }
  std::vector<TaskInstance> selected;
  for (size_t i = 0; i < instances.size(); ++i) {
    if (static_cast<int>(i % static_cast<size_t>(shard.count)) + 1 == shard.index) {
      selected.push_back(std::move(instances[i]));
    }
  }
  return selected;
}

std::string ModelDirectoryName(std::string_view model_name_or_path) {
  std::string name(model_name_or_path);
  std::replace(name.begin(), name.end(), '/', '_');
  return name.empty() ? "model" : name;
}

base::Result<RunResult> RunEvaluation(std::span<const TaskInstance> instances,
                                      PredictionSource& source, Environment& environment,
                                      RunState& state, const RunnerOptions& options,
                                      const ProgressCallback& progress) {
  // Collect predictions first so a broken source fails before any grading starts.
  RunResult result;
  std::vector<std::pair<const TaskInstance*, size_t>> work;  // instance, index in predictions
  for (const TaskInstance& instance : instances) {
    FATHOM_ASSIGN_OR_RETURN(std::optional<Prediction> prediction, source.PredictionFor(instance));
    if (!prediction) continue;
    work.emplace_back(&instance, result.predictions.size());
    result.predictions.push_back(*std::move(prediction));
  }

  std::mutex mutex;
  std::atomic<size_t> next{0};
  size_t done = 0;
  std::optional<base::Error> failure;
  const auto finish = [&](InstanceOutcome outcome, const std::string& fingerprint, bool reused) {
    std::lock_guard lock(mutex);
    if (!reused) {
      base::Status recorded = state.Record(options.run_id, fingerprint, outcome);
      if (!recorded.ok() && !failure) failure = recorded.error();
    }
    result.outcomes.push_back(std::move(outcome));
    ++done;
    if (progress) progress({done, work.size(), &result.outcomes.back(), reused});
  };
  const auto worker = [&] {
    for (size_t i = next++; i < work.size(); i = next++) {
      const TaskInstance& instance = *work[i].first;
      const Prediction& prediction = result.predictions[work[i].second];
      const std::string fingerprint = PatchFingerprint(prediction);
      if (!options.regrade) {
        base::Result<std::optional<InstanceOutcome>> recorded =
            state.Find(options.run_id, instance.instance_id, fingerprint);
        if (recorded.ok() && recorded->has_value()) {
          finish(**std::move(recorded), fingerprint, true);
          continue;
        }
      }
      InstanceGrader grader(
          environment,
          options.log_root / options.run_id / ModelDirectoryName(prediction.model_name_or_path),
          options.test_timeout);
      finish(grader.Grade(instance, prediction), fingerprint, false);
    }
  };
  {
    std::vector<std::jthread> workers;
    const int jobs =
        std::clamp<int>(options.jobs, 1, std::max<int>(1, static_cast<int>(work.size())));
    for (int j = 0; j < jobs; ++j) workers.emplace_back(worker);
  }
  if (failure) return *failure;
  return result;
}

}  // namespace fathom::evals
