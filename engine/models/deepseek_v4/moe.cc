#include "engine/models/deepseek_v4/moe.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace fathom::engine::deepseek_v4 {
namespace {

struct Route {
  std::vector<int32_t> experts;  // ascending expert id
  std::vector<float> weights;    // matching routing weights
};

float SqrtSoftplus(float x) {
  float softplus = x > 20.0f ? x : std::log1p(std::exp(x));
  return std::sqrt(softplus);
}

std::vector<Route> RouteTokens(const LayerContext& context, const MoeWeights& weights,
                               std::span<const int32_t> token_ids, std::span<const float> input,
                               int64_t tokens) {
  const DeepSeekV4Config& config = context.config;
  const int64_t experts = config.routed_experts, top_k = config.experts_per_token;
  std::vector<float> logits(tokens * experts);
  cpu::MatMul(weights.router, input, tokens, logits, context.pool);
  std::vector<Route> routes(tokens);
  for (int64_t t = 0; t < tokens; ++t) {
    std::vector<float> scores(experts);
    for (int64_t e = 0; e < experts; ++e) scores[e] = SqrtSoftplus(logits[t * experts + e]);
    std::vector<int32_t> chosen(top_k);
    if (weights.routing == RoutingKind::kHash) {
      std::copy_n(weights.token_experts.begin() + token_ids[t] * top_k, top_k, chosen.begin());
    } else {
      std::vector<int32_t> order(experts);
      std::iota(order.begin(), order.end(), 0);
      std::partial_sort(order.begin(), order.begin() + top_k, order.end(),
                        [&](int32_t a, int32_t b) {
                          float left = scores[a] + weights.router_bias[a],
                                right = scores[b] + weights.router_bias[b];
                          return left != right ? left > right : a < b;
                        });
      std::copy_n(order.begin(), top_k, chosen.begin());
    }
    float sum = 0.0f;
    for (int32_t e : chosen) sum += scores[e];
    std::sort(chosen.begin(), chosen.end());
    Route& route = routes[t];
    for (int32_t e : chosen) {
      route.experts.push_back(e);
      route.weights.push_back(scores[e] / sum * static_cast<float>(config.routed_scaling_factor));
    }
  }
  return routes;
}

// y[T × hidden] = W2 · (scale ⊙ silu(min(W1 x, L)) ⊙ clamp(W3 x, −L, L)) for the given rows.
void RunExpert(const LayerContext& context, const ExpertWeights& expert,
               std::span<const float> input, int64_t rows, std::span<const float> row_weights,
               std::span<float> output) {
  const int64_t inner = expert.gate.rows();
  const float limit = static_cast<float>(context.config.swiglu_limit);
  std::vector<float> gate(rows * inner), up(rows * inner);
  context.Project(expert.gate, input, rows, gate);
  context.Project(expert.up, input, rows, up);
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t i = 0; i < inner; ++i) {
      float g = gate[r * inner + i], u = up[r * inner + i];
      if (limit > 0.0f) {
        g = std::min(g, limit);
        u = std::clamp(u, -limit, limit);
      }
      gate[r * inner + i] = cpu::Silu(g) * u * (row_weights.empty() ? 1.0f : row_weights[r]);
    }
  }
  context.Round(gate);
  context.Project(expert.down, gate, rows, output);
}

}  // namespace

void MoeForward(const LayerContext& context, const MoeWeights& weights,
                std::span<const int32_t> token_ids, std::span<const float> input, int64_t tokens,
                std::span<float> output) {
  const int64_t hidden = context.config.hidden_size;
  std::vector<Route> routes = RouteTokens(context, weights, token_ids, input, tokens);
  // Per token and routing slot, the expert's output; summed afterwards in slot (= expert) order.
  const int64_t top_k = context.config.experts_per_token;
  std::vector<float> slot_outputs(tokens * top_k * hidden);
  for (int64_t e = 0; e < static_cast<int64_t>(weights.experts.size()); ++e) {
    std::vector<int64_t> rows_of, slots_of;
    for (int64_t t = 0; t < tokens; ++t) {
      for (int64_t slot = 0; slot < top_k; ++slot) {  // a hash table may name an expert twice
        if (routes[t].experts[slot] != e) continue;
        rows_of.push_back(t);
        slots_of.push_back(slot);
      }
    }
    if (rows_of.empty()) continue;
    const int64_t rows = static_cast<int64_t>(rows_of.size());
    std::vector<float> gathered(rows * hidden), row_weights(rows), result(rows * hidden);
    for (int64_t r = 0; r < rows; ++r) {
      std::copy_n(input.begin() + rows_of[r] * hidden, hidden, gathered.begin() + r * hidden);
      row_weights[r] = routes[rows_of[r]].weights[slots_of[r]];
    }
    RunExpert(context, weights.experts[e], gathered, rows, row_weights, result);
    for (int64_t r = 0; r < rows; ++r) {
      std::copy_n(result.begin() + r * hidden, hidden,
                  slot_outputs.begin() + (rows_of[r] * top_k + slots_of[r]) * hidden);
    }
  }
  std::vector<float> shared(tokens * hidden, 0.0f);
  if (weights.shared) RunExpert(context, *weights.shared, input, tokens, {}, shared);
  for (int64_t t = 0; t < tokens; ++t) {
    for (int64_t i = 0; i < hidden; ++i) {
      float sum = 0.0f;
      for (int64_t slot = 0; slot < top_k; ++slot)
        sum += slot_outputs[(t * top_k + slot) * hidden + i];
      output[t * hidden + i] = sum + shared[t * hidden + i];
    }
  }
  context.Round(output);
}

}  // namespace fathom::engine::deepseek_v4
