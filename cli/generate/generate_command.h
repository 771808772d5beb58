// `fathom generate`: greedy generation with the in-process engine from a model directory, for
// checking a checkpoint and timing the CPU backend. The prompt is token ids or text (encoded as is,
// no BOS or chat template, by the model directory's tokenizer.json or --tokenizer). Prints the
// generated ids, their text when there is a tokenizer, and the prefill and decode throughput. The
// subcommand and its options are owned by the CLI11 app.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace fathom::cli {

struct GenerateOptions {
  std::string model_dir;
  std::vector<int32_t> prompt_ids;
  std::string prompt;          // text; used instead of prompt_ids when set
  std::string tokenizer_path;  // empty: <model_dir>/tokenizer.json when it exists
  int64_t max_new_tokens = 16;
  size_t threads = 0;  // 0: one per hardware thread
  bool stop_at_eos = true;
};

// Adds the `generate` subcommand to `app`; when given, it runs and stores its exit code.
void AddGenerateCommand(CLI::App& app, int& exit_code);

// Loads the model, generates greedily and reports to `out` (errors to `error`). Returns the
// process exit code.
int RunGenerate(const GenerateOptions& options, std::ostream& out, std::ostream& error);

}  // namespace fathom::cli
