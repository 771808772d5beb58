// BpeModel: Hugging Face's byte-level BPE. A pre-token piece starts as one token per byte and
// pairs merge in rank order exactly as tokenizers' Word::merge_all does (lowest rank first, then
// leftmost). Owns its merge table and a word cache; Encode is const and thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "engine/tokenizer/merge_table.h"
#include "engine/tokenizer/word_cache.h"

namespace fathom::engine {

class BpeModel {
 public:
  // Gives the id of a vocabulary token (byte-level text), or -1 when there is none.
  using TokenIdFunction = std::function<int32_t(std::string_view)>;

  // Every byte's token must exist, and so must both halves and the result of each merge
  // ("a b" → "ab"); errors name the byte or the merge (by its index).
  static base::Result<BpeModel> Create(
      const TokenIdFunction& token_id,
      const std::vector<std::pair<std::string, std::string>>& merges);

  // Appends the ids of `piece` (raw bytes, one pre-token) to `ids`.
  void Encode(std::string_view piece, std::vector<int32_t>& ids) const;

 private:
  BpeModel(std::array<int32_t, 256> byte_ids, MergeTable merges);

  // The merge loop, without the cache.
  void Merge(std::string_view piece, std::vector<int32_t>& ids) const;

  std::array<int32_t, 256> byte_ids_;
  MergeTable merges_;
  std::unique_ptr<WordCache> cache_;
};

}  // namespace fathom::engine
