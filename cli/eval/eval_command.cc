#include "cli/eval/eval_command.h"

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "base/file.h"
#include "cli/eval/progress_line.h"
#include "evals/environment.h"
#include "evals/predictions.h"
#include "evals/run_report.h"
#include "evals/run_state.h"
#include "evals/runner.h"
#include "evals/task.h"

namespace fathom::cli {
namespace {

namespace fs = std::filesystem;

constexpr int kInstanceErrorExit = 1;
constexpr int kNotStartedExit = 2;

struct EvalOptions {
  std::string tasks;
  std::string predictions;
  std::string repos;
  std::string run_id;
  int jobs = 1;
  std::string shard = "1/1";
  std::vector<std::string> instance_ids;
  int timeout_seconds = 1800;
  int build_timeout_seconds = 3600;
  double memory_gib = 8;
  std::string cache_dir;
  std::string log_dir = "logs/run_evaluation";
  std::string report_dir = ".";
  std::string sandbox = "on";
  bool regrade = false;
  bool json = false;
};

// $FATHOM_CACHE_DIR, else $XDG_CACHE_HOME/fathom, else ~/.cache/fathom (as scripts/setup).
fs::path DefaultCacheDir() {
  if (const char* dir = std::getenv("FATHOM_CACHE_DIR"); dir != nullptr && *dir != '\0') {
    return dir;
  }
  if (const char* dir = std::getenv("XDG_CACHE_HOME"); dir != nullptr && *dir != '\0') {
    return fs::path(dir) / "fathom";
  }
  const char* home = std::getenv("HOME");
  return fs::path(home != nullptr ? home : "/tmp") / ".cache/fathom";
}

// The run id when none is given: the predictions' name ("gold", "preds" for preds.jsonl).
std::string DefaultRunId(const std::string& predictions) {
  if (predictions == "gold" || predictions == "empty") return predictions;
  return fs::path(predictions).stem().string();
}

base::Result<int> RunEval(const EvalOptions& options) {
  FATHOM_ASSIGN_OR_RETURN(const evals::Shard shard, evals::ParseShard(options.shard));
  FATHOM_ASSIGN_OR_RETURN(std::vector<evals::TaskInstance> all,
                          evals::LoadTaskInstances(options.tasks));
  FATHOM_ASSIGN_OR_RETURN(std::vector<evals::TaskInstance> instances,
                          evals::SelectInstances(std::move(all), options.instance_ids, shard));
  FATHOM_ASSIGN_OR_RETURN(std::vector<evals::Prediction> predictions,
                          evals::LoadPredictions(options.predictions, instances));
  const std::string run_id =
      options.run_id.empty() ? DefaultRunId(options.predictions) : options.run_id;

  evals::EnvironmentOptions environment_options;
  environment_options.repos_dir = options.repos;
  environment_options.cache_dir =
      options.cache_dir.empty() ? DefaultCacheDir() : fs::path(options.cache_dir);
  environment_options.sandbox.isolation =
      options.sandbox == "off" ? sandbox::Isolation::kUnsandboxed : sandbox::Isolation::kSandboxed;
  environment_options.sandbox.memory_bytes =
      static_cast<uint64_t>(options.memory_gib * static_cast<double>(uint64_t{1} << 30));
  environment_options.setup_timeout = std::chrono::seconds(options.build_timeout_seconds);
  FATHOM_ASSIGN_OR_RETURN(evals::Environment environment,
                          evals::Environment::Open(std::move(environment_options)));

  evals::RunnerOptions runner_options;
  runner_options.run_id = run_id;
  runner_options.jobs = options.jobs;
  runner_options.log_root = options.log_dir;
  runner_options.test_timeout = std::chrono::seconds(options.timeout_seconds);
  runner_options.regrade = options.regrade;
  FATHOM_ASSIGN_OR_RETURN(
      evals::RunState state,
      evals::RunState::Open(fs::path(options.log_dir) / run_id / "fathom_state.sqlite"));

  std::cerr << "fathom eval: run " << run_id << ", " << instances.size() << " instances ("
            << predictions.size() << " with predictions), shard " << shard.index << "/"
            << shard.count << ", " << options.jobs << " worker(s)\n";
  evals::LoadedPredictions source(std::move(predictions));
  ProgressLine progress(stderr);
  FATHOM_ASSIGN_OR_RETURN(
      const evals::RunResult result,
      evals::RunEvaluation(instances, source, environment, state, runner_options,
                           [&](const evals::RunProgress& update) { progress.Update(update); }));
  progress.Finish();

  const base::Json summary = evals::RunSummaryJson(instances, result.predictions, result.outcomes);
  const std::string model =
      result.predictions.empty()
          ? "none"
          : evals::ModelDirectoryName(result.predictions.front().model_name_or_path);
  const fs::path summary_path = fs::path(options.report_dir) / (model + "." + run_id + ".json");
  std::error_code error;
  fs::create_directories(options.report_dir, error);
  FATHOM_TRY(base::WriteFileAtomically(summary_path, summary.dump(4) + "\n"));
  if (options.json) {
    std::cout << summary.dump(2) << "\n";
  } else {
    std::cout << evals::RunSummaryTable(instances, result.predictions, result.outcomes);
    for (const evals::InstanceOutcome& outcome : result.outcomes) {
      if (outcome.status == evals::InstanceStatus::kError) {
        std::cout << "error: " << outcome.instance_id << ": " << outcome.error << "\n";
      }
    }
    std::cout << "summary: " << summary_path.string() << "\n";
  }
  return summary["error_instances"].get<int>() > 0 ? kInstanceErrorExit : 0;
}

}  // namespace

void AddEvalCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<EvalOptions>();
  CLI::App* command = app.add_subcommand(
      "eval", "Grade predictions on SWE-bench task instances offline (no Docker)");
  command->add_option("--tasks", options->tasks, "SWE-bench task instances (JSONL)")
      ->required()
      ->check(CLI::ExistingFile);
  command
      ->add_option("--predictions", options->predictions,
                   "Predictions (.jsonl, .json list or dict), or gold, or empty")
      ->required();
  command
      ->add_option("--repos", options->repos,
                   "Directory of repository sources: git bundles, bare repositories, tarballs")
      ->required()
      ->check(CLI::ExistingDirectory);
  command->add_option("--run-id", options->run_id,
                      "Name of the run; a rerun with the same id resumes it (default: the "
                      "predictions' name)");
  command->add_option("-j,--jobs", options->jobs, "Instances graded in parallel")
      ->check(CLI::Range(1, 256));
  command->add_option("--shard", options->shard, "Grade only shard I of N (I/N, 1-based)");
  command
      ->add_option("--instance-ids", options->instance_ids,
                   "Grade only these instances (space- or comma-separated)")
      ->delimiter(',');
  command
      ->add_option("--timeout", options->timeout_seconds,
                   "Seconds an instance's tests may run (official default 1800)")
      ->check(CLI::PositiveNumber);
  command
      ->add_option("--build-timeout", options->build_timeout_seconds,
                   "Seconds the build at the base commit may take")
      ->check(CLI::PositiveNumber);
  command->add_option("--memory-gib", options->memory_gib, "Memory limit of each run in GiB")
      ->check(CLI::Range(0.25, 1024.0));
  command->add_option("--cache-dir", options->cache_dir,
                      "Imported repositories and cached builds (default ~/.cache/fathom)");
  command->add_option("--log-dir", options->log_dir, "Per-instance logs and the run state");
  command->add_option("--report-dir", options->report_dir, "Where <model>.<run_id>.json goes");
  command
      ->add_option("--sandbox", options->sandbox,
                   "on (default) or off: run builds and tests without isolation")
      ->check(CLI::IsMember({"on", "off"}));
  command->add_flag("--regrade", options->regrade,
                    "Grade every instance again, ignoring what the run already recorded");
  command->add_flag("--json", options->json, "Print the summary JSON instead of the table");
  command->callback([options, &exit_code] {
    base::Result<int> result = RunEval(*options);
    if (result.ok()) {
      exit_code = *result;
    } else {
      std::cerr << "fathom eval: " << result.error().message() << "\n";
      exit_code = kNotStartedExit;
    }
  });
}

}  // namespace fathom::cli
