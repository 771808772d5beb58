// Line scans over diff headers; no diff parsing beyond the header lines.
#include "evals/patch_files.h"

#include <array>

namespace fathom::evals {

namespace {

// Calls `visit` with every line of `text` (without its newline).
template <typename Visit>
void ForEachLine(std::string_view text, Visit visit) {
  while (!text.empty()) {
    const size_t end = text.find('\n');
    visit(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
}

bool IsNonTestFile(std::string_view path) {
  // The official list; "csv" has no dot there, so it matches any name ending in "csv".
  static constexpr std::array<std::string_view, 11> kNonTestEndings = {
      ".json", ".png", "csv", ".txt", ".md", ".jpg", ".jpeg", ".pkl", ".yml", ".yaml", ".toml"};
  for (std::string_view ending : kNonTestEndings) {
    if (path.ends_with(ending)) return true;
  }
  return false;
}

}  // namespace

std::vector<std::string> ModifiedFiles(std::string_view diff) {
  std::vector<std::string> files;
  ForEachLine(diff, [&](std::string_view line) {
    if (line.starts_with("--- a/")) files.emplace_back(line.substr(6));
  });
  return files;
}

std::vector<std::string> TestDirectives(std::string_view diff) {
  std::vector<std::string> files;
  ForEachLine(diff, [&](std::string_view line) {
    if (!line.starts_with("diff --git ")) return;
    const size_t b = line.rfind(" b/");
    if (b == std::string_view::npos) return;
    const std::string_view path = line.substr(b + 3);
    if (!IsNonTestFile(path)) files.emplace_back(path);
  });
  return files;
}

}  // namespace fathom::evals
