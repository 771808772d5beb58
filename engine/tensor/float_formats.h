// Scalar conversions between float and the narrow formats of DeepSeek-V4 checkpoints and its QAT
// simulation: bf16, f16, FP8 e4m3 (the "fn" variant: no infinities, max 448), e8m0 power-of-two
// scales and FP4 e2m1. Rounding is to nearest, ties to even. Pure functions, thread-safe.
#pragma once

#include <bit>
#include <cstdint>

namespace fathom::engine {

inline float Bf16ToFloat(uint16_t bits) { return std::bit_cast<float>(uint32_t{bits} << 16); }

// Rounds to the nearest bf16 (ties to even); NaN stays NaN.
uint16_t FloatToBf16(float value);

inline float RoundToBf16(float value) { return Bf16ToFloat(FloatToBf16(value)); }

float F16ToFloat(uint16_t bits);

float Fp8E4M3ToFloat(uint8_t bits);

// The FP8 e4m3 value nearest to `value` (ties to even), saturated to ±448, as a float.
float RoundToFp8E4M3(float value);

// e8m0 scale byte e is 2^(e-127); 0xFF is NaN.
float E8M0ToFloat(uint8_t bits);

// One FP4 e2m1 code (low 4 bits of `nibble`): magnitudes {0, .5, 1, 1.5, 2, 3, 4, 6}, bit 3 sign.
float Fp4E2M1ToFloat(uint8_t nibble);

// The FP4 e2m1 value nearest to `value` (ties to the even code), saturated to ±6.
float RoundToFp4E2M1(float value);

}  // namespace fathom::engine
