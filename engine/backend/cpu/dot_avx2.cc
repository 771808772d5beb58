// AVX2 + FMA + F16C versions of the dot kernels of dot_kernels.h, compiled with function-level
// target attributes and chosen at run time on CPUs without AVX-512. The 16 canonical lanes live in
// two 8-float vectors, so each kernel follows the scalar kernels' order exactly: per 16-column
// chunk one fused multiply-add per lane into the block's lane sums, then one that scales the block
// into the running lanes. FP8 codes become floats through half-precision conversion, FP4 codes
// through byte shuffles of a 16-entry table. Each kernel is written once for a group of rows;
// widths the vector loops do not cover use the scalar kernels, which compute the same bits.
#include <cpuid.h>
#include <immintrin.h>

#include <algorithm>
#include <bit>
#include <cstring>

#include "engine/backend/cpu/dot_kernels.h"

#define FATHOM_AVX2 __attribute__((target("avx2,fma,f16c")))

namespace fathom::engine::cpu {
namespace {

// The 16 lanes of dot_kernels.h as two vectors, in the order that a kernel's decode produces:
// position p (half[p / 8], element p % 8) holds the canonical lane order[p].
struct Lanes {
  __m256 half[2];
};

constexpr int kColumnOrder[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
// FP4 decodes even and odd columns into separate 128-bit halves (see DecodeFp4).
constexpr int kFp4Order[16] = {0, 2, 4, 6, 1, 3, 5, 7, 8, 10, 12, 14, 9, 11, 13, 15};

FATHOM_AVX2 Lanes Zero() { return {{_mm256_setzero_ps(), _mm256_setzero_ps()}}; }

FATHOM_AVX2 float Reduce(const Lanes& lanes, const int (&order)[16]) {
  alignas(32) float stored[16];
  _mm256_store_ps(stored, lanes.half[0]);
  _mm256_store_ps(stored + 8, lanes.half[1]);
  float values[16];
  for (int p = 0; p < 16; ++p) values[order[p]] = stored[p];
  return ReduceLanes(values);
}

FATHOM_AVX2 __m256 Load8(const float* w) { return _mm256_loadu_ps(w); }

FATHOM_AVX2 __m256 Load8(const uint16_t* w) {
  __m256i widened = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w)));
  return _mm256_castsi256_ps(_mm256_slli_epi32(widened, 16));
}

// Sixteen e4m3 codes as floats, columns 0..7 in out[0] and 8..15 in out[1]. The sign-extended
// code shifted left by 7 (bit 14, a copy of the sign, cleared) is the IEEE half 2^-8 times the
// code's value, e4m3 subnormals becoming half subnormals; the half-to-float conversion is exact
// and one multiply by 256 restores the value. No multiply sees a subnormal float operand (slow on
// many CPUs, this one included). NaN codes (0x7F, 0xFF) decode to ±480; weights never hold them.
FATHOM_AVX2 void DecodeFp8(const uint8_t* codes, __m256 out[2]) {
  __m256i code = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(codes)));
  __m256i halves =
      _mm256_and_si256(_mm256_slli_epi16(code, 7), _mm256_set1_epi16(static_cast<int16_t>(0xBF80)));
  const __m256 restore = _mm256_set1_ps(256.0f);
  out[0] = _mm256_mul_ps(_mm256_cvtph_ps(_mm256_castsi256_si128(halves)), restore);
  out[1] = _mm256_mul_ps(_mm256_cvtph_ps(_mm256_extracti128_si256(halves, 1)), restore);
}

// The bf16 bit patterns of the 16 e2m1 codes, as low bytes and high bytes, each table repeated in
// both 128-bit halves for byte shuffles.
struct Fp4Bytes {
  __m256i low;
  __m256i high;
};

const Fp4Bytes& Fp4Tables() {
  static const Fp4Bytes tables = [] {
    alignas(32) uint8_t low[32], high[32];
    for (int i = 0; i < 32; ++i) {
      uint32_t bits = std::bit_cast<uint32_t>(Tables().fp4[i % 16]);
      low[i] = static_cast<uint8_t>(bits >> 16);
      high[i] = static_cast<uint8_t>(bits >> 24);
    }
    Fp4Bytes result;
    std::memcpy(&result.low, low, sizeof low);
    std::memcpy(&result.high, high, sizeof high);
    return result;
  }();
  return tables;
}

