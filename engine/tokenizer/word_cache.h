// WordCache: a bounded map from a pre-token piece (its bytes) to its BPE token ids, so repeated
// words skip the merge loop. Owned by a BpeModel; thread-safe (one mutex; lookups are short).
// When full it is emptied and starts over: cheap, and common words come back at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace fathom::engine {

class WordCache {
 public:
  explicit WordCache(size_t capacity) : capacity_(capacity) {}

  // Appends the cached ids of `word` to `ids` and returns true, or returns false on a miss.
  bool Lookup(std::string_view word, std::vector<int32_t>& ids) const;

  void Insert(std::string_view word, std::span<const int32_t> ids);

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };

  size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::vector<int32_t>, Hash, std::equal_to<>> entries_;
};

}  // namespace fathom::engine
