// Each step appends to the narrative that becomes run_instance.log, so a failed instance explains
// itself; errors become kError outcomes with the same text.
#include "evals/instance_grader.h"

#include <ctime>

#include "base/file.h"
#include "evals/model_patch.h"

namespace fathom::evals {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Applying a patch takes seconds; this only stops a pathological one.
constexpr std::chrono::seconds kPatchTimeout{600};

std::chrono::milliseconds Since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

// "12.3 s".
std::string Seconds(std::chrono::milliseconds duration) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", static_cast<double>(duration.count()) / 1000.0);
  return text;
}

void Note(std::string& narrative, std::string_view line) {
  char stamp[32];
  const std::time_t now = std::time(nullptr);
  std::tm utc;
  gmtime_r(&now, &utc);
  std::strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &utc);
  ((narrative += stamp) += " ") += line;
  if (!line.ends_with('\n')) narrative += '\n';
}

void CopyIfPresent(const fs::path& from, const fs::path& to) {
  std::error_code error;
  fs::copy_file(from, to, fs::copy_options::overwrite_existing, error);
}

}  // namespace

std::string_view InstanceStatusName(InstanceStatus status) {
  switch (status) {
    case InstanceStatus::kResolved:
      return "resolved";
    case InstanceStatus::kUnresolved:
      return "unresolved";
    case InstanceStatus::kEmptyPatch:
      return "empty_patch";
    case InstanceStatus::kError:
      return "error";
  }
  return "error";
}

std::optional<InstanceStatus> InstanceStatusFromName(std::string_view name) {
  for (InstanceStatus status : {InstanceStatus::kResolved, InstanceStatus::kUnresolved,
                                InstanceStatus::kEmptyPatch, InstanceStatus::kError}) {
    if (InstanceStatusName(status) == name) return status;
  }
  return std::nullopt;
}

InstanceOutcome InstanceGrader::Grade(const TaskInstance& instance, const Prediction& prediction) {
  const auto started = Clock::now();
  InstanceOutcome outcome;
  outcome.instance_id = instance.instance_id;
  if (prediction.empty()) {
    outcome.status = InstanceStatus::kEmptyPatch;
    return outcome;
  }
  const fs::path instance_dir = log_dir_ / instance.instance_id;
  std::error_code error;
  fs::remove_all(instance_dir, error);
  fs::create_directories(instance_dir, error);
  std::string narrative;
  Note(narrative, "grading " + instance.instance_id + " (" + instance.repo + " at " +
                      instance.base_commit + "), model " + prediction.model_name_or_path);
  base::Result<InstanceOutcome> graded = TryGrade(instance, prediction, instance_dir, narrative);
  if (graded.ok()) {
    outcome = *std::move(graded);
  } else {
    outcome.status = InstanceStatus::kError;
    outcome.error = graded.error().message();
    Note(narrative, "error: " + outcome.error);
  }
  outcome.total_time = Since(started);
  Note(narrative, "outcome: " + std::string(InstanceStatusName(outcome.status)) + " in " +
                      Seconds(outcome.total_time));
  (void)base::WriteFileAtomically(instance_dir / "run_instance.log", narrative);
  return outcome;
}

base::Result<InstanceOutcome> InstanceGrader::TryGrade(const TaskInstance& instance,
                                                       const Prediction& prediction,
                                                       const fs::path& instance_dir,
                                                       std::string& narrative) {
  const Recipe* recipe = FindRecipe(instance.repo);
  if (recipe == nullptr) {
    std::string known;
    for (const Recipe& candidate : Recipes()) known += (known.empty() ? "" : ", ") + candidate.repo;
    return base::NotFoundError("no recipe for " + instance.repo + " (recipes: " + known + ")");
  }
  const std::string parser = instance.log_parser.value_or(recipe->log_parser);
  FATHOM_TRY(base::WriteFileAtomically(instance_dir / "patch.diff", *prediction.model_patch));

  InstanceOutcome outcome;
  outcome.instance_id = instance.instance_id;
  FATHOM_ASSIGN_OR_RETURN(PreparedInstance prepared,
                          environment_.Prepare(instance, *recipe, instance_dir));
  outcome.build_cached = prepared.build_cached;
  outcome.prepare_time = prepared.prepare_time;
  Note(narrative, std::string(prepared.build_cached ? "testbed copied from the build cache"
                                                    : "testbed checked out and built") +
                      " in " + Seconds(prepared.prepare_time) + ": " +
                      prepared.workdir.testbed().string());
  for (const std::string& line : prepared.scripts.skipped_lines) Note(narrative, "skip: " + line);

  const SandboxSettings& sandbox = environment_.options().sandbox;
  FATHOM_ASSIGN_OR_RETURN(
      PatchApplyResult applied,
      ApplyModelPatch(prepared.workdir, *recipe, sandbox, *prediction.model_patch, kPatchTimeout));
  narrative += applied.log;
  if (!applied.applied) {
    Note(narrative, ">>>>> Patch Apply Failed");
    (void)environment_.Release(std::move(prepared));
    return base::FailedPreconditionError("the model patch does not apply (see run_instance.log)");
  }
  outcome.patch_method = applied.method;
  Note(narrative, ">>>>> Applied Patch (" + applied.method + ")");

  const fs::path script = prepared.workdir.root / "eval.sh";
  const fs::path output = prepared.workdir.root / "test_output.txt";
  FATHOM_TRY(base::WriteFileAtomically(script, prepared.scripts.eval));
  CopyIfPresent(script, instance_dir / "eval.sh");
  const auto tests_started = Clock::now();
  FATHOM_ASSIGN_OR_RETURN(sandbox::CommandResult run, RunScript(prepared.workdir, *recipe, sandbox,
                                                                script, output, test_timeout_));
  outcome.test_time = Since(tests_started);
  CopyIfPresent(output, instance_dir / "test_output.txt");
  Note(narrative, "eval script " + run.Summary() + " after " + Seconds(outcome.test_time));
  FATHOM_ASSIGN_OR_RETURN(const std::string test_output, base::ReadFileToString(output));
  FATHOM_TRY(environment_.Release(std::move(prepared)));
  if (run.timed_out) {
    Note(narrative, ">>>>> Tests Timed Out");
    return base::DeadlineExceededError("the tests ran past the " +
                                       std::to_string(test_timeout_.count()) + " s timeout");
  }
  FATHOM_ASSIGN_OR_RETURN(InstanceReport report, GradeTestOutput(instance, parser, test_output));
  if (!report.rejected_log.empty()) Note(narrative, "log rejected: " + report.rejected_log);
  FATHOM_TRY(
      base::WriteFileAtomically(instance_dir / "report.json", ReportToJson(report).dump(4) + "\n"));
  outcome.status = report.resolved ? InstanceStatus::kResolved : InstanceStatus::kUnresolved;
  outcome.report = std::move(report);
  return outcome;
}

}  // namespace fathom::evals
