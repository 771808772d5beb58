#include "engine/tokenizer/merge_table.h"

#include <bit>

namespace fathom::engine {

MergeTable::MergeTable(size_t merge_count) {
  // At most half full, so probe sequences stay short.
  size_t capacity = std::bit_ceil(merge_count * 2 + 16);
  slots_.assign(capacity, Slot{kEmpty, MergeRule{0, 0}});
  mask_ = capacity - 1;
}

void MergeTable::Set(int32_t left, int32_t right, MergeRule rule) {
  const uint64_t key = Key(left, right);
  for (size_t index = Home(key);; index = (index + 1) & mask_) {
    Slot& slot = slots_[index];
    if (slot.key == kEmpty || slot.key == key) {
      slot = Slot{key, rule};
      return;
    }
  }
}

const MergeRule* MergeTable::Find(int32_t left, int32_t right) const {
  const uint64_t key = Key(left, right);
  for (size_t index = Home(key);; index = (index + 1) & mask_) {
    const Slot& slot = slots_[index];
    if (slot.key == key) return &slot.rule;
    if (slot.key == kEmpty) return nullptr;
  }
}

}  // namespace fathom::engine
