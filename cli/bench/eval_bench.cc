#include "cli/bench/eval_bench.h"

#include <stdlib.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include "base/file.h"
#include "base/run_program.h"
#include "evals/eval_script.h"
#include "evals/git/checkout.h"
#include "evals/instance_grader.h"
#include "evals/run_state.h"
#include "evals/runner.h"

namespace fathom::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct BareTimes {
  double checkout = 0;
  double commands = 0;  // apply + setup + eval scripts
};

// The gold patch graded by hand: a checkout, then `git apply` and the official scripts with bash
// under the recipe's environment, unsandboxed and uncached.
base::Result<BareTimes> GradeByHand(const evals::TaskInstance& instance,
                                    evals::git::RepositorySources& sources, const fs::path& root) {
  const evals::Recipe* recipe = evals::FindRecipe(instance.repo);
  if (recipe == nullptr) return base::NotFoundError("no recipe for " + instance.repo);
  const evals::InstanceWorkdir workdir{root};
  FATHOM_TRY(evals::PrepareWorkdir(workdir, *recipe));
  BareTimes times;
  auto started = Clock::now();
  FATHOM_ASSIGN_OR_RETURN(const fs::path bare, sources.BareRepository(instance.repo));
  FATHOM_TRY(evals::git::CheckoutCommit(sources, bare, instance.base_commit, workdir.testbed()));
  times.checkout = SecondsSince(started);

  FATHOM_ASSIGN_OR_RETURN(const evals::EvalScripts scripts,
                          evals::MakeEvalScripts(instance, *recipe, workdir.testbed()));
  FATHOM_TRY(base::WriteFileAtomically(root / "gold.diff", instance.patch));
  FATHOM_TRY(base::WriteFileAtomically(root / "setup.sh", scripts.setup));
  FATHOM_TRY(base::WriteFileAtomically(root / "eval.sh", scripts.eval));
  std::vector<std::string> env = {"env"};
  for (const auto& [name, value] : evals::ScriptEnvironment(workdir, *recipe)) {
    env.push_back(name + "=" + value);
  }
  const auto run_script = [&](const fs::path& script) {
    std::vector<std::string> argv = env;
    argv.insert(argv.end(), {"bash", "-c", "cd \"$0\" && bash \"$1\" > \"$1.log\" 2>&1",
                             workdir.testbed().string(), script.string()});
    return base::RunProgram(argv);
  };
  started = Clock::now();
  if (!scripts.setup.empty()) FATHOM_TRY(run_script(root / "setup.sh"));
  FATHOM_TRY(base::RunProgram(
      {"git", "-C", workdir.testbed().string(), "apply", (root / "gold.diff").string()}));
  FATHOM_TRY(run_script(root / "eval.sh"));
  times.commands = SecondsSince(started);
  return times;
}

base::Result<evals::Environment> OpenEnvironment(const BenchEvalOptions& options,
                                                 const fs::path& cache) {
  evals::EnvironmentOptions environment;
  environment.repos_dir = options.repos;
  environment.cache_dir = cache;
  return evals::Environment::Open(std::move(environment));
}

base::Status MeasureOverhead(const BenchEvalOptions& options,
                             const std::vector<evals::TaskInstance>& instances,
                             const fs::path& scratch, std::ostream& out) {
  out << "instance                        checkout  by hand  harness cold  harness warm  "
         "cold-by hand\n";
  for (const evals::TaskInstance& instance : instances) {
    const fs::path root = scratch / instance.instance_id;
    FATHOM_ASSIGN_OR_RETURN(
        evals::git::RepositorySources sources,
        evals::git::RepositorySources::Open(options.repos, root / "by-hand-repos"));
    FATHOM_ASSIGN_OR_RETURN(const BareTimes bare, GradeByHand(instance, sources, root / "by-hand"));
    FATHOM_ASSIGN_OR_RETURN(evals::Environment environment,
                            OpenEnvironment(options, root / "cache"));
    evals::InstanceGrader grader(environment, root / "logs", std::chrono::seconds(1800));
    const evals::Prediction gold{instance.instance_id, "gold", instance.patch};
    const evals::InstanceOutcome cold = grader.Grade(instance, gold);
    const evals::InstanceOutcome warm = grader.Grade(instance, gold);
    for (const evals::InstanceOutcome* outcome : {&cold, &warm}) {
      if (outcome->status != evals::InstanceStatus::kResolved) {
        return base::InternalError(instance.instance_id + ": the gold patch did not resolve (" +
                                   std::string(evals::InstanceStatusName(outcome->status)) + " " +
                                   outcome->error + ")");
      }
    }
    const double cold_s = static_cast<double>(cold.total_time.count()) / 1000.0;
    const double warm_s = static_cast<double>(warm.total_time.count()) / 1000.0;
    const double hand_s = bare.checkout + bare.commands;
    char line[256];
    std::snprintf(line, sizeof line, "%-30.30s %8.1fs %7.1fs %12.1fs %12.1fs %+11.1fs\n",
                  instance.instance_id.c_str(), bare.checkout, hand_s, cold_s, warm_s,
                  cold_s - hand_s);
    out << line << std::flush;
  }
  return base::Ok();
}

