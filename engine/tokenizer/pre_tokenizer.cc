#include "engine/tokenizer/pre_tokenizer.h"

#include <utility>

namespace fathom::engine {
namespace {

// Appends the matches of `regex` in `piece` and the gaps between them (Split, "Isolated").
base::Status SplitIsolated(const OnigurumaRegex& regex, std::string_view piece,
                           std::vector<std::pair<size_t, size_t>>& matches,
                           std::vector<std::string_view>& out) {
  FATHOM_TRY(regex.FindAll(piece, matches));
  size_t previous = 0;
  for (auto [begin, end] : matches) {
    if (begin > previous) out.push_back(piece.substr(previous, begin - previous));
    if (end > begin) out.push_back(piece.substr(begin, end - begin));
    previous = end;
  }
  if (previous < piece.size()) out.push_back(piece.substr(previous));
  return base::Ok();
}

}  // namespace

base::Result<PreTokenizer> PreTokenizer::Create(const std::vector<std::string>& patterns) {
  std::vector<OnigurumaRegex> regexes;
  regexes.reserve(patterns.size());
  for (const std::string& pattern : patterns) {
    FATHOM_ASSIGN_OR_RETURN(OnigurumaRegex regex, OnigurumaRegex::Compile(pattern));
    regexes.push_back(std::move(regex));
  }
  return PreTokenizer(std::move(regexes));
}

base::Status PreTokenizer::Split(std::string_view text,
                                 std::vector<std::string_view>& pieces) const {
  if (text.empty()) return base::Ok();
  thread_local std::vector<std::string_view> current;
  thread_local std::vector<std::string_view> next;
  thread_local std::vector<std::pair<size_t, size_t>> matches;
  current.assign(1, text);
  for (const OnigurumaRegex& regex : regexes_) {
    next.clear();
    for (std::string_view piece : current) {
      FATHOM_TRY(SplitIsolated(regex, piece, matches, next));
    }
    current.swap(next);
  }
  pieces.insert(pieces.end(), current.begin(), current.end());
  return base::Ok();
}

}  // namespace fathom::engine
