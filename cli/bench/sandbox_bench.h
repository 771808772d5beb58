// `fathom bench sandbox`: start-to-exit time of `true` and of `sh -c 'echo hi'` in fathom's
// sandbox (in-process Sandbox::Run, as the agent uses it, and the `fathom sandbox` CLI), beside
// bubblewrap configured for the same isolation (same namespaces, binds, hidden paths, capability
// drop and the same seccomp program), and beside an unsandboxed run as the floor.
#pragma once

#include <CLI/CLI.hpp>
#include <ostream>
#include <string>

namespace fathom::cli {

struct BenchSandboxOptions {
  int runs = 50;
  std::string bwrap = "/usr/bin/bwrap";
  // Anonymous memory the benchmark process touches first, standing in for an agent whose engine
  // holds a KV cache: fork-style launches copy the page tables of everything resident.
  int resident_mib = 0;
};

// Adds `sandbox` to the `bench` subcommand; when run, stores the exit code.
void AddBenchSandboxCommand(CLI::App& bench, int& exit_code);

int RunBenchSandbox(const BenchSandboxOptions& options, std::ostream& out, std::ostream& error);

}  // namespace fathom::cli
