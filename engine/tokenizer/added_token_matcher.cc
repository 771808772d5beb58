#include "engine/tokenizer/added_token_matcher.h"

namespace fathom::engine {

AddedTokenMatcher::AddedTokenMatcher(const std::vector<std::pair<std::string, int32_t>>& tokens)
    : nodes_(1) {
  root_children_.fill(-1);
  for (const auto& [content, id] : tokens) {
    int32_t node = 0;
    for (char character : content) {
      const uint8_t byte = static_cast<uint8_t>(character);
      int32_t child = Child(node, byte);
      if (child < 0) {
        child = static_cast<int32_t>(nodes_.size());
        nodes_.emplace_back();
        if (node == 0) root_children_[byte] = child;
        nodes_[node].children.emplace_back(byte, child);
      }
      node = child;
    }
    nodes_[node].token_id = id;
  }
}

int32_t AddedTokenMatcher::Child(int32_t node, uint8_t byte) const {
  if (node == 0) return root_children_[byte];
  for (const auto& [edge, child] : nodes_[node].children) {
    if (edge == byte) return child;
  }
  return -1;
}

std::optional<AddedTokenMatcher::Match> AddedTokenMatcher::FindNext(std::string_view text,
                                                                    size_t from) const {
  for (size_t begin = from; begin < text.size(); ++begin) {
    int32_t node = root_children_[static_cast<uint8_t>(text[begin])];
    std::optional<Match> longest;
    for (size_t end = begin + 1; node >= 0; ++end) {
      if (nodes_[node].token_id >= 0) longest = Match{begin, end, nodes_[node].token_id};
      if (end == text.size()) break;
      node = Child(node, static_cast<uint8_t>(text[end]));
    }
    if (longest) return longest;
  }
  return std::nullopt;
}

}  // namespace fathom::engine
