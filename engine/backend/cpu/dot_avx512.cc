// AVX-512 versions of the dot kernels of dot_kernels.h, compiled with function-level target
// attributes and chosen at run time. Each follows the scalar kernels' order exactly: per 16-column
// chunk a vector of products added to the block's lane sums, the block scaled and added to the
// running lanes, no fused multiply-add. Rows whose width is not a multiple of 16 use the scalar
// kernels, which compute the same bits.
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

FATHOM_AVX512 float DotF32(const LinearWeight& weight, int64_t row, const float* x) {
  if (weight.cols() % 16 != 0) return ScalarDotKernels().f32(weight, row, x);
  const float* w = reinterpret_cast<const float*>(weight.Row(row));
  __m512 block = _mm512_setzero_ps();
  for (int64_t k = 0; k < weight.cols(); k += 16) {
    block = _mm512_add_ps(block, _mm512_mul_ps(_mm512_loadu_ps(w + k), _mm512_loadu_ps(x + k)));
  }
  return Reduce(_mm512_add_ps(_mm512_setzero_ps(), _mm512_mul_ps(block, _mm512_set1_ps(1.0f))));
}

FATHOM_AVX512 __m512 LoadBf16(const uint16_t* w) {
  __m512i widened = _mm512_cvtepu16_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(w)));
  return _mm512_castsi512_ps(_mm512_slli_epi32(widened, 16));
}

