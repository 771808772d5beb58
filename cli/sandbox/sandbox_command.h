// `fathom sandbox [options] -- CMD ARGS...`: runs one command under the default sandbox policy for
// a workspace (or a policy file), streaming its output, and exits with its exit code (128+N for
// signal N, 124 on the wall-time limit, 125 when the command could not be started). --json prints
// the whole result instead. --sandbox=off is the explicit, loudly logged way to run unsandboxed.
#pragma once

#include <CLI/CLI.hpp>

namespace fathom::cli {

// Adds the `sandbox` subcommand to `app`; when given, it runs and stores its exit code.
void AddSandboxCommand(CLI::App& app, int& exit_code);

}  // namespace fathom::cli
