// Row-wise vector operations of the CPU backend (RMS norm, softmax, activations, bf16 rounding).
// Each works on one row at a time with a fixed summation order, so results do not depend on how
// many rows are processed together. Pure functions on caller-owned buffers; thread-safe.
#pragma once

#include <cmath>
#include <cstdint>
#include <span>

namespace fathom::engine::cpu {

// Σ a[i]·b[i] in a fixed order (16 interleaved partial sums, then a fixed tree).
float Dot(std::span<const float> a, std::span<const float> b);

// x ← x / sqrt(mean(x²) + eps) · weight (weight empty: unweighted), one row of x.size().
void RmsNorm(std::span<float> x, std::span<const float> weight, float eps);

// Mean of x² in the fixed order of Dot.
float MeanSquare(std::span<const float> x);

// x ← softmax(x), max-subtracted, in place.
void Softmax(std::span<float> x);

inline float Sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }
inline float Silu(float x) { return x / (1.0f + std::exp(-x)); }

// Rounds every element to the nearest bf16 (DeepSeek's reference keeps activations in bf16).
void RoundToBf16InPlace(std::span<float> x);

}  // namespace fathom::engine::cpu