base::Status MeasureThroughput(const BenchEvalOptions& options,
                               const std::vector<evals::TaskInstance>& instances,
                               const fs::path& scratch, std::ostream& out) {
  FATHOM_ASSIGN_OR_RETURN(evals::Environment environment,
                          OpenEnvironment(options, scratch / "throughput-cache"));
  FATHOM_ASSIGN_OR_RETURN(evals::RunState state,
                          evals::RunState::Open(scratch / "throughput-state.sqlite"));
  std::vector<evals::Prediction> gold;
  for (const evals::TaskInstance& instance : instances) {
    gold.push_back({instance.instance_id, "gold", instance.patch});
  }
  evals::LoadedPredictions source(gold);
  for (const int jobs : {1, options.jobs}) {
    evals::RunnerOptions runner;
    runner.run_id = "throughput-j" + std::to_string(jobs);
    runner.jobs = jobs;
    runner.log_root = scratch / "throughput-logs";
    const auto started = Clock::now();
    FATHOM_ASSIGN_OR_RETURN(
        const evals::RunResult result,
        evals::RunEvaluation(instances, source, environment, state, runner, nullptr));
    const double seconds = SecondsSince(started);
    size_t resolved = 0;
    for (const evals::InstanceOutcome& outcome : result.outcomes) {
      resolved += outcome.status == evals::InstanceStatus::kResolved ? 1 : 0;
    }
    char line[160];
    std::snprintf(line, sizeof line,
                  "-j %d: %zu instances (%zu resolved) in %.1f s = %.1f instances/hour\n", jobs,
                  result.outcomes.size(), resolved, seconds,
                  3600.0 * static_cast<double>(result.outcomes.size()) / seconds);
    out << line << std::flush;
  }
  return base::Ok();
}

base::Result<std::vector<evals::TaskInstance>> Select(const std::vector<evals::TaskInstance>& all,
                                                      const std::vector<std::string>& ids) {
  if (ids.empty()) return std::vector<evals::TaskInstance>();
  return evals::SelectInstances(all, ids, {1, 1});
}

base::Status Run(const BenchEvalOptions& options, std::ostream& out) {
  if (options.overhead_ids.empty() && options.throughput_ids.empty()) {
    return base::InvalidArgumentError("name instances with --overhead-ids or --throughput-ids");
  }
  FATHOM_ASSIGN_OR_RETURN(const std::vector<evals::TaskInstance> all,
                          evals::LoadTaskInstances(options.tasks));
  FATHOM_ASSIGN_OR_RETURN(const std::vector<evals::TaskInstance> overhead,
                          Select(all, options.overhead_ids));
  FATHOM_ASSIGN_OR_RETURN(const std::vector<evals::TaskInstance> throughput,
                          Select(all, options.throughput_ids));
  fs::path scratch = options.work_dir;
  if (scratch.empty()) {
    char path[] = "/var/tmp/fathom-bench-eval-XXXXXX";
    if (mkdtemp(path) == nullptr) return base::InternalError("mkdtemp failed");
    scratch = path;
  }
  out << "fathom bench eval: scratch " << scratch.string() << "\n";
  base::Status status = base::Ok();
  if (!overhead.empty()) status = MeasureOverhead(options, overhead, scratch, out);
  if (status.ok() && !throughput.empty()) {
    status = MeasureThroughput(options, throughput, scratch, out);
  }
  if (options.work_dir.empty()) (void)base::RunProgram({"rm", "-rf", scratch.string()});
  return status;
}

}  // namespace

int RunBenchEval(const BenchEvalOptions& options, std::ostream& out, std::ostream& error) {
  const base::Status status = Run(options, out);
  if (status.ok()) return 0;
  error << "fathom bench eval: " << status.error().message() << "\n";
  return 1;
}

void AddBenchEvalCommand(CLI::App& bench, int& exit_code) {
  auto options = std::make_shared<BenchEvalOptions>();
  CLI::App* command = bench.add_subcommand(
      "eval", "SWE-bench harness overhead beside the bare commands, and -j throughput");
  command->add_option("--tasks", options->tasks, "SWE-bench task instances (JSONL)")
      ->required()
      ->check(CLI::ExistingFile);
  command->add_option("--repos", options->repos, "Directory of repository sources")
      ->required()
      ->check(CLI::ExistingDirectory);
  command
      ->add_option("--overhead-ids", options->overhead_ids,
                   "Instances graded by hand, cold and warm")
      ->delimiter(',');
  command
      ->add_option("--throughput-ids", options->throughput_ids,
                   "Instances graded with -j 1 and -j N")
      ->delimiter(',');
  command->add_option("-j,--jobs", options->jobs, "N for the throughput run")
      ->check(CLI::Range(1, 64));
  command->add_option("--work-dir", options->work_dir, "Scratch directory (kept when given)");
  command->callback(
      [options, &exit_code] { exit_code = RunBenchEval(*options, std::cout, std::cerr); });
}

}  // namespace fathom::cli
