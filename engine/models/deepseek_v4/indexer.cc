#include "engine/models/deepseek_v4/indexer.h"

#include <algorithm>
#include <numeric>

#include "engine/backend/cpu/vector_ops.h"
#include "engine/tensor/float_formats.h"

namespace fathom::engine::deepseek_v4 {
namespace {

float Score(const IndexerQuery& query, const float* key, int64_t head_dim, bool bf16_scores) {
  const int64_t heads = static_cast<int64_t>(query.head_weights.size());
  std::span<const float> key_span(key, static_cast<size_t>(head_dim));
  float total = 0.0f;
  for (int64_t head = 0; head < heads; ++head) {
    float product = cpu::Dot(query.heads.subspan(head * head_dim, head_dim), key_span);
    if (bf16_scores) product = RoundToBf16(product);
    float term = std::max(product, 0.0f) * query.head_weights[head];
    total += bf16_scores ? RoundToBf16(term) : term;
  }
  return bf16_scores ? RoundToBf16(total) : total;
}

}  // namespace

IndexerSelection IndexerSelect(const IndexerQuery& query, const CompressorState& keys,
                               int64_t visible, int64_t top_k, bool bf16_scores) {
  std::vector<float> scores(static_cast<size_t>(visible));
  for (int64_t entry = 0; entry < visible; ++entry) {
    scores[entry] = Score(query, keys.Entry(entry), keys.head_dim, bf16_scores);
  }
  std::vector<int64_t> order(static_cast<size_t>(visible));
  std::iota(order.begin(), order.end(), 0);
  int64_t keep = std::min(top_k, visible);
  std::partial_sort(order.begin(), order.begin() + keep, order.end(), [&](int64_t a, int64_t b) {
    return scores[a] != scores[b] ? scores[a] > scores[b] : a < b;
  });
  IndexerSelection selection;
  // An exact tie across the boundary: an unselected entry scores the same as the last selected.
  if (keep < visible) {
    float last = scores[order[keep - 1]];
    selection.boundary_tie = std::any_of(order.begin() + keep, order.end(),
                                         [&](int64_t entry) { return scores[entry] == last; });
  }
  order.resize(static_cast<size_t>(keep));
  selection.entries = std::move(order);
  return selection;
}

}  // namespace fathom::engine::deepseek_v4
