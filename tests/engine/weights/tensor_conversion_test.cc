// ToFloat32 and ToInt32 on tensors read back from files, compared with the scalar conversions of
// engine/tensor/float_formats.h.
#include "engine/weights/tensor_conversion.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "engine/tensor/float_formats.h"
#include "engine/weights/safetensors_file.h"
#include "tests/engine/weights/safetensors_test_util.h"

namespace fathom::engine {
namespace {

using testing::BytesOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::TestTensor;

// Every 16-bit pattern with a stride, plus the interesting edges.
std::vector<uint16_t> SixteenBitPatterns() {
  std::vector<uint16_t> bits = {0x0000, 0x8000, 0x0001, 0x03FF, 0x3C00, 0x7BFF, 0x7C00, 0xFC00};
  for (uint32_t value = 0; value <= 0xFFFF; value += 97) bits.push_back(uint16_t(value));
  return bits;
}

std::vector<uint8_t> EveryByte() {
  std::vector<uint8_t> bytes(256);
  for (int i = 0; i < 256; ++i) bytes[size_t(i)] = uint8_t(i);
  return bytes;
}

// Equal floats, or both NaN.
void ExpectSameFloat(float actual, float expected, size_t index) {
  if (std::isnan(expected)) {
    EXPECT_TRUE(std::isnan(actual)) << "element " << index;
  } else {
    EXPECT_EQ(std::bit_cast<uint32_t>(actual), std::bit_cast<uint32_t>(expected))
        << "element " << index << ": " << actual << " vs " << expected;
  }
}

class TensorConversionTest : public ::testing::Test {
 protected:
  // Writes `tensors` to a file, opens it and keeps it open for the test.
  void Load(const std::vector<TestTensor>& tensors) {
    testing::WriteBytes(dir_ / "t.safetensors", testing::BuildSafetensors(tensors));
    base::Result<SafetensorsFile> file = SafetensorsFile::Open(dir_ / "t.safetensors");
    ASSERT_TRUE(file.ok()) << file.error();
    file_.emplace(std::move(file).value());
  }

  const TensorView& Tensor(std::string_view name) { return *file_->Find(name); }

