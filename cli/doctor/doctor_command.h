// `fathom doctor`: checks that this machine can run fathom (CPU, memory, CUDA, sandbox kernel
// features, tree-sitter grammars, SQLite FTS5) and prints a table or, with --json, a JSON object.
// The subcommand and its parsed options are owned by the CLI11 app it is added to.
#pragma once

#include <CLI/CLI.hpp>
#include <ostream>

namespace fathom::cli {

struct DoctorOptions {
  bool json = false;
};

// Adds the `doctor` subcommand to `app`. When it is given, parsing runs it and stores its exit
// code in `exit_code`, which must outlive `app`.
void AddDoctorCommand(CLI::App& app, int& exit_code);

// Runs every check and writes the report to `out`. Returns the process exit code: 0 unless a
// check fathom's core needs (SQLite with FTS5, tree-sitter grammars) failed.
int RunDoctor(const DoctorOptions& options, std::ostream& out);

}  // namespace fathom::cli
