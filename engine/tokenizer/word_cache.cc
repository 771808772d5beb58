#include "engine/tokenizer/word_cache.h"

namespace fathom::engine {

bool WordCache::Lookup(std::string_view word, std::vector<int32_t>& ids) const {
  std::lock_guard lock(mutex_);
  auto found = entries_.find(word);
  if (found == entries_.end()) return false;
  ids.insert(ids.end(), found->second.begin(), found->second.end());
  return true;
}

void WordCache::Insert(std::string_view word, std::span<const int32_t> ids) {
  std::lock_guard lock(mutex_);
  if (entries_.size() >= capacity_) entries_.clear();
  entries_.try_emplace(std::string(word), ids.begin(), ids.end());
}

}  // namespace fathom::engine
