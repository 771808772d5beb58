#include "cli/generate/generate_command.h"

#include <algorithm>
#include <chrono>
#include <memory>

#include "base/thread_pool.h"
#include "engine/models/deepseek_v4/model.h"

namespace fathom::cli {
namespace {

using Clock = std::chrono::steady_clock;
using engine::deepseek_v4::DeepSeekV4Model;

int32_t ArgMax(const std::vector<float>& logits) {
  return static_cast<int32_t>(std::max_element(logits.begin(), logits.end()) - logits.begin());
}

double Seconds(Clock::time_point begin, Clock::time_point end) {
  return std::chrono::duration<double>(end - begin).count();
}

}  // namespace

void AddGenerateCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<GenerateOptions>();
  CLI::App* command =
      app.add_subcommand("generate", "Generate greedily from token ids with the in-process engine");
  command->add_option("--model", options->model_dir, "Model directory (config.json + safetensors)")
      ->required()
      ->check(CLI::ExistingDirectory);
  command->add_option("--prompt-ids", options->prompt_ids, "Prompt token ids, e.g. 1,2,3")
      ->required()
      ->delimiter(',');
  command->add_option("-n,--max-new-tokens", options->max_new_tokens, "Tokens to generate")
      ->check(CLI::NonNegativeNumber);
  command->add_option("--threads", options->threads, "Worker threads (0: all hardware threads)");
  command->add_flag("!--no-stop-at-eos", options->stop_at_eos, "Keep generating past EOS");
  command->callback(
      [options, &exit_code] { exit_code = RunGenerate(*options, std::cout, std::cerr); });
}

int RunGenerate(const GenerateOptions& options, std::ostream& out, std::ostream& error) {
  base::ThreadPool pool(options.threads);
  auto model = DeepSeekV4Model::Load(options.model_dir, &pool);
  if (!model.ok()) {
    error << "fathom generate: " << model.error() << "\n";
    return 1;
  }
  engine::SequenceState state = (*model)->NewSequence();
  auto start = Clock::now();
  auto logits = (*model)->Forward(state, options.prompt_ids);
  if (!logits.ok()) {
    error << "fathom generate: " << logits.error() << "\n";
    return 1;
  }
  auto prefilled = Clock::now();
  std::vector<int32_t> generated;
  const int32_t eos = static_cast<int32_t>((*model)->config().eos_token_id);
  while (static_cast<int64_t>(generated.size()) < options.max_new_tokens) {
    int32_t token = ArgMax(*logits);
    generated.push_back(token);
    if (options.stop_at_eos && token == eos) break;
    if (static_cast<int64_t>(generated.size()) == options.max_new_tokens) break;
    logits = (*model)->Forward(state, std::span<const int32_t>(&token, 1));
    if (!logits.ok()) {
      error << "fathom generate: " << logits.error() << "\n";
      return 1;
    }
  }
  auto finished = Clock::now();
  out << "generated:";
  for (int32_t token : generated) out << " " << token;
  out << "\n";
  const double prefill_seconds = Seconds(start, prefilled);
  const double decode_seconds = Seconds(prefilled, finished);
  const size_t decoded = generated.empty() ? 0 : generated.size() - 1;
  out << "prefill: " << options.prompt_ids.size() << " tokens in " << prefill_seconds * 1e3
      << " ms (" << static_cast<double>(options.prompt_ids.size()) / prefill_seconds
      << " tokens/s)\n";
  out << "decode: " << decoded << " tokens in " << decode_seconds * 1e3 << " ms";
  if (decoded > 0) out << " (" << static_cast<double>(decoded) / decode_seconds << " tokens/s)";
  out << "\n";
  return 0;
}

}  // namespace fathom::cli
