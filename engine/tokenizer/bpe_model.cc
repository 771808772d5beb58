#include "engine/tokenizer/bpe_model.h"

#include <algorithm>

#include "engine/tokenizer/byte_level.h"

namespace fathom::engine {
namespace {

// Words longer than this are merged every time instead of being cached (as tokenizers does).
constexpr size_t kMaxCachedWordBytes = 256;
constexpr size_t kCacheCapacity = 1 << 16;

// One token of a word during merging: a doubly linked list over a vector; merged-away symbols
// keep their slot with `removed` set.
struct Symbol {
  int32_t id;
  int32_t previous;  // -1 at the start
  int32_t next;      // -1 at the end
  bool removed;
};

// A pair waiting to merge. The queue pops the lowest rank, then the leftmost position.
struct Candidate {
  uint32_t rank;
  int32_t position;
  int32_t merged;
};

bool PopsLater(const Candidate& a, const Candidate& b) {
  return a.rank != b.rank ? a.rank > b.rank : a.position > b.position;
}

std::string Quoted(std::string_view text) {
  std::string quoted = "\"";
  quoted.append(text);
  quoted.push_back('"');
  return quoted;
}

base::Error MissingMergeToken(size_t rank, const std::string& left, const std::string& right,
                              const std::string& missing) {
  std::string message = "merge " + std::to_string(rank) + " (";
  message.append(Quoted(left)).append(" + ").append(Quoted(right)).append("): ");
  message.append(Quoted(missing)).append(" is not in the vocabulary");
  return base::InvalidArgumentError(std::move(message));
}

}  // namespace

BpeModel::BpeModel(std::array<int32_t, 256> byte_ids, MergeTable merges)
    : byte_ids_(byte_ids),
      merges_(std::move(merges)),
      cache_(std::make_unique<WordCache>(kCacheCapacity)) {}

base::Result<BpeModel> BpeModel::Create(
    const TokenIdFunction& token_id,
    const std::vector<std::pair<std::string, std::string>>& merges) {
  std::array<int32_t, 256> byte_ids{};
  for (int byte = 0; byte < 256; ++byte) {
    const char raw = static_cast<char>(byte);
    const std::string text = ByteLevelEncode(std::string_view(&raw, 1));
    byte_ids[byte] = token_id(text);
    if (byte_ids[byte] < 0) {
      return base::InvalidArgumentError("the vocabulary has no token for byte " +
                                        std::to_string(byte) + " (" + Quoted(text) + ")");
    }
  }
  MergeTable table(merges.size());
  for (size_t rank = 0; rank < merges.size(); ++rank) {
    const auto& [left, right] = merges[rank];
    const std::string merged = left + right;
    for (const std::string* part : {&left, &right, &merged}) {
      if (token_id(*part) < 0) return MissingMergeToken(rank, left, right, *part);
    }
    table.Set(token_id(left), token_id(right),
              MergeRule{static_cast<uint32_t>(rank), token_id(merged)});
  }
  return BpeModel(byte_ids, std::move(table));
}

void BpeModel::Encode(std::string_view piece, std::vector<int32_t>& ids) const {
  if (piece.empty()) return;
  if (piece.size() == 1) {
    ids.push_back(byte_ids_[static_cast<uint8_t>(piece[0])]);
    return;
  }
  const bool cacheable = piece.size() <= kMaxCachedWordBytes;
  if (cacheable && cache_->Lookup(piece, ids)) return;
  const size_t first = ids.size();
  Merge(piece, ids);
  if (cacheable) cache_->Insert(piece, std::span<const int32_t>(ids).subspan(first));
}

void BpeModel::Merge(std::string_view piece, std::vector<int32_t>& ids) const {
  thread_local std::vector<Symbol> symbols;
  thread_local std::vector<Candidate> queue;
  symbols.clear();
  queue.clear();
  const int32_t count = static_cast<int32_t>(piece.size());
  for (int32_t i = 0; i < count; ++i) {
    symbols.push_back(Symbol{byte_ids_[static_cast<uint8_t>(piece[i])], i - 1,
                             i + 1 < count ? i + 1 : -1, false});
  }
  auto push_pair = [this](int32_t position, int32_t left, int32_t right) {
    if (const MergeRule* rule = merges_.Find(left, right)) {
      queue.push_back(Candidate{rule->rank, position, rule->merged});
      std::push_heap(queue.begin(), queue.end(), PopsLater);
    }
  };
  for (int32_t i = 0; i + 1 < count; ++i) push_pair(i, symbols[i].id, symbols[i + 1].id);

  while (!queue.empty()) {
    std::pop_heap(queue.begin(), queue.end(), PopsLater);
    const Candidate top = queue.back();
    queue.pop_back();
    Symbol& symbol = symbols[top.position];
    if (symbol.removed || symbol.next < 0) continue;
    // A stale entry: one of the pair has merged since it was queued.
    const MergeRule* rule = merges_.Find(symbol.id, symbols[symbol.next].id);
    if (rule == nullptr || rule->merged != top.merged) continue;

    Symbol& right = symbols[symbol.next];
    right.removed = true;
    symbol.id = top.merged;
    symbol.next = right.next;
    if (right.next >= 0) symbols[right.next].previous = top.position;
    if (symbol.previous >= 0) push_pair(symbol.previous, symbols[symbol.previous].id, symbol.id);
    if (symbol.next >= 0) push_pair(top.position, symbol.id, symbols[symbol.next].id);
  }
  for (int32_t i = 0; i >= 0; i = symbols[i].next) ids.push_back(symbols[i].id);
}

}  // namespace fathom::engine
