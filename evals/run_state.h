// RunState: the SQLite record of a run's finished instances, so an interrupted or repeated
// `fathom eval` grades only what is missing. One row per (run_id, instance_id), keyed also by the
// patch's fingerprint: a changed prediction is graded again, and errors are always retried (as
// the official harness retries instances without a report.json). Thread-safe.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "base/result.h"
#include "base/sqlite.h"
#include "evals/instance_grader.h"
#include "evals/predictions.h"

namespace fathom::evals {

// A fingerprint of the patch text (64-bit FNV-1a, hex); "none" for an empty prediction.
std::string PatchFingerprint(const Prediction& prediction);

class RunState {
 public:
  static base::Result<RunState> Open(const std::filesystem::path& path);

  // The recorded outcome (without its report; report.json is on disk), or nullopt when the
  // instance must be graded: never graded, graded with another patch, or ended in an error.
  base::Result<std::optional<InstanceOutcome>> Find(const std::string& run_id,
                                                    const std::string& instance_id,
                                                    const std::string& fingerprint);

  base::Status Record(const std::string& run_id, const std::string& fingerprint,
                      const InstanceOutcome& outcome);

 private:
  explicit RunState(base::Database database)
      : database_(std::move(database)), mutex_(std::make_unique<std::mutex>()) {}

  base::Database database_;
  std::unique_ptr<std::mutex> mutex_;
};

}  // namespace fathom::evals
