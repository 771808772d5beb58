// `fathom sandbox [options] -- CMD ARGS...`: one command under the default policy for a workspace
// (or a policy file), started in the current directory when inside it, output streamed (or --json).
// Exit code: the command's, 128+N for signal N, 124 on timeout, 125 when nothing ran.
// --sandbox=off is the explicit, loudly logged way to run unsandboxed.
#pragma once

#include <CLI/CLI.hpp>

namespace fathom::cli {

// Adds the `sandbox` subcommand to `app`; when given, it runs and stores its exit code.
void AddSandboxCommand(CLI::App& app, int& exit_code);

}  // namespace fathom::cli
