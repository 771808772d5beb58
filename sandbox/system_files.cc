#include "sandbox/system_files.h"

#include <charconv>

#include "base/file.h"

namespace fathom::sandbox {

namespace {

std::string_view Trim(std::string_view text) {
  constexpr std::string_view kWhitespace = " \t\r\n";
  const size_t begin = text.find_first_not_of(kWhitespace);
  if (begin == std::string_view::npos) return {};
  const size_t end = text.find_last_not_of(kWhitespace);
  return text.substr(begin, end - begin + 1);
}

}  // namespace

base::Result<std::string> ReadTrimmedFile(const std::filesystem::path& path) {
  FATHOM_ASSIGN_OR_RETURN(std::string content, base::ReadFileToString(path));
  return std::string(Trim(content));
}

std::optional<int64_t> ReadIntegerFile(const std::filesystem::path& path) {
  base::Result<std::string> content = ReadTrimmedFile(path);
  if (!content.ok()) return std::nullopt;
  int64_t value = 0;
  const char* end = content->data() + content->size();
  auto [parsed_end, error] = std::from_chars(content->data(), end, value);
  if (error != std::errc() || parsed_end != end) return std::nullopt;
  return value;
}

std::vector<std::string> SplitWords(std::string_view text, std::string_view separators) {
  std::vector<std::string> words;
  size_t position = 0;
  while (position < text.size()) {
    const size_t begin = text.find_first_not_of(separators, position);
    if (begin == std::string_view::npos) break;
    size_t end = text.find_first_of(separators, begin);
    if (end == std::string_view::npos) end = text.size();
    words.emplace_back(text.substr(begin, end - begin));
    position = end;
  }
  return words;
}

std::string JoinOrNone(const std::vector<std::string>& words) {
  if (words.empty()) return "none";
  std::string joined;
  for (const std::string& word : words) {
    if (!joined.empty()) joined += ", ";
    joined += word;
  }
  return joined;
}

}  // namespace fathom::sandbox
