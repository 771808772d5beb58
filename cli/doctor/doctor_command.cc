#include "cli/doctor/doctor_command.h"

#include <iostream>
#include <memory>
#include <vector>

#include "cli/doctor/checks.h"
#include "cli/doctor/report.h"

namespace fathom::cli {

void AddDoctorCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<DoctorOptions>();
  CLI::App* doctor = app.add_subcommand("doctor",
                                        "Check this machine: CPU, memory, CUDA, sandbox kernel "
                                        "features, tree-sitter grammars, SQLite FTS5");
  doctor->add_flag("--json", options->json, "Print the report as a JSON object");
  doctor->callback([options, &exit_code] { exit_code = RunDoctor(*options, std::cout); });
}

int RunDoctor(const DoctorOptions& options, std::ostream& out) {
  // The sandbox probes fork, so they run before anything starts threads.
  const sandbox::KernelFeatures kernel = sandbox::ProbeKernelFeatures();
  std::vector<CheckResult> results = {CheckCpu(), CheckCores(), CheckMemory(kernel.cgroups),
                                      CheckCuda()};
  for (CheckResult& result : CheckSandbox(kernel)) results.push_back(std::move(result));
  results.push_back(CheckTreeSitter());
  results.push_back(CheckSqlite());
  if (options.json) {
    out << RenderJson(results).dump(2, ' ', false, base::Json::error_handler_t::replace) << '\n';
  } else {
    RenderTable(results, out);
  }
  return RequiredChecksPassed(results) ? 0 : 1;
}

}  // namespace fathom::cli
