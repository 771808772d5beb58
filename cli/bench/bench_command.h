// `fathom bench engine`: builds a V4-Flash-shaped model in memory (real layer dimensions, FP8
// weights, FP4 experts, random from a fixed seed), measures prefill and decode tokens/s on the CPU
// backend and reports decode as a fraction of the bandwidth roofline (weight and KV bytes per
// token ÷ the read bandwidth this command measures). The subcommand is owned by the CLI11 app.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <ostream>

namespace fathom::cli {

struct BenchEngineOptions {
  int64_t layers = 2;
  int64_t prompt_tokens = 64;
  int64_t decode_tokens = 16;
  size_t threads = 0;
  uint64_t seed = 4;
};

// Adds `bench` with its `engine` subcommand to `app`; when run, stores the exit code.
void AddBenchCommand(CLI::App& app, int& exit_code);

int RunBenchEngine(const BenchEngineOptions& options, std::ostream& out, std::ostream& error);

}  // namespace fathom::cli
