#include "cli/generate/generate_command.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>

#include "base/thread_pool.h"
#include "engine/models/deepseek_v4/model.h"
#include "engine/tokenizer/tokenizer.h"

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

// The tokenizer of --tokenizer, else of the model directory's tokenizer.json; nullopt when neither
// is given and the text prompt does not need one.
base::Result<std::optional<engine::Tokenizer>> LoadTokenizer(const GenerateOptions& options) {
  std::filesystem::path path = options.tokenizer_path;
  if (path.empty()) {
    path = std::filesystem::path(options.model_dir) / "tokenizer.json";
    if (!std::filesystem::exists(path)) {
      if (options.prompt.empty()) return std::optional<engine::Tokenizer>();
      return base::NotFoundError("--prompt needs a tokenizer: " + options.model_dir +
                                 " has no tokenizer.json (pass --tokenizer PATH)");
    }
  }
  FATHOM_ASSIGN_OR_RETURN(engine::Tokenizer tokenizer, engine::Tokenizer::Load(path));
  return std::optional<engine::Tokenizer>(std::move(tokenizer));
}

// The prompt's ids: --prompt-ids, or --prompt encoded by `tokenizer`.
base::Result<std::vector<int32_t>> PromptIds(const GenerateOptions& options,
                                             const std::optional<engine::Tokenizer>& tokenizer) {
  if (options.prompt.empty()) return options.prompt_ids;
  FATHOM_ASSIGN_OR_RETURN(std::vector<int32_t> ids, tokenizer->Encode(options.prompt));
  if (ids.empty()) return base::InvalidArgumentError("--prompt encodes to no tokens");
  return ids;
}

}  // namespace

void AddGenerateCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<GenerateOptions>();
  CLI::App* command =
      app.add_subcommand("generate", "Generate greedily with the in-process engine");
  command->add_option("--model", options->model_dir, "Model directory (config.json + safetensors)")
      ->required()
      ->check(CLI::ExistingDirectory);
  CLI::Option* ids =
      command->add_option("--prompt-ids", options->prompt_ids, "Prompt token ids, e.g. 1,2,3")
          ->delimiter(',');
  CLI::Option* text = command->add_option(
      "--prompt", options->prompt, "Prompt text, tokenized as is (no BOS, no chat template)");
  ids->excludes(text);
  command
      ->add_option("--tokenizer", options->tokenizer_path,
                   "tokenizer.json (default: the model directory's)")
      ->check(CLI::ExistingFile);
  command->add_option("-n,--max-new-tokens", options->max_new_tokens, "Tokens to generate")
      ->check(CLI::NonNegativeNumber);
  command->add_option("--threads", options->threads, "Worker threads (0: all hardware threads)");
  command->add_flag("!--no-stop-at-eos", options->stop_at_eos, "Keep generating past EOS");
  command->callback(
      [options, &exit_code] { exit_code = RunGenerate(*options, std::cout, std::cerr); });
}

int RunGenerate(const GenerateOptions& options, std::ostream& out, std::ostream& error) {
  auto tokenizer = LoadTokenizer(options);
  if (!tokenizer.ok()) {
    error << "fathom generate: " << tokenizer.error() << "\n";
    return 1;
  }
  auto prompt_ids = PromptIds(options, *tokenizer);
  if (!prompt_ids.ok() || prompt_ids->empty()) {
    error << "fathom generate: "
          << (prompt_ids.ok() ? "give --prompt-ids or --prompt" : prompt_ids.error().ToString())
          << "\n";
    return 1;
  }
  if (!options.prompt.empty()) {
    out << "prompt ids:";
    for (int32_t token : *prompt_ids) out << " " << token;
    out << "\n";
  }
  base::ThreadPool pool(options.threads);
  auto model = DeepSeekV4Model::Load(options.model_dir, &pool);
  if (!model.ok()) {
    error << "fathom generate: " << model.error() << "\n";
    return 1;
  }
  engine::SequenceState state = (*model)->NewSequence();
  auto start = Clock::now();
  auto logits = (*model)->Forward(state, *prompt_ids);
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
  if (tokenizer->has_value()) {
    auto decoded = (*tokenizer)->Decode(generated);
    if (!decoded.ok()) {
      error << "fathom generate: decoding the generated ids: " << decoded.error() << "\n";
      return 1;
    }
    out << "text: " << *decoded << "\n";
  }
  const double prefill_seconds = Seconds(start, prefilled);
  const double decode_seconds = Seconds(prefilled, finished);
  const size_t decoded = generated.empty() ? 0 : generated.size() - 1;
  out << "prefill: " << prompt_ids->size() << " tokens in " << prefill_seconds * 1e3 << " ms ("
      << static_cast<double>(prompt_ids->size()) / prefill_seconds << " tokens/s)\n";
  out << "decode: " << decoded << " tokens in " << decode_seconds * 1e3 << " ms";
  if (decoded > 0) out << " (" << static_cast<double>(decoded) / decode_seconds << " tokens/s)";
  out << "\n";
  return 0;
}

}  // namespace fathom::cli
