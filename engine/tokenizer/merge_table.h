// MergeTable: the BPE merge ranks as an open-addressing hash table from a pair of token ids to
// the merge's rank and the id of the merged token; one probe sequence per lookup, no allocation.
// Built once, then immutable and safe to read from any number of threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace fathom::engine {

struct MergeRule {
  uint32_t rank;   // position in the merges list: lower merges first
  int32_t merged;  // id of the concatenated token
};

class MergeTable {
 public:
  // A table sized for `merge_count` rules.
  explicit MergeTable(size_t merge_count);

  // Sets the rule for (left, right); a later rule for the same pair replaces an earlier one, as
  // Hugging Face's merge map does.
  void Set(int32_t left, int32_t right, MergeRule rule);

  // The rule for (left, right), or nullptr when the pair does not merge.
  const MergeRule* Find(int32_t left, int32_t right) const;

 private:
  struct Slot {
    uint64_t key;  // kEmpty or the packed pair
    MergeRule rule;
  };
  static constexpr uint64_t kEmpty = ~uint64_t{0};

  static uint64_t Key(int32_t left, int32_t right) {
    return (uint64_t{static_cast<uint32_t>(left)} << 32) | static_cast<uint32_t>(right);
  }
  size_t Home(uint64_t key) const {
    return static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> 32) & mask_;
  }

  std::vector<Slot> slots_;
  size_t mask_;
};

}  // namespace fathom::engine
