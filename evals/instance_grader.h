// InstanceGrader: one prediction, start to verdict. Prepares the testbed (Environment), applies
// the model patch (the official ladder), runs the eval script in the sandbox, grades its output,
// and writes the official per-instance files: report.json, test_output.txt, run_instance.log,
// eval.sh and patch.diff under <log_dir>/<instance_id>/.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "evals/environment.h"
#include "evals/grading.h"
#include "evals/predictions.h"
#include "evals/task.h"

namespace fathom::evals {

// How an instance ended, in the official summary's terms.
enum class InstanceStatus { kResolved, kUnresolved, kEmptyPatch, kError };

// "resolved", "unresolved", "empty_patch", "error".
std::string_view InstanceStatusName(InstanceStatus status);
std::optional<InstanceStatus> InstanceStatusFromName(std::string_view name);

struct InstanceOutcome {
  std::string instance_id;
  InstanceStatus status = InstanceStatus::kError;
  std::optional<InstanceReport> report;  // resolved and unresolved only
  std::string error;                     // kError: what went wrong
  std::string patch_method;              // the ladder rung that applied the patch
  bool build_cached = false;
  std::chrono::milliseconds prepare_time{0};
  std::chrono::milliseconds test_time{0};
  std::chrono::milliseconds total_time{0};
};

class InstanceGrader {
 public:
  // `log_dir`: the run's directory for this model (logs/run_evaluation/<run_id>/<model>).
  InstanceGrader(Environment& environment, std::filesystem::path log_dir,
                 std::chrono::seconds test_timeout)
      : environment_(environment), log_dir_(std::move(log_dir)), test_timeout_(test_timeout) {}

  // Never fails: whatever goes wrong is an outcome with status kError and a message.
  InstanceOutcome Grade(const TaskInstance& instance, const Prediction& prediction);

 private:
  base::Result<InstanceOutcome> TryGrade(const TaskInstance& instance, const Prediction& prediction,
                                         const std::filesystem::path& instance_dir,
                                         std::string& narrative);

  Environment& environment_;
  std::filesystem::path log_dir_;
  std::chrono::seconds test_timeout_;
};

}  // namespace fathom::evals
