#include "cli/bench/bench_command.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <vector>

#include "base/thread_pool.h"
#include "cli/bench/memory_bandwidth.h"
#include "cli/bench/eval_bench.h"
#include "cli/bench/sandbox_bench.h"
#include "cli/bench/tokenizer_bench.h"
#include "engine/models/deepseek_v4/model.h"
#include "engine/models/deepseek_v4/synthetic_weights.h"

namespace fathom::cli {
namespace {

using Clock = std::chrono::steady_clock;
using namespace engine::deepseek_v4;

double Seconds(Clock::time_point begin) {
  return std::chrono::duration<double>(Clock::now() - begin).count();
}

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

}  // namespace

void AddBenchCommand(CLI::App& app, int& exit_code) {
  CLI::App* bench = app.add_subcommand("bench", "Benchmarks (results go to docs/performance.md)");
  bench->require_subcommand(1);
  auto options = std::make_shared<BenchEngineOptions>();
  CLI::App* engine = bench->add_subcommand(
      "engine", "Decode and prefill tokens/s of a V4-Flash-shaped model vs the bandwidth roofline");
  engine->add_option("--layers", options->layers, "Layers (alternating CSA and HCA)")
      ->check(CLI::Range(1, 8));
  engine->add_option("--prompt", options->prompt_tokens, "Prompt tokens prefilled in one chunk")
      ->check(CLI::Range(1, 4096));
  engine->add_option("--decode", options->decode_tokens, "Tokens decoded one at a time")
      ->check(CLI::Range(1, 4096));
  engine->add_option("--threads", options->threads, "Worker threads (0: all hardware threads)");
  engine->callback(
      [options, &exit_code] { exit_code = RunBenchEngine(*options, std::cout, std::cerr); });
  AddBenchTokenizerCommand(*bench, exit_code);
  AddBenchSandboxCommand(*bench, exit_code);
  AddBenchEvalCommand(*bench, exit_code);
}

int RunBenchEngine(const BenchEngineOptions& options, std::ostream& out, std::ostream& error) {
  base::ThreadPool pool(options.threads);
  out << "threads: " << pool.size() << "\n";
  const double bandwidth = MeasureReadBandwidth(pool, size_t{1} << 30, 5);
  out << "memory read bandwidth: " << bandwidth / 1e9 << " GB/s\n";

  DeepSeekV4Config config = FlashShapedConfig(options.layers);
  auto build_start = Clock::now();
  ModelWeights weights = SyntheticWeights(config, options.seed, pool);
  const size_t weight_bytes = DecodeWeightBytes(weights, config);
  auto model = DeepSeekV4Model::FromWeights(config, std::move(weights),
                                            NumericsOptions::ForConfig(config), &pool);
  out << "model: V4-Flash shapes, " << options.layers << " layers (CSA/HCA), FP8 + FP4 experts, "
      << "built in " << Seconds(build_start) << " s\n";

  std::vector<int32_t> tokens;
  for (int64_t i = 0; i < options.prompt_tokens + options.decode_tokens; ++i) {
    tokens.push_back(static_cast<int32_t>((i * 7919 + 11) % config.vocab_size));
  }
  engine::SequenceState state = model->NewSequence();
  auto prefill_start = Clock::now();
  auto prefill =
      model->Forward(state, std::span<const int32_t>(tokens).first(options.prompt_tokens));
  if (!prefill.ok()) {
    error << "fathom bench engine: " << prefill.error() << "\n";
    return 1;
  }
  const double prefill_seconds = Seconds(prefill_start);
  std::vector<double> step_seconds;
  for (int64_t i = 0; i < options.decode_tokens; ++i) {
    auto step_start = Clock::now();
    auto step = model->Forward(
        state, std::span<const int32_t>(tokens).subspan(options.prompt_tokens + i, 1));
    if (!step.ok()) {
      error << "fathom bench engine: " << step.error() << "\n";
      return 1;
    }
    step_seconds.push_back(Seconds(step_start));
  }
  // The median step: this benchmark's machines are shared VMs whose speed drifts during a run.
  std::sort(step_seconds.begin(), step_seconds.end());
  const double decode_seconds = step_seconds[step_seconds.size() / 2];
  const double bytes_per_token = static_cast<double>(weight_bytes + state.Bytes());
  const double roofline_seconds = bytes_per_token / bandwidth;
  out << "prefill: " << options.prompt_tokens << " tokens in " << prefill_seconds << " s ("
      << static_cast<double>(options.prompt_tokens) / prefill_seconds << " tokens/s)\n";
  out << "decode (median of " << step_seconds.size() << " steps, fastest "
      << step_seconds.front() * 1e3 << " ms): " << decode_seconds * 1e3 << " ms/token ("
      << 1.0 / decode_seconds << " tokens/s); reads " << bytes_per_token / kGiB
      << " GiB/token (weights " << static_cast<double>(weight_bytes) / kGiB
      << " GiB, sequence state " << static_cast<double>(state.Bytes()) / kGiB << " GiB)\n";
  out << "decode roofline: " << roofline_seconds * 1e3 << " ms/token; achieved "
      << 100.0 * roofline_seconds / decode_seconds << "% of it ("
      << bytes_per_token / decode_seconds / 1e9 << " GB/s)\n";
  return 0;
}

}  // namespace fathom::cli
