// Narrow float formats against values worked out from their definitions (OCP FP8 e4m3fn, e8m0,
// FP4 e2m1, bfloat16): decoding, and rounding to nearest with ties to even.
#include "engine/tensor/float_formats.h"

#include <gtest/gtest.h>

#include <cmath>

namespace fathom::engine {
namespace {

TEST(FloatFormatsTest, DecodesFp8E4M3) {
  EXPECT_EQ(Fp8E4M3ToFloat(0x00), 0.0f);
  EXPECT_EQ(Fp8E4M3ToFloat(0x38), 1.0f);    // exponent 7 = bias
  EXPECT_EQ(Fp8E4M3ToFloat(0x7E), 448.0f);  // largest finite
  EXPECT_EQ(Fp8E4M3ToFloat(0xFE), -448.0f);
  EXPECT_EQ(Fp8E4M3ToFloat(0x01), std::ldexp(1.0f, -9));  // smallest subnormal
  EXPECT_EQ(Fp8E4M3ToFloat(0x08), std::ldexp(1.0f, -6));  // smallest normal
  EXPECT_TRUE(std::isnan(Fp8E4M3ToFloat(0x7F)));
}

TEST(FloatFormatsTest, RoundsToFp8E4M3NearestEven) {
  EXPECT_EQ(RoundToFp8E4M3(1.0625f), 1.0f);   // halfway between 1 and 1.125: even mantissa
  EXPECT_EQ(RoundToFp8E4M3(1.1875f), 1.25f);  // halfway between 1.125 and 1.25: even
  EXPECT_EQ(RoundToFp8E4M3(1.9375f), 2.0f);   // rounds up into the next binade
  EXPECT_EQ(RoundToFp8E4M3(-3.3f), -3.25f);
  EXPECT_EQ(RoundToFp8E4M3(1000.0f), 448.0f);  // saturates
  EXPECT_EQ(RoundToFp8E4M3(std::ldexp(1.4f, -9)), std::ldexp(1.0f, -9));
  for (int code = 0; code < 0x7F; ++code) {
    float value = Fp8E4M3ToFloat(static_cast<uint8_t>(code));
    EXPECT_EQ(RoundToFp8E4M3(value), value) << "code " << code;
  }
}

TEST(FloatFormatsTest, DecodesScalesAndFp4) {
  EXPECT_EQ(E8M0ToFloat(127), 1.0f);
  EXPECT_EQ(E8M0ToFloat(120), 1.0f / 128);
  EXPECT_TRUE(std::isnan(E8M0ToFloat(0xFF)));
  const float magnitudes[8] = {0, 0.5f, 1, 1.5f, 2, 3, 4, 6};
  for (uint8_t code = 0; code < 8; ++code) {
    EXPECT_EQ(Fp4E2M1ToFloat(code), magnitudes[code]);
    EXPECT_EQ(Fp4E2M1ToFloat(code | 8), -magnitudes[code]);
  }
}

TEST(FloatFormatsTest, RoundsToFp4NearestEvenCode) {
  EXPECT_EQ(RoundToFp4E2M1(0.25f), 0.0f);  // tie: codes 0 and 1, even is 0
  EXPECT_EQ(RoundToFp4E2M1(0.75f), 1.0f);  // tie: codes 1 and 2
  EXPECT_EQ(RoundToFp4E2M1(1.25f), 1.0f);  // tie: codes 2 and 3
  EXPECT_EQ(RoundToFp4E2M1(2.5f), 2.0f);   // tie: codes 4 and 5
  EXPECT_EQ(RoundToFp4E2M1(3.5f), 4.0f);   // tie: codes 5 and 6
  EXPECT_EQ(RoundToFp4E2M1(5.0f), 4.0f);   // tie: codes 6 and 7
  EXPECT_EQ(RoundToFp4E2M1(-2.9f), -3.0f);
  EXPECT_EQ(RoundToFp4E2M1(9.0f), 6.0f);  // saturates
}

TEST(FloatFormatsTest, RoundsToBf16NearestEven) {
  EXPECT_EQ(RoundToBf16(1.0f), 1.0f);
  EXPECT_EQ(RoundToBf16(1.0f + std::ldexp(1.0f, -8)), 1.0f);  // tie to even
  EXPECT_EQ(RoundToBf16(1.0f + 3 * std::ldexp(1.0f, -8)), 1.0f + std::ldexp(1.0f, -6));
  EXPECT_EQ(Bf16ToFloat(FloatToBf16(-2.5f)), -2.5f);
  EXPECT_TRUE(std::isnan(RoundToBf16(NAN)));
  EXPECT_EQ(F16ToFloat(0x3C00), 1.0f);
  EXPECT_EQ(F16ToFloat(0xC000), -2.0f);
  EXPECT_EQ(F16ToFloat(0x0001), std::ldexp(1.0f, -24));
}

}  // namespace
}  // namespace fathom::engine