  testing::TempDir dir_;
  std::optional<SafetensorsFile> file_;
};

TEST_F(TensorConversionTest, Bf16MatchesScalarConversion) {
  std::vector<uint16_t> bits = SixteenBitPatterns();
  ASSERT_NO_FATAL_FAILURE(Load({{"w", "BF16", {int64_t(bits.size())}, BytesOf(bits)}}));
  base::Result<std::vector<float>> values = ToFloat32(Tensor("w"));
  ASSERT_TRUE(values.ok()) << values.error();
  ASSERT_EQ(values->size(), bits.size());
  for (size_t i = 0; i < bits.size(); ++i) ExpectSameFloat((*values)[i], Bf16ToFloat(bits[i]), i);
  EXPECT_EQ((*values)[4], Bf16ToFloat(0x3C00));
}

TEST_F(TensorConversionTest, F16MatchesScalarConversion) {
  std::vector<uint16_t> bits = SixteenBitPatterns();
  ASSERT_NO_FATAL_FAILURE(Load({{"w", "F16", {int64_t(bits.size())}, BytesOf(bits)}}));
  base::Result<std::vector<float>> values = ToFloat32(Tensor("w"));
  ASSERT_TRUE(values.ok()) << values.error();
  for (size_t i = 0; i < bits.size(); ++i) ExpectSameFloat((*values)[i], F16ToFloat(bits[i]), i);
  EXPECT_EQ((*values)[4], 1.0f);
  EXPECT_EQ((*values)[5], 65504.0f);
}

TEST_F(TensorConversionTest, Fp8E4M3MatchesScalarConversionForEveryByte) {
  ASSERT_NO_FATAL_FAILURE(Load({{"w", "F8_E4M3", {16, 16}, BytesOf(EveryByte())}}));
  base::Result<std::vector<float>> values = ToFloat32(Tensor("w"));
  ASSERT_TRUE(values.ok()) << values.error();
  ASSERT_EQ(values->size(), 256u);
  for (size_t i = 0; i < 256; ++i) ExpectSameFloat((*values)[i], Fp8E4M3ToFloat(uint8_t(i)), i);
  EXPECT_EQ((*values)[0x38], 1.0f);
  EXPECT_EQ((*values)[0x7E], 448.0f);
}

TEST_F(TensorConversionTest, F32IsCopied) {
  ASSERT_NO_FATAL_FAILURE(Load({{"w", "F32", {3}, BytesOf<float>({1.5f, -0.0f, 1e-30f})}}));
  base::Result<std::vector<float>> values = ToFloat32(Tensor("w"));
  ASSERT_TRUE(values.ok()) << values.error();
  EXPECT_THAT(*values, ElementsAre(1.5f, -0.0f, 1e-30f));
}

TEST_F(TensorConversionTest, IntegersWidenAndNarrow) {
  constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
  constexpr int32_t kMax = std::numeric_limits<int32_t>::max();
  ASSERT_NO_FATAL_FAILURE(Load({{"i32", "I32", {3}, BytesOf<int32_t>({kMin, 0, kMax})},
                                {"i64", "I64", {3}, BytesOf<int64_t>({kMin, -1, kMax})}}));
  base::Result<std::vector<int32_t>> from_i32 = ToInt32(Tensor("i32"));
  ASSERT_TRUE(from_i32.ok()) << from_i32.error();
  EXPECT_THAT(*from_i32, ElementsAre(kMin, 0, kMax));
  base::Result<std::vector<int32_t>> from_i64 = ToInt32(Tensor("i64"));
  ASSERT_TRUE(from_i64.ok()) << from_i64.error();
  EXPECT_THAT(*from_i64, ElementsAre(kMin, -1, kMax));
}

TEST_F(TensorConversionTest, RejectsI64OutsideInt32) {
  ASSERT_NO_FATAL_FAILURE(Load({{"ids", "I64", {2}, BytesOf<int64_t>({3, int64_t{1} << 31})}}));
  base::Result<std::vector<int32_t>> values = ToInt32(Tensor("ids"));
  ASSERT_FALSE(values.ok());
  EXPECT_EQ(values.error().code(), base::ErrorCode::kOutOfRange);
  EXPECT_THAT(values.error().message(),
              HasSubstr("tensor 'ids' (I64 [2]): element 1 = 2147483648 does not fit in int32"));
}

TEST_F(TensorConversionTest, RejectsOtherDTypes) {
  ASSERT_NO_FATAL_FAILURE(Load({{"packed", "I8", {2}, "ab"}, {"scale", "F8_E8M0", {1}, "c"}}));
  base::Result<std::vector<float>> floats = ToFloat32(Tensor("packed"));
  ASSERT_FALSE(floats.ok());
  EXPECT_THAT(floats.error().message(),
              HasSubstr("tensor 'packed' (I8 [2]) cannot be read as floats"));
  EXPECT_FALSE(ToFloat32(Tensor("scale")).ok());
  base::Result<std::vector<int32_t>> ints = ToInt32(Tensor("scale"));
  ASSERT_FALSE(ints.ok());
  EXPECT_THAT(ints.error().message(), HasSubstr("tensor 'scale' (F8_E8M0 [1]) cannot be read"));
}

TEST(TensorConversionViewTest, RejectsViewWhoseBytesDisagreeWithShape) {
  std::vector<std::byte> bytes(6);
  TensorView view{"hand_made", DType::kF32, {2}, bytes};
  base::Result<std::vector<float>> values = ToFloat32(view);
  ASSERT_FALSE(values.ok());
  EXPECT_THAT(values.error().message(), HasSubstr("holds 6 bytes, expected 8"));
}

}  // namespace
}  // namespace fathom::engine
