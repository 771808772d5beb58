#include "cli/bench/tokenizer_bench.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <sstream>
#include <vector>

#include "base/file.h"
#include "base/json.h"
#include "base/utf8.h"
#include "engine/tokenizer/tokenizer.h"

namespace fathom::cli {
namespace {

using Clock = std::chrono::steady_clock;

// Files above this size are skipped (generated data, not source).
constexpr uintmax_t kMaxFileBytes = 1 << 20;

struct Corpus {
  std::string name;
  std::vector<std::string> texts;
  size_t bytes = 0;
};

void Add(Corpus& corpus, std::string text) {
  corpus.bytes += text.size();
  corpus.texts.push_back(std::move(text));
}

base::Result<Corpus> GoldenTexts(const std::filesystem::path& path) {
  FATHOM_ASSIGN_OR_RETURN(std::string lines, base::ReadFileToString(path));
  Corpus corpus{"golden texts (" + path.filename().string() + ")", {}, 0};
  std::istringstream stream(lines);
  for (std::string line; std::getline(stream, line);) {
    if (line.empty()) continue;
    base::Result<base::Json> json = base::ParseJson(line);
    if (!json.ok()) return std::move(json).error().WithContext(path.string());
    auto text = json->find("text");
    if (text == json->end() || !text->is_string()) {
      return base::InvalidArgumentError(path.string() + ": a line has no \"text\" string");
    }
    Add(corpus, text->get<std::string>());
  }
  return corpus;
}

bool SkippedDirectory(const std::filesystem::path& path) {
  const std::string name = path.filename().string();
  return name.starts_with('.') || name == "build" || name == "node_modules";
}

// The well-formed UTF-8 text files under `root` without NUL bytes (source, docs, data).
base::Result<Corpus> TreeTexts(const std::filesystem::path& root) {
  Corpus corpus{"source tree " + root.string(), {}, 0};
  std::error_code failure;
  std::filesystem::recursive_directory_iterator it(
      root, std::filesystem::directory_options::skip_permission_denied, failure);
  if (failure) return base::ErrnoError("reading " + root.string(), failure.value());
  for (; it != std::filesystem::recursive_directory_iterator(); it.increment(failure)) {
    if (failure) return base::ErrnoError("walking " + root.string(), failure.value());
    if (it->is_directory(failure) && SkippedDirectory(it->path())) {
      it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(failure) || it->file_size(failure) > kMaxFileBytes) continue;
    base::Result<std::string> text = base::ReadFileToString(it->path());
    if (!text.ok() || text->find('\0') != std::string::npos || !base::IsValidUtf8(*text)) continue;
    Add(corpus, std::move(text).value());
  }
  if (corpus.texts.empty()) return base::NotFoundError("no text files under " + root.string());
  return corpus;
}

double MegabytesPerSecond(size_t bytes, double seconds) {
  return static_cast<double>(bytes) / 1e6 / seconds;
}

// Encodes every text of `corpus` `passes` times on a fresh tokenizer and reports the first pass
// and the fastest later one.
base::Status Measure(const std::filesystem::path& tokenizer_path, const Corpus& corpus, int passes,
                     std::ostream& out) {
  FATHOM_ASSIGN_OR_RETURN(engine::Tokenizer tokenizer, engine::Tokenizer::Load(tokenizer_path));
  std::vector<double> seconds;
  size_t tokens = 0;
  for (int pass = 0; pass < passes; ++pass) {
    tokens = 0;
    const auto start = Clock::now();
    for (const std::string& text : corpus.texts) {
      FATHOM_ASSIGN_OR_RETURN(std::vector<int32_t> ids, tokenizer.Encode(text));
      tokens += ids.size();
    }
    seconds.push_back(std::chrono::duration<double>(Clock::now() - start).count());
  }
  const double first = seconds.front();
  const double best =
      seconds.size() > 1 ? *std::min_element(seconds.begin() + 1, seconds.end()) : first;
  out << corpus.name << ": " << corpus.texts.size() << " texts, " << corpus.bytes << " bytes, "
      << tokens << " tokens (" << static_cast<double>(corpus.bytes) / static_cast<double>(tokens)
      << " bytes/token)\n"
      << "  first pass (empty word cache): " << MegabytesPerSecond(corpus.bytes, first)
      << " MB/s; best of " << seconds.size() - 1
      << " more: " << MegabytesPerSecond(corpus.bytes, best) << " MB/s\n";
  return base::Ok();
}

}  // namespace

void AddBenchTokenizerCommand(CLI::App& bench, int& exit_code) {
  auto options = std::make_shared<BenchTokenizerOptions>();
  CLI::App* command = bench.add_subcommand(
      "tokenizer", "Encode MB/s on the golden tokenizer texts and on a source tree");
  command->add_option("--tokenizer", options->tokenizer_path, "tokenizer.json to load")
      ->check(CLI::ExistingFile);
  command->add_option("--texts", options->texts_path,
                      "JSONL of {\"text\": ...} (default: deepseek_v3_golden.jsonl beside it)");
  command->add_option("--tree", options->tree, "Directory whose text files are encoded")
      ->check(CLI::ExistingDirectory);
  command->add_option("--passes", options->passes, "Passes over each corpus")
      ->check(CLI::Range(1, 100));
  command->callback(
      [options, &exit_code] { exit_code = RunBenchTokenizer(*options, std::cout, std::cerr); });
}

int RunBenchTokenizer(const BenchTokenizerOptions& options, std::ostream& out,
                      std::ostream& error) {
  const std::filesystem::path tokenizer = options.tokenizer_path;
  const std::filesystem::path texts = options.texts_path.empty()
                                          ? tokenizer.parent_path() / "deepseek_v3_golden.jsonl"
                                          : std::filesystem::path(options.texts_path);
  out << "tokenizer: " << tokenizer.string() << " (encode, 1 thread)\n";
  for (auto corpus : {GoldenTexts(texts), TreeTexts(options.tree)}) {
    base::Status measured = corpus.ok() ? Measure(tokenizer, *corpus, options.passes, out)
                                        : base::Status(corpus.error());
    if (!measured.ok()) {
      error << "fathom bench tokenizer: " << measured.error() << "\n";
      return 1;
    }
  }
  return 0;
}

}  // namespace fathom::cli