// Columns k..k+31 of an FP4 row (16 packed bytes, the low nibble first) as four vectors of floats
// in the kFp4Order layout: the low nibbles (even columns) fill the lower 128-bit half and the high
// nibbles (odd columns) the upper one; byte shuffles look up the bf16 bytes of each code, and
// interleaving them with zeros makes floats. out[0] holds columns {0, 2, 4, 6 | 1, 3, 5, 7},
// out[1] columns {8, 10, 12, 14 | 9, 11, 13, 15}, out[2] and out[3] the same plus 16.
FATHOM_AVX2 void DecodeFp4(const Fp4Bytes& tables, const uint8_t* packed, __m256 out[4]) {
  __m256i bytes =
      _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(packed)));
  __m256i codes = _mm256_and_si256(
      _mm256_srlv_epi32(bytes, _mm256_setr_epi32(0, 0, 0, 0, 4, 4, 4, 4)), _mm256_set1_epi8(0x0F));
  __m256i low = _mm256_shuffle_epi8(tables.low, codes);
  __m256i high = _mm256_shuffle_epi8(tables.high, codes);
  const __m256i words[2] = {_mm256_unpacklo_epi8(low, high), _mm256_unpackhi_epi8(low, high)};
  const __m256i zero = _mm256_setzero_si256();
  for (int w = 0; w < 2; ++w) {
    out[2 * w] = _mm256_castsi256_ps(_mm256_unpacklo_epi16(zero, words[w]));
    out[2 * w + 1] = _mm256_castsi256_ps(_mm256_unpackhi_epi16(zero, words[w]));
  }
}

// lanes = fma(block, scale, lanes), lane by lane.
FATHOM_AVX2 void AddScaled(Lanes& lanes, const Lanes& block, float scale) {
  for (int h = 0; h < 2; ++h) {
    lanes.half[h] = _mm256_fmadd_ps(block.half[h], _mm256_set1_ps(scale), lanes.half[h]);
  }
}

// Rows row..row+kRows−1 of an unscaled (f32 or bf16) weight: one block spanning the row, scale 1.
template <int kRows, typename Element>
FATHOM_AVX2 void UnscaledRows(const LinearWeight& weight, int64_t row, const float* x, float* out) {
  if (weight.cols() % 16 != 0) {
    for (int i = 0; i < kRows; ++i) {
      out[i] = ScalarDotKernels().For(weight.format())(weight, row + i, x);
    }
    return;
  }
  const Element* w[kRows];
  Lanes block[kRows];
  for (int i = 0; i < kRows; ++i) {
    w[i] = reinterpret_cast<const Element*>(weight.Row(row + i));
    block[i] = Zero();
  }
  for (int64_t k = 0; k < weight.cols(); k += 16) {
    const __m256 input[2] = {_mm256_loadu_ps(x + k), _mm256_loadu_ps(x + k + 8)};
    for (int i = 0; i < kRows; ++i) {
      for (int h = 0; h < 2; ++h) {
        block[i].half[h] = _mm256_fmadd_ps(Load8(w[i] + k + 8 * h), input[h], block[i].half[h]);
      }
    }
  }
  for (int i = 0; i < kRows; ++i) {
    Lanes lanes = Zero();
    AddScaled(lanes, block[i], 1.0f);
    out[i] = Reduce(lanes, kColumnOrder);
  }
}

