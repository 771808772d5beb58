// AVX-512 versions of the dot kernels of dot_kernels.h, compiled with function-level target
// attributes and chosen at run time. Each follows the scalar kernels' order exactly: per 16-column
// chunk a vector of products added to the block's lane sums, the block scaled and added to the
// running lanes, no fused multiply-add. Each is written once for groups of 1 or 4 rows. Rows whose
// width is not a multiple of 16 use the scalar kernels, which compute the same bits.
#include <immintrin.h>

// GCC 12's AVX-512 intrinsics start from _mm512_undefined_*() values and then warn that they may
// be used uninitialized (a known false positive); the masks make every lane defined.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <algorithm>

#include "engine/backend/cpu/dot_kernels.h"

#define FATHOM_AVX512 __attribute__((target("avx512f,avx512bw")))

namespace fathom::engine::cpu {
namespace {

FATHOM_AVX512 float Reduce(__m512 lanes) {
  alignas(64) float values[16];
  _mm512_store_ps(values, lanes);
  return ReduceLanes(values);
}

FATHOM_AVX512 __m512 Load16(const float* w) { return _mm512_loadu_ps(w); }

FATHOM_AVX512 __m512 Load16(const uint16_t* w) {
  __m512i widened = _mm512_cvtepu16_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(w)));
  return _mm512_castsi512_ps(_mm512_slli_epi32(widened, 16));
}

// Sixteen e4m3 codes as floats without a table: the 7 magnitude bits placed at the top of a
// float's mantissa read as 2^-120 times the value (subnormals included), so one exact multiply by
// 2^120 decodes them; the sign bit moves to bit 31. Codes 0x7F/0xFF (NaN) never occur in weights.
FATHOM_AVX512 __m512 DecodeFp8(const uint8_t* codes) {
  __m512i widened = _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(codes)));
  __m512i magnitude = _mm512_slli_epi32(_mm512_and_si512(widened, _mm512_set1_epi32(0x7F)), 20);
  __m512i sign = _mm512_slli_epi32(_mm512_and_si512(widened, _mm512_set1_epi32(0x80)), 24);
  __m512 value = _mm512_mul_ps(_mm512_castsi512_ps(magnitude), _mm512_set1_ps(0x1p120f));
  return _mm512_castsi512_ps(_mm512_or_si512(_mm512_castps_si512(value), sign));
}

// Rows row..row+kRows−1 of an unscaled (f32 or bf16) weight: one block spanning the row, scale 1.
template <int kRows, typename Element>
FATHOM_AVX512 void UnscaledRows(const LinearWeight& weight, int64_t row, const float* x,
                                float* out) {
  if (weight.cols() % 16 != 0) {
    for (int i = 0; i < kRows; ++i) {
      out[i] = ScalarDotKernels().For(weight.format())(weight, row + i, x);
    }
    return;
  }
  const Element* w[kRows];
  __m512 block[kRows];
  for (int i = 0; i < kRows; ++i) {
    w[i] = reinterpret_cast<const Element*>(weight.Row(row + i));
    block[i] = _mm512_setzero_ps();
  }
  for (int64_t k = 0; k < weight.cols(); k += 16) {
    __m512 input = _mm512_loadu_ps(x + k);
    for (int i = 0; i < kRows; ++i) {
      block[i] = _mm512_add_ps(block[i], _mm512_mul_ps(Load16(w[i] + k), input));
    }
  }
  for (int i = 0; i < kRows; ++i) {
    out[i] =
        Reduce(_mm512_add_ps(_mm512_setzero_ps(), _mm512_mul_ps(block[i], _mm512_set1_ps(1.0f))));
  }
}

