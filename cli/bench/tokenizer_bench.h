// `fathom bench tokenizer`: Encode throughput (MB/s, one thread) of a tokenizer.json on the golden
// texts of the tokenizer fixtures and on the text files of a source tree. Each corpus is measured
// on a freshly loaded tokenizer: the first pass fills the word cache, later passes reuse it. The
// subcommand is owned by the CLI11 app.
#pragma once

#include <CLI/CLI.hpp>
#include <ostream>
#include <string>

namespace fathom::cli {

struct BenchTokenizerOptions {
  std::string tokenizer_path = "../shared/fixtures/tokenizer/deepseek_v3_tokenizer.json";
  std::string texts_path;  // JSONL with "text" fields; empty: deepseek_v3_golden.jsonl beside it
  std::string tree = ".";  // a directory whose text files are the second corpus
  int passes = 5;
};

// Adds `tokenizer` to the `bench` subcommand; when run, stores the exit code.
void AddBenchTokenizerCommand(CLI::App& bench, int& exit_code);

int RunBenchTokenizer(const BenchTokenizerOptions& options, std::ostream& out, std::ostream& error);

}  // namespace fathom::cli
