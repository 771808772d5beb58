// fathom: the composition root. Parses the command line with CLI11; the chosen subcommand runs
// from its parse callback and sets the exit code. CLI11's parse exceptions end here and become
// its usage message and exit code; an unknown subcommand is an unexpected argument.
#include <CLI/CLI.hpp>

#include "cli/bench/bench_command.h"
#include "cli/doctor/doctor_command.h"
#include "cli/eval/eval_command.h"
#include "cli/generate/generate_command.h"
#include "cli/sandbox/sandbox_command.h"

int main(int argc, char** argv) {
  CLI::App app("fathom: an agentic coding runtime with an in-process DeepSeek-V4 engine", "fathom");
  app.set_version_flag("--version", "fathom " FATHOM_VERSION);
  app.require_subcommand(0, 1);

  int exit_code = 0;
  fathom::cli::AddDoctorCommand(app, exit_code);
  fathom::cli::AddGenerateCommand(app, exit_code);
  fathom::cli::AddBenchCommand(app, exit_code);
  fathom::cli::AddSandboxCommand(app, exit_code);
  fathom::cli::AddEvalCommand(app, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error);
  }
  if (app.get_subcommands().empty()) return app.exit(CLI::RequiredError::Subcommand(1));
  return exit_code;
}
