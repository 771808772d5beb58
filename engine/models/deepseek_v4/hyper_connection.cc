#include "engine/models/deepseek_v4/hyper_connection.h"

#include <cmath>

#include "engine/backend/cpu/matmul.h"
#include "engine/backend/cpu/vector_ops.h"

namespace fathom::engine::deepseek_v4 {
namespace {

// m = (fn · streams) / rms(streams), one value per row of fn.
std::vector<float> Mixes(const HyperConnectionWeights& weights, const DeepSeekV4Config& config,
                         std::span<const float> streams) {
  std::vector<float> mixes(static_cast<size_t>(weights.fn.rows()));
  cpu::MatMul(weights.fn, streams, 1, mixes, nullptr);
  float inverse_rms =
      1.0f / std::sqrt(cpu::MeanSquare(streams) + static_cast<float>(config.rms_norm_eps));
  for (float& mix : mixes) mix *= inverse_rms;
  return mixes;
}

void Collapse(std::span<const float> pre, std::span<const float> streams,
              std::span<float> collapsed) {
  const size_t hidden = collapsed.size();
  for (size_t i = 0; i < hidden; ++i) {
    float sum = 0.0f;
    for (size_t j = 0; j < pre.size(); ++j) sum += pre[j] * streams[j * hidden + i];
    collapsed[i] = sum;
  }
}

// Softmax over each row, then alternate column and row normalisation (Sinkhorn) for
// `iterations` column passes in all.
void Sinkhorn(std::span<float> comb, int64_t n, int64_t iterations, float eps) {
  for (int64_t row = 0; row < n; ++row) {
    std::span<float> values = comb.subspan(row * n, n);
    cpu::Softmax(values);
    for (float& value : values) value += eps;
  }
  auto normalize_columns = [&] {
    for (int64_t col = 0; col < n; ++col) {
      float sum = 0.0f;
      for (int64_t row = 0; row < n; ++row) sum += comb[row * n + col];
      for (int64_t row = 0; row < n; ++row) comb[row * n + col] /= sum + eps;
    }
  };
  normalize_columns();
  for (int64_t pass = 1; pass < iterations; ++pass) {
    for (int64_t row = 0; row < n; ++row) {
      float sum = 0.0f;
      for (int64_t col = 0; col < n; ++col) sum += comb[row * n + col];
      for (int64_t col = 0; col < n; ++col) comb[row * n + col] /= sum + eps;
    }
    normalize_columns();
  }
}

}  // namespace

HyperMix HyperConnectionPre(const HyperConnectionWeights& weights, const DeepSeekV4Config& config,
                            std::span<const float> streams, std::span<float> collapsed) {
  const int64_t n = config.hc_mult;
  const float eps = static_cast<float>(config.hc_eps);
  std::vector<float> mixes = Mixes(weights, config, streams);
  std::vector<float> pre(n);
  HyperMix mix{std::vector<float>(n), std::vector<float>(n * n)};
  for (int64_t j = 0; j < n; ++j) {
    pre[j] = cpu::Sigmoid(mixes[j] * weights.scale[0] + weights.base[j]) + eps;
    mix.post[j] = 2.0f * cpu::Sigmoid(mixes[n + j] * weights.scale[1] + weights.base[n + j]);
  }
  for (int64_t i = 0; i < n * n; ++i) {
    mix.comb[i] = mixes[2 * n + i] * weights.scale[2] + weights.base[2 * n + i];
  }
  Sinkhorn(mix.comb, n, config.hc_sinkhorn_iters, eps);
  Collapse(pre, streams, collapsed);
  return mix;
}

void HyperConnectionPost(const HyperMix& mix, std::span<const float> output,
                         std::span<float> streams) {
  const size_t n = mix.post.size(), hidden = output.size();
  std::vector<float> mixed(n * hidden);
  for (size_t k = 0; k < n; ++k) {
    for (size_t i = 0; i < hidden; ++i) {
      float sum = mix.post[k] * output[i];
      for (size_t j = 0; j < n; ++j) sum += mix.comb[j * n + k] * streams[j * hidden + i];
      mixed[k * hidden + i] = sum;
    }
  }
  std::copy(mixed.begin(), mixed.end(), streams.begin());
}

void HyperConnectionHead(const HyperConnectionWeights& weights, const DeepSeekV4Config& config,
                         std::span<const float> streams, std::span<float> collapsed) {
  std::vector<float> mixes = Mixes(weights, config, streams);
  std::vector<float> pre(mixes.size());
  for (size_t j = 0; j < mixes.size(); ++j) {
    pre[j] = cpu::Sigmoid(mixes[j] * weights.scale[0] + weights.base[j]) +
             static_cast<float>(config.hc_eps);
  }
  Collapse(pre, streams, collapsed);
}

}  // namespace fathom::engine::deepseek_v4
