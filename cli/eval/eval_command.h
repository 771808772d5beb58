// `fathom eval --tasks FILE --predictions FILE|gold|empty --repos DIR`: grades predictions on
// SWE-bench task instances offline, like the official harness (evals/). -j workers, --shard I/N,
// --instance-ids, resumable by --run-id. Writes logs/run_evaluation/<run_id>/<model>/<id>/ and
// <model>.<run_id>.json; prints a per-repository table. Exit: 0, 1 if an instance errored, 2
// when the run could not start.
#pragma once

#include <CLI/CLI.hpp>

namespace fathom::cli {

// Adds the `eval` subcommand to `app`; when given, it runs and stores its exit code.
void AddEvalCommand(CLI::App& app, int& exit_code);

}  // namespace fathom::cli
