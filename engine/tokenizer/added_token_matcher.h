// AddedTokenMatcher: finds added tokens (special tokens such as "<｜User｜>") in raw text the way
// Hugging Face's added vocabulary does with Aho-Corasick in leftmost-longest mode: the match that
// starts first, and of those the longest. A byte trie; immutable after construction, thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fathom::engine {

class AddedTokenMatcher {
 public:
  struct Match {
    size_t begin;
    size_t end;
    int32_t id;
  };

  // `tokens` are (content, id) pairs with non-empty, distinct contents.
  explicit AddedTokenMatcher(const std::vector<std::pair<std::string, int32_t>>& tokens);

  // The leftmost-longest match starting at or after `from`, or nullopt.
  std::optional<Match> FindNext(std::string_view text, size_t from) const;

 private:
  struct Node {
    std::vector<std::pair<uint8_t, int32_t>> children;  // byte → node index
    int32_t token_id = -1;                              // the token ending here, or -1
  };

  int32_t Child(int32_t node, uint8_t byte) const;

  std::vector<Node> nodes_;                 // nodes_[0] is the root
  std::array<int32_t, 256> root_children_;  // the root's children, -1 for none
};

}  // namespace fathom::engine