template <int kRows>
FATHOM_AVX2 void Fp8Rows(const LinearWeight& weight, int64_t row, const float* x, float* out) {
  if (weight.cols() % 16 != 0) {
    for (int i = 0; i < kRows; ++i) out[i] = ScalarDotKernels().fp8(weight, row + i, x);
    return;
  }
  const float* scale_values = Tables().e8m0;
  const uint8_t* w[kRows];
  const uint8_t* scales[kRows];
  Lanes lanes[kRows];
  for (int i = 0; i < kRows; ++i) {
    w[i] = reinterpret_cast<const uint8_t*>(weight.Row(row + i));
    scales[i] = weight.ScaleRow(row + i);
    lanes[i] = Zero();
  }
  for (int64_t begin = 0; begin < weight.cols(); begin += 128) {
    const int64_t end = std::min(begin + 128, weight.cols());
    Lanes block[kRows];
    for (int i = 0; i < kRows; ++i) block[i] = Zero();
    for (int64_t k = begin; k < end; k += 16) {
      const __m256 input[2] = {_mm256_loadu_ps(x + k), _mm256_loadu_ps(x + k + 8)};
      for (int i = 0; i < kRows; ++i) {
        __m256 values[2];
        DecodeFp8(w[i] + k, values);
        for (int h = 0; h < 2; ++h) {
          block[i].half[h] = _mm256_fmadd_ps(values[h], input[h], block[i].half[h]);
        }
      }
    }
    for (int i = 0; i < kRows; ++i) {
      AddScaled(lanes[i], block[i], scale_values[scales[i][begin / 128]]);
    }
  }
  for (int i = 0; i < kRows; ++i) out[i] = Reduce(lanes[i], kColumnOrder);
}

template <int kRows>
FATHOM_AVX2 void Fp4Rows(const LinearWeight& weight, int64_t row, const float* x, float* out) {
  if (weight.cols() % 32 != 0) {
    for (int i = 0; i < kRows; ++i) out[i] = ScalarDotKernels().fp4(weight, row + i, x);
    return;
  }
  const Fp4Bytes& tables = Fp4Tables();
  const float* scale_values = Tables().e8m0;
  const uint8_t* w[kRows];
  const uint8_t* scales[kRows];
  Lanes lanes[kRows];
  for (int i = 0; i < kRows; ++i) {
    w[i] = reinterpret_cast<const uint8_t*>(weight.Row(row + i));
    scales[i] = weight.ScaleRow(row + i);
    lanes[i] = Zero();
  }
  const __m256i even_then_odd = _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7);
  for (int64_t k = 0; k < weight.cols(); k += 32) {  // one scale block: two 16-column chunks
    __m256 input[4];  // in the kFp4Order layout of DecodeFp4's vectors
    for (int q = 0; q < 4; ++q) {
      input[q] = _mm256_permutevar8x32_ps(_mm256_loadu_ps(x + k + 8 * q), even_then_odd);
    }
    for (int i = 0; i < kRows; ++i) {
      __m256 values[4];
      DecodeFp4(tables, w[i] + k / 2, values);
      Lanes block = Zero();
      for (int q = 0; q < 4; ++q) {
        block.half[q % 2] = _mm256_fmadd_ps(values[q], input[q], block.half[q % 2]);
      }
      AddScaled(lanes[i], block, scale_values[scales[i][k / 32]]);
    }
  }
  for (int i = 0; i < kRows; ++i) out[i] = Reduce(lanes[i], kFp4Order);
}

// CPUID leaf 1 reports F16C in ECX; Clang 14's __builtin_cpu_supports does not know "f16c".
bool HasF16c() {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  return __get_cpuid(1, &eax, &ebx, &ecx, &edx) != 0 && (ecx & bit_F16C) != 0;
}

// The one-row DotFunction of a row-group kernel.
template <void (*Rows)(const LinearWeight&, int64_t, const float*, float*)>
float OneRow(const LinearWeight& weight, int64_t row, const float* x) {
  float out;
  Rows(weight, row, x, &out);
  return out;
}

}  // namespace

const DotKernels* Avx2DotKernels() {
  static const bool supported =
      __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && HasF16c();
  static const DotKernels kernels{"avx2",
                                  OneRow<UnscaledRows<1, float>>,
                                  OneRow<UnscaledRows<1, uint16_t>>,
                                  OneRow<Fp8Rows<1>>,
                                  OneRow<Fp4Rows<1>>,
                                  {UnscaledRows<6, uint16_t>, 6},
                                  {Fp8Rows<4>, 4},
                                  {Fp4Rows<4>, 4}};
  return supported ? &kernels : nullptr;
}

}  // namespace fathom::engine::cpu
