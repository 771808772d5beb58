// CPU matrix products in every weight format against a float64 product of the dequantised
// weights (each element decoded from its definition here), row slices, the batch invariance of
// the kernels (one row at a time gives the same bits as many rows), and the AVX2 and AVX-512
// kernels against the scalar kernels bit for bit.
#include "engine/backend/cpu/matmul.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "engine/backend/cpu/dot_kernels.h"
#include "engine/tensor/float_formats.h"

namespace fathom::engine::cpu {
namespace {

struct Matrix {
  LinearWeight weight;
  std::vector<double> dense;  // the dequantised values, row-major
};

Matrix RandomFp8(int64_t rows, int64_t cols, std::mt19937& random) {
  std::vector<std::byte> codes(rows * cols);
  std::vector<uint8_t> scales(((rows + 127) / 128) * ((cols + 127) / 128));
  for (auto& code : codes) code = std::byte(random() % 0x7F | (random() % 2 ? 0x80 : 0));
  for (auto& scale : scales) scale = static_cast<uint8_t>(118 + random() % 6);
  std::vector<double> dense(rows * cols);
  const int64_t blocks = (cols + 127) / 128;
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < cols; ++c) {
      dense[r * cols + c] = Fp8E4M3ToFloat(static_cast<uint8_t>(codes[r * cols + c])) *
                            std::ldexp(1.0, scales[(r / 128) * blocks + c / 128] - 127);
    }
  }
  return {LinearWeight::Own(WeightFormat::kFp8Block128, rows, cols, codes, scales), dense};
}

Matrix RandomFp4(int64_t rows, int64_t cols, std::mt19937& random) {
  std::vector<std::byte> packed(rows * cols / 2);
  std::vector<uint8_t> scales(rows * cols / 32);
  for (auto& byte : packed) byte = std::byte(random() % 256);
  for (auto& scale : scales) scale = static_cast<uint8_t>(118 + random() % 6);
  std::vector<double> dense(rows * cols);
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < cols; ++c) {
      uint8_t byte = static_cast<uint8_t>(packed[(r * cols + c) / 2]);
      uint8_t nibble = c % 2 == 0 ? byte & 0xF : byte >> 4;  // low nibble holds the even column
      dense[r * cols + c] =
          Fp4E2M1ToFloat(nibble) * std::ldexp(1.0, scales[r * (cols / 32) + c / 32] - 127);
    }
  }
  return {LinearWeight::Own(WeightFormat::kFp4Block32, rows, cols, packed, scales), dense};
}

Matrix RandomBf16(int64_t rows, int64_t cols, std::mt19937& random) {
  std::normal_distribution<float> normal(0.0f, 0.1f);
  std::vector<std::byte> bytes(rows * cols * 2);
  auto* bits = reinterpret_cast<uint16_t*>(bytes.data());
  std::vector<double> dense(rows * cols);
  for (int64_t i = 0; i < rows * cols; ++i) {
    bits[i] = FloatToBf16(normal(random));
    dense[i] = Bf16ToFloat(bits[i]);
  }
  return {LinearWeight::Own(WeightFormat::kBF16, rows, cols, bytes), dense};
}

std::vector<float> RandomInput(int64_t size, std::mt19937& random) {
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> input(size);
  for (float& value : input) value = normal(random);
  return input;
}

void ExpectMatchesDense(const Matrix& matrix, const std::vector<float>& input, int64_t tokens) {
  const int64_t rows = matrix.weight.rows(), cols = matrix.weight.cols();
  std::vector<float> output(tokens * rows);
  base::ThreadPool pool(2);
  MatMul(matrix.weight, input, tokens, output, &pool);
  for (int64_t t = 0; t < tokens; ++t) {
    for (int64_t r = 0; r < rows; ++r) {
      double expected = 0, magnitude = 0;
      for (int64_t c = 0; c < cols; ++c) {
        expected += matrix.dense[r * cols + c] * input[t * cols + c];
        magnitude += std::fabs(matrix.dense[r * cols + c] * input[t * cols + c]);
      }
      ASSERT_NEAR(output[t * rows + r], expected, 1e-5 * magnitude + 1e-30)
          << "token " << t << " row " << r;
    }
  }
}

TEST(MatMulTest, EveryFormatMatchesTheDequantisedProduct) {
  std::mt19937 random(7);
  const int64_t tokens = 3;
  for (auto make : {RandomFp8, RandomFp4, RandomBf16}) {
    Matrix matrix = make(256, 384, random);
    ExpectMatchesDense(matrix, RandomInput(tokens * 384, random), tokens);
  }
}

