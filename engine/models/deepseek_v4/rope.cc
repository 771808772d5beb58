#include "engine/models/deepseek_v4/rope.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "base/check.h"
#include "engine/tensor/float_formats.h"

namespace fathom::engine::deepseek_v4 {
namespace {

// The dimension index at which `rotations` full turns fit in the original context.
double CorrectionDim(double rotations, int64_t dim, double base, int64_t max_position) {
  return static_cast<double>(dim) *
         std::log(static_cast<double>(max_position) / (rotations * 2 * std::numbers::pi)) /
         (2 * std::log(base));
}

}  // namespace

Rope::Rope(const RopeParameters& parameters, int64_t rope_dim, bool bf16_frequencies)
    : rope_dim_(rope_dim) {
  const int64_t half = rope_dim / 2;
  inverse_frequencies_.resize(half);
  for (int64_t i = 0; i < half; ++i) {
    float exponent = static_cast<float>(2 * i) / static_cast<float>(rope_dim);
    inverse_frequencies_[i] = 1.0f / std::pow(static_cast<float>(parameters.theta), exponent);
  }
  if (parameters.yarn) BlendYarn(parameters);
  if (bf16_frequencies) {
    for (float& frequency : inverse_frequencies_) frequency = RoundToBf16(frequency);
  }
}

void Rope::BlendYarn(const RopeParameters& parameters) {
  const int64_t rope_dim = rope_dim_, half = rope_dim_ / 2;
  double low = std::floor(CorrectionDim(parameters.beta_fast, rope_dim, parameters.theta,
                                        parameters.original_max_position));
  double high = std::ceil(CorrectionDim(parameters.beta_slow, rope_dim, parameters.theta,
                                        parameters.original_max_position));
  low = std::max(low, 0.0);
  high = std::min(high, static_cast<double>(rope_dim - 1));
  if (low == high) high += 0.001;
  for (int64_t i = 0; i < half; ++i) {
    float ramp =
        std::clamp(static_cast<float>((static_cast<double>(i) - low) / (high - low)), 0.0f, 1.0f);
    float extrapolation = 1.0f - ramp;
    float frequency = inverse_frequencies_[i];
    inverse_frequencies_[i] =
        frequency / static_cast<float>(parameters.factor) * (1 - extrapolation) +
        frequency * extrapolation;
  }
}

void Rope::Apply(std::span<float> head, int64_t position, bool inverse) const {
  FATHOM_CHECK(static_cast<int64_t>(head.size()) >= rope_dim_) << "head smaller than rope dim";
  float* rope = head.data() + head.size() - rope_dim_;
  for (int64_t i = 0; i < rope_dim_ / 2; ++i) {
    float angle = static_cast<float>(position) * inverse_frequencies_[i];
    float cosine = static_cast<float>(std::cos(static_cast<double>(angle)));
    float sine = static_cast<float>(std::sin(static_cast<double>(angle)));
    if (inverse) sine = -sine;
    float real = rope[2 * i], imaginary = rope[2 * i + 1];
    rope[2 * i] = real * cosine - imaginary * sine;
    rope[2 * i + 1] = real * sine + imaginary * cosine;
  }
}

}  // namespace fathom::engine::deepseek_v4