FATHOM_AVX512 float DotBf16(const LinearWeight& weight, int64_t row, const float* x) {
  if (weight.cols() % 16 != 0) return ScalarDotKernels().bf16(weight, row, x);
  const uint16_t* w = reinterpret_cast<const uint16_t*>(weight.Row(row));
  __m512 block = _mm512_setzero_ps();
  for (int64_t k = 0; k < weight.cols(); k += 16) {
    block = _mm512_add_ps(block, _mm512_mul_ps(LoadBf16(w + k), _mm512_loadu_ps(x + k)));
  }
  return Reduce(_mm512_add_ps(_mm512_setzero_ps(), _mm512_mul_ps(block, _mm512_set1_ps(1.0f))));
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

FATHOM_AVX512 float DotFp8(const LinearWeight& weight, int64_t row, const float* x) {
  if (weight.cols() % 16 != 0) return ScalarDotKernels().fp8(weight, row, x);
  const uint8_t* w = reinterpret_cast<const uint8_t*>(weight.Row(row));
  const uint8_t* scales = weight.ScaleRow(row);
  const DecodeTables& tables = Tables();
  __m512 lanes = _mm512_setzero_ps();
  for (int64_t begin = 0; begin < weight.cols(); begin += 128) {
    const int64_t end = std::min(begin + 128, weight.cols());
    __m512 block = _mm512_setzero_ps();
    for (int64_t k = begin; k < end; k += 16) {
      block = _mm512_add_ps(block, _mm512_mul_ps(DecodeFp8(w + k), _mm512_loadu_ps(x + k)));
    }
    lanes = _mm512_add_ps(lanes,
                          _mm512_mul_ps(block, _mm512_set1_ps(tables.e8m0[scales[begin / 128]])));
  }
  return Reduce(lanes);
}

FATHOM_AVX512 float DotFp4(const LinearWeight& weight, int64_t row, const float* x) {
  const uint8_t* w = reinterpret_cast<const uint8_t*>(weight.Row(row));
  const uint8_t* scales = weight.ScaleRow(row);
  const DecodeTables& tables = Tables();
  const __m512 table = _mm512_loadu_ps(tables.fp4);
  const __m128i low_nibbles = _mm_set1_epi8(0x0F);
  __m512 lanes = _mm512_setzero_ps();
  for (int64_t begin = 0; begin < weight.cols(); begin += 32) {
    __m128i packed = _mm_loadu_si128(reinterpret_cast<const __m128i*>(w + begin / 2));
    __m128i low = _mm_and_si128(packed, low_nibbles);
    __m128i high = _mm_and_si128(_mm_srli_epi16(packed, 4), low_nibbles);
    // Column 2j is byte j's low nibble, column 2j + 1 its high nibble.
    __m512 first = _mm512_permutexvar_ps(_mm512_cvtepu8_epi32(_mm_unpacklo_epi8(low, high)), table);
    __m512 second =
        _mm512_permutexvar_ps(_mm512_cvtepu8_epi32(_mm_unpackhi_epi8(low, high)), table);
    __m512 block = _mm512_mul_ps(first, _mm512_loadu_ps(x + begin));
    block = _mm512_add_ps(_mm512_add_ps(_mm512_setzero_ps(), block),
                          _mm512_mul_ps(second, _mm512_loadu_ps(x + begin + 16)));
    lanes =
        _mm512_add_ps(lanes, _mm512_mul_ps(block, _mm512_set1_ps(tables.e8m0[scales[begin / 32]])));
  }
  return Reduce(lanes);
}

FATHOM_AVX512 void DotBf16x4(const LinearWeight& weight, int64_t row, const float* x, float* out) {
  if (weight.cols() % 16 != 0) {
    for (int i = 0; i < 4; ++i) out[i] = ScalarDotKernels().bf16(weight, row + i, x);
    return;
  }
  const uint16_t* w[4];
  __m512 block[4];
  for (int i = 0; i < 4; ++i) {
    w[i] = reinterpret_cast<const uint16_t*>(weight.Row(row + i));
    block[i] = _mm512_setzero_ps();
  }
  for (int64_t k = 0; k < weight.cols(); k += 16) {
    __m512 input = _mm512_loadu_ps(x + k);
    for (int i = 0; i < 4; ++i) {
      block[i] = _mm512_add_ps(block[i], _mm512_mul_ps(LoadBf16(w[i] + k), input));
    }
  }
  for (int i = 0; i < 4; ++i) {
    out[i] =
        Reduce(_mm512_add_ps(_mm512_setzero_ps(), _mm512_mul_ps(block[i], _mm512_set1_ps(1.0f))));
  }
}

FATHOM_AVX512 void DotFp8x4(const LinearWeight& weight, int64_t row, const float* x, float* out) {
  if (weight.cols() % 16 != 0) {
    for (int i = 0; i < 4; ++i) out[i] = ScalarDotKernels().fp8(weight, row + i, x);
    return;
  }
  const DecodeTables& tables = Tables();
  const uint8_t* w[4];
  const uint8_t* scales[4];
  __m512 lanes[4];
  for (int i = 0; i < 4; ++i) {
    w[i] = reinterpret_cast<const uint8_t*>(weight.Row(row + i));
    scales[i] = weight.ScaleRow(row + i);
    lanes[i] = _mm512_setzero_ps();
  }
  for (int64_t begin = 0; begin < weight.cols(); begin += 128) {
    const int64_t end = std::min(begin + 128, weight.cols());
    __m512 block[4] = {_mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps(),
                       _mm512_setzero_ps()};
    for (int64_t k = begin; k < end; k += 16) {
      __m512 input = _mm512_loadu_ps(x + k);
      for (int i = 0; i < 4; ++i) {
        block[i] = _mm512_add_ps(block[i], _mm512_mul_ps(DecodeFp8(w[i] + k), input));
      }
    }
    for (int i = 0; i < 4; ++i) {
      lanes[i] = _mm512_add_ps(
          lanes[i], _mm512_mul_ps(block[i], _mm512_set1_ps(tables.e8m0[scales[i][begin / 128]])));
    }
  }
  for (int i = 0; i < 4; ++i) out[i] = Reduce(lanes[i]);
}

FATHOM_AVX512 void DotFp4x4(const LinearWeight& weight, int64_t row, const float* x, float* out) {
  const DecodeTables& tables = Tables();
  const __m512 table = _mm512_loadu_ps(tables.fp4);
  const __m128i low_nibbles = _mm_set1_epi8(0x0F);
  const uint8_t* w[4];
  const uint8_t* scales[4];
  __m512 lanes[4];
  for (int i = 0; i < 4; ++i) {
    w[i] = reinterpret_cast<const uint8_t*>(weight.Row(row + i));
    scales[i] = weight.ScaleRow(row + i);
    lanes[i] = _mm512_setzero_ps();
  }
  for (int64_t begin = 0; begin < weight.cols(); begin += 32) {
    __m512 first_input = _mm512_loadu_ps(x + begin);
    __m512 second_input = _mm512_loadu_ps(x + begin + 16);
    for (int i = 0; i < 4; ++i) {
      __m128i packed = _mm_loadu_si128(reinterpret_cast<const __m128i*>(w[i] + begin / 2));
      __m128i low = _mm_and_si128(packed, low_nibbles);
      __m128i high = _mm_and_si128(_mm_srli_epi16(packed, 4), low_nibbles);
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
  for (int i = 0; i < 4; ++i) out[i] = Reduce(lanes[i]);
}

}  // namespace

const DotKernels* Avx512DotKernels() {
  static const bool supported =
      __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw");
  static const DotKernels kernels{"avx512", DotF32,    DotBf16,  DotFp8,
                                  DotFp4,   DotBf16x4, DotFp8x4, DotFp4x4};
  return supported ? &kernels : nullptr;
}

}  // namespace fathom::engine::cpu