template <int kRows>
FATHOM_AVX512 void Fp8Rows(const LinearWeight& weight, int64_t row, const float* x, float* out) {
  if (weight.cols() % 16 != 0) {
    for (int i = 0; i < kRows; ++i) out[i] = ScalarDotKernels().fp8(weight, row + i, x);
    return;
  }
  const DecodeTables& tables = Tables();
  const uint8_t* w[kRows];
  const uint8_t* scales[kRows];
  __m512 lanes[kRows];
  for (int i = 0; i < kRows; ++i) {
    w[i] = reinterpret_cast<const uint8_t*>(weight.Row(row + i));
    scales[i] = weight.ScaleRow(row + i);
    lanes[i] = _mm512_setzero_ps();
  }
  for (int64_t begin = 0; begin < weight.cols(); begin += 128) {
    const int64_t end = std::min(begin + 128, weight.cols());
    __m512 block[kRows];
    for (int i = 0; i < kRows; ++i) block[i] = _mm512_setzero_ps();
    for (int64_t k = begin; k < end; k += 16) {
      __m512 input = _mm512_loadu_ps(x + k);
      for (int i = 0; i < kRows; ++i) {
        block[i] = _mm512_add_ps(block[i], _mm512_mul_ps(DecodeFp8(w[i] + k), input));
      }
    }
    for (int i = 0; i < kRows; ++i) {
      lanes[i] = _mm512_add_ps(
          lanes[i], _mm512_mul_ps(block[i], _mm512_set1_ps(tables.e8m0[scales[i][begin / 128]])));
    }
  }
  for (int i = 0; i < kRows; ++i) out[i] = Reduce(lanes[i]);
}

template <int kRows>
FATHOM_AVX512 void Fp4Rows(const LinearWeight& weight, int64_t row, const float* x, float* out) {
  const DecodeTables& tables = Tables();
  const __m512 table = _mm512_loadu_ps(tables.fp4);
  const __m128i low_nibbles = _mm_set1_epi8(0x0F);
  const uint8_t* w[kRows];
  const uint8_t* scales[kRows];
  __m512 lanes[kRows];
  for (int i = 0; i < kRows; ++i) {
    w[i] = reinterpret_cast<const uint8_t*>(weight.Row(row + i));
    scales[i] = weight.ScaleRow(row + i);
    lanes[i] = _mm512_setzero_ps();
  }
  for (int64_t begin = 0; begin < weight.cols(); begin += 32) {
    __m512 first_input = _mm512_loadu_ps(x + begin);
    __m512 second_input = _mm512_loadu_ps(x + begin + 16);
    for (int i = 0; i < kRows; ++i) {
      __m128i packed = _mm_loadu_si128(reinterpret_cast<const __m128i*>(w[i] + begin / 2));
      __m128i low = _mm_and_si128(packed, low_nibbles);
      __m128i high = _mm_and_si128(_mm_srli_epi16(packed, 4), low_nibbles);
      // Column 2j is byte j's low nibble, column 2j + 1 its high nibble.
      __m512 first =
          _mm512_permutexvar_ps(_mm512_cvtepu8_epi32(_mm_unpacklo_epi8(low, high)), table);
      __m512 second =
          _mm512_permutexvar_ps(_mm512_cvtepu8_epi32(_mm_unpackhi_epi8(low, high)), table);
      __m512 block = _mm512_add_ps(_mm512_setzero_ps(), _mm512_mul_ps(first, first_input));
      block = _mm512_add_ps(block, _mm512_mul_ps(second, second_input));
      lanes[i] = _mm512_add_ps(
          lanes[i], _mm512_mul_ps(block, _mm512_set1_ps(tables.e8m0[scales[i][begin / 32]])));
    }
  }
  for (int i = 0; i < kRows; ++i) out[i] = Reduce(lanes[i]);
}

// The one-row DotFunction of a row-group kernel.
template <void (*Rows)(const LinearWeight&, int64_t, const float*, float*)>
float OneRow(const LinearWeight& weight, int64_t row, const float* x) {
  float out;
  Rows(weight, row, x, &out);
  return out;
}

}  // namespace

const DotKernels* Avx512DotKernels() {
  static const bool supported =
      __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw");
  static const DotKernels kernels{"avx512",
                                  OneRow<UnscaledRows<1, float>>,
                                  OneRow<UnscaledRows<1, uint16_t>>,
                                  OneRow<Fp8Rows<1>>,
                                  OneRow<Fp4Rows<1>>,
                                  UnscaledRows<4, uint16_t>,
                                  Fp8Rows<4>,
                                  Fp4Rows<4>};
  return supported ? &kernels : nullptr;
}

}  // namespace fathom::engine::cpu
