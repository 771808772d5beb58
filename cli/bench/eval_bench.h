// `fathom bench eval`: the harness's cost. Per instance, the gold patch graded three ways: the
// bare commands by hand (checkout, the official build and test scripts run with bash, no sandbox,
// no cache), the harness cold (fresh cache: import, checkout, sandboxed build, snapshot) and warm
// (build from the cache). Then throughput: the same instances graded with -j 1 and -j N.
#pragma once

#include <CLI/CLI.hpp>
#include <ostream>
#include <string>
#include <vector>

namespace fathom::cli {

struct BenchEvalOptions {
  std::string tasks;
  std::string repos;
  std::vector<std::string> overhead_ids;
  std::vector<std::string> throughput_ids;
  int jobs = 2;
  std::string work_dir;  // scratch space; a fresh temporary directory when empty
};

// Adds `eval` to the `bench` subcommand; when run, stores the exit code.
void AddBenchEvalCommand(CLI::App& bench, int& exit_code);

int RunBenchEval(const BenchEvalOptions& options, std::ostream& out, std::ostream& error);

}  // namespace fathom::cli
