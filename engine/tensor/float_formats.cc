#include "engine/tensor/float_formats.h"

#include <cmath>
#include <limits>

namespace fathom::engine {
namespace {

constexpr float kFp4Magnitudes[8] = {0.0f, 0.5f, 1.0f, 1.5f, 2.0f, 3.0f, 4.0f, 6.0f};

}  // namespace

uint16_t FloatToBf16(float value) {
  uint32_t bits = std::bit_cast<uint32_t>(value);
  if (std::isnan(value)) return static_cast<uint16_t>((bits >> 16) | 0x40);
  uint32_t rounding = 0x7FFF + ((bits >> 16) & 1);
  return static_cast<uint16_t>((bits + rounding) >> 16);
}

float F16ToFloat(uint16_t bits) {
  uint32_t sign = (bits >> 15) & 1;
  uint32_t exponent = (bits >> 10) & 0x1F;
  uint32_t mantissa = bits & 0x3FF;
  float magnitude;
  if (exponent == 0) {
    magnitude = std::ldexp(static_cast<float>(mantissa), -24);
  } else if (exponent == 31) {
    magnitude =
        mantissa ? std::numeric_limits<float>::quiet_NaN() : std::numeric_limits<float>::infinity();
  } else {
    magnitude = std::ldexp(static_cast<float>(mantissa | 0x400), static_cast<int>(exponent) - 25);
  }
  return sign ? -magnitude : magnitude;
}

float Fp8E4M3ToFloat(uint8_t bits) {
  uint32_t sign = bits >> 7;
  uint32_t exponent = (bits >> 3) & 0xF;
  uint32_t mantissa = bits & 0x7;
  float magnitude;
  if (exponent == 0xF && mantissa == 0x7) {
    magnitude = std::numeric_limits<float>::quiet_NaN();
  } else if (exponent == 0) {
    magnitude = std::ldexp(static_cast<float>(mantissa), -9);
  } else {
    magnitude = std::ldexp(static_cast<float>(mantissa | 0x8), static_cast<int>(exponent) - 10);
  }
  return sign ? -magnitude : magnitude;
}

float RoundToFp8E4M3(float value) {
  if (std::isnan(value)) return value;
  float magnitude = std::fabs(value);
  if (magnitude >= 448.0f) return std::copysign(448.0f, value);
  // Spacing of representable values: 2^(e-3) for normals (e >= -6), 2^-9 for subnormals.
  int exponent = magnitude > 0 ? std::ilogb(magnitude) : -6;
  if (exponent < -6) exponent = -6;
  float quantum = std::ldexp(1.0f, exponent - 3);
  float rounded = std::nearbyint(magnitude / quantum) * quantum;  // ties to even (FE_TONEAREST)
  return std::copysign(rounded, value);
}

float E8M0ToFloat(uint8_t bits) {
  if (bits == 0xFF) return std::numeric_limits<float>::quiet_NaN();
  return std::ldexp(1.0f, static_cast<int>(bits) - 127);
}

float Fp4E2M1ToFloat(uint8_t nibble) {
  float magnitude = kFp4Magnitudes[nibble & 0x7];
  return (nibble & 0x8) ? -magnitude : magnitude;
}

float RoundToFp4E2M1(float value) {
  if (std::isnan(value)) return value;
  float magnitude = std::fabs(value);
  int best = 0;
  for (int code = 1; code < 8; ++code) {
    float distance = std::fabs(kFp4Magnitudes[code] - magnitude);
    float best_distance = std::fabs(kFp4Magnitudes[best] - magnitude);
    // Codes ascend, so on a tie the earlier (lower) code is kept unless the later one is even.
    if (distance < best_distance || (distance == best_distance && code % 2 == 0)) best = code;
  }
  return std::copysign(kFp4Magnitudes[best], value);
}

}  // namespace fathom::engine