TEST(MatMulTest, ResultsDoNotDependOnTheNumberOfRows) {
  std::mt19937 random(11);
  Matrix matrix = RandomFp8(384, 256, random);
  const int64_t tokens = 5;
  std::vector<float> input = RandomInput(tokens * 256, random), batched(tokens * 384);
  base::ThreadPool pool(2);
  MatMul(matrix.weight, input, tokens, batched, &pool);
  for (int64_t t = 0; t < tokens; ++t) {
    std::vector<float> single(384);
    MatMul(matrix.weight, std::span<const float>(input).subspan(t * 256, 256), 1, single, nullptr);
    for (int64_t r = 0; r < 384; ++r) ASSERT_EQ(single[r], batched[t * 384 + r]);
  }
}

TEST(MatMulTest, RowSliceSeesTheSameRowsAndScales) {
  std::mt19937 random(13);
  for (auto make : {RandomFp8, RandomFp4}) {
    Matrix matrix = make(384, 128, random);
    LinearWeight slice = matrix.weight.RowSlice(256, 128);
    std::vector<float> full_row(128), slice_row(128);
    for (int64_t r = 0; r < 128; ++r) {
      matrix.weight.DequantizeRow(256 + r, full_row);
      slice.DequantizeRow(r, slice_row);
      ASSERT_EQ(full_row, slice_row) << "row " << r;
    }
  }
}

TEST(MatMulTest, ActivationQuantisationUsesPowerOfTwoBlockScales) {
  // amax 448·2^-3 → scale 2^-3: values on the FP8 grid at that scale survive, others round.
  std::vector<float> values(128, 0.0f);
  values[0] = 56.0f;
  values[1] = 1.0f + 1.0f / 16;  // 8.5 at scale 2^-3 → a tie between 8 and 9: even gives 8
  values[2] = -0.25f;
  RoundThroughFp8Blocks(values, 128);
  EXPECT_EQ(values[0], 56.0f);
  EXPECT_EQ(values[1], 1.0f);
  EXPECT_EQ(values[2], -0.25f);
}

// Every kernel of `fast`, one row and grouped, against the scalar kernels bit for bit, on widths
// its vector loops cover and widths they leave to the scalar fallback.
void ExpectScalarBits(const DotKernels& fast) {
  std::mt19937 random(17);
  const DotKernels& scalar = ScalarDotKernels();
  using Make = Matrix (*)(int64_t, int64_t, std::mt19937&);
  const std::pair<Make, int64_t> cases[] = {{RandomFp8, 512}, {RandomFp4, 512}, {RandomBf16, 512},
                                            {RandomFp8, 160}, {RandomFp4, 96},  {RandomBf16, 48},
                                            {RandomFp8, 200}, {RandomFp4, 32},  {RandomBf16, 40}};
  const int64_t rows = 128;
  for (auto [make, cols] : cases) {
    SCOPED_TRACE("width " + std::to_string(cols));
    Matrix matrix = make(rows, cols, random);
    std::vector<float> input = RandomInput(cols, random);
    DotFunction one_row = fast.For(matrix.weight.format());
    DotFunction reference = scalar.For(matrix.weight.format());
    DotGroup group = fast.GroupFor(matrix.weight.format());
    ASSERT_NE(group.function, nullptr);
    for (int64_t r = 0; r < rows; ++r) {
      float expected = reference(matrix.weight, r, input.data());
      ASSERT_EQ(one_row(matrix.weight, r, input.data()), expected) << "row " << r;
      if (r % group.rows != 0 || r + group.rows > rows) continue;
      float outputs[kMaxGroupRows];
      group.function(matrix.weight, r, input.data(), outputs);
      for (int i = 0; i < group.rows; ++i) {
        ASSERT_EQ(outputs[i], reference(matrix.weight, r + i, input.data())) << "row " << r + i;
      }
    }
  }
  for (int64_t cols : {48, 40}) {
    LinearWeight f32 = LinearWeight::FromFloats(2, cols, RandomInput(2 * cols, random));
    std::vector<float> input = RandomInput(cols, random);
    for (int64_t r = 0; r < 2; ++r) {
      EXPECT_EQ(fast.f32(f32, r, input.data()), scalar.f32(f32, r, input.data()))
          << "f32 width " << cols << " row " << r;
    }
  }
}

TEST(DotKernelsTest, Avx512KernelsGiveTheScalarKernelsBits) {
  const DotKernels* avx512 = Avx512DotKernels();
  if (avx512 == nullptr) GTEST_SKIP() << "this CPU has no AVX-512";
  ExpectScalarBits(*avx512);
}

TEST(DotKernelsTest, Avx2KernelsGiveTheScalarKernelsBits) {
  const DotKernels* avx2 = Avx2DotKernels();
  if (avx2 == nullptr) GTEST_SKIP() << "this CPU lacks AVX2, FMA or F16C";
  ExpectScalarBits(*avx2);
}

}  // namespace
}  // namespace fathom::engine::cpu
