#include "engine/backend/cpu/vector_ops.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "base/check.h"
#include "engine/tensor/float_formats.h"

namespace fathom::engine::cpu {

float Dot(std::span<const float> a, std::span<const float> b) {
  FATHOM_CHECK(a.size() == b.size()) << "dot of " << a.size() << " and " << b.size();
  constexpr size_t kLanes = 16;
  std::array<float, kLanes> lanes{};
  size_t i = 0;
  for (; i + kLanes <= a.size(); i += kLanes) {
    for (size_t lane = 0; lane < kLanes; ++lane) lanes[lane] += a[i + lane] * b[i + lane];
  }
  for (size_t lane = 0; i < a.size(); ++i, ++lane) lanes[lane] += a[i] * b[i];
  for (size_t width = kLanes / 2; width > 0; width /= 2) {
    for (size_t lane = 0; lane < width; ++lane) lanes[lane] += lanes[lane + width];
  }
  return lanes[0];
}

float MeanSquare(std::span<const float> x) { return Dot(x, x) / static_cast<float>(x.size()); }

void RmsNorm(std::span<float> x, std::span<const float> weight, float eps) {
  float scale = 1.0f / std::sqrt(MeanSquare(x) + eps);
  if (weight.empty()) {
    for (float& value : x) value *= scale;
    return;
  }
  FATHOM_CHECK(weight.size() == x.size()) << "norm weight " << weight.size() << " vs " << x.size();
  for (size_t i = 0; i < x.size(); ++i) x[i] = x[i] * scale * weight[i];
}

void Softmax(std::span<float> x) {
  float maximum = *std::max_element(x.begin(), x.end());
  float sum = 0.0f;
  for (float& value : x) {
    value = std::exp(value - maximum);
    sum += value;
  }
  for (float& value : x) value /= sum;
}

void RoundToBf16InPlace(std::span<float> x) {
  for (float& value : x) value = RoundToBf16(value);
}

}  // namespace fathom::engine::cpu
