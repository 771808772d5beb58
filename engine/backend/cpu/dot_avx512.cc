// AVX-512 versions of the dot kernels of dot_kernels.h, compiled with function-level target
// attributes and chosen at run time. Each follows the scalar kernels' order exactly: per 16-column
// chunk one fused multiply-add into the block's lane sums, then one that scales the block into the
// running lanes. FP8 and FP4 codes become floats through byte tables of
// their bf16 bit patterns (VBMI two-table byte permutes), which keeps the columns in order. Each
// kernel is written once for a group of rows; widths the vector loops do not cover use the scalar
// kernels, which compute the same bits.
#include <immintrin.h>

// GCC 12's AVX-512 intrinsics start from _mm512_undefined_*() values and then warn that they are
// or may be used uninitialized (a known false positive, -O2 and -O3 alike); the masks make every
// lane defined.
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <algorithm>
#include <bit>
#include <cstring>

#include "engine/backend/cpu/dot_kernels.h"

#define FATHOM_AVX512 __attribute__((target("avx512f,avx512bw,avx512vbmi")))

namespace fathom::engine::cpu {
namespace {

// Bytes 2 and 3 of every 32-bit lane: where a float's upper 16 bits (its bf16 pattern) sit.
constexpr __mmask64 kUpperHalves = 0xCCCCCCCCCCCCCCCCull;

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

// Decoded weights are exactly representable in bf16, so a float is (high byte, low byte) of its
// bf16 pattern placed in bytes 3 and 2 of a lane. `Arrange` holds, per output vector q, the byte
// indices that pick the low byte (from the first table result) and the high byte (second result,
// index + 64) of the code that lands in each lane.
struct ByteTables {
  __m512i high[2];  // 128-entry table of high bytes, as two 64-byte halves
  __m512i low[2];   // same for low bytes
  __m512i arrange[4];
};

FATHOM_AVX512 __m512 Assemble(__m512i low, __m512i high, __m512i arrange) {
  return _mm512_castsi512_ps(_mm512_maskz_permutex2var_epi8(kUpperHalves, low, arrange, high));
}

// `entries` codes (128 or 16); code_of(e) gives the byte (0..63) of the index vector that holds
// column e's code, for e in one 64-column step.
template <typename CodeOf>
ByteTables BuildTables(float (*value)(uint8_t), int entries, CodeOf code_of) {
  alignas(64) uint8_t high[128] = {}, low[128] = {}, arrange[4][64] = {};
  for (int entry = 0; entry < 128; ++entry) {  // a 16-entry table repeats in every 128-bit lane
    uint32_t bits = std::bit_cast<uint32_t>(value(static_cast<uint8_t>(entry % entries)));
    high[entry] = static_cast<uint8_t>(bits >> 24);
    low[entry] = static_cast<uint8_t>(bits >> 16);
  }
  for (int q = 0; q < 4; ++q) {
    for (int lane = 0; lane < 16; ++lane) {
      uint8_t source = static_cast<uint8_t>(code_of(16 * q + lane));
      arrange[q][4 * lane + 2] = source;
      arrange[q][4 * lane + 3] = static_cast<uint8_t>(source + 64);
    }
  }
  ByteTables tables;
  std::memcpy(&tables.high, high, sizeof high);
  std::memcpy(&tables.low, low, sizeof low);
  std::memcpy(&tables.arrange, arrange, sizeof arrange);
  return tables;
}

float Fp8Value(uint8_t code) { return Tables().fp8[code]; }
float Fp4Value(uint8_t code) { return Tables().fp4[code]; }

// FP8: the 7 magnitude bits index the tables (a permute ignores index bit 7); the sign bit is
// or-ed into the high byte. Column e is byte e of the 64 loaded codes.
const ByteTables& Fp8Tables() {
  static const ByteTables tables = BuildTables(Fp8Value, 128, [](int column) { return column; });
  return tables;
}

// FP4: 32 bytes hold 64 columns; the low nibbles (even columns) fill bytes 0..31 of the index
// vector and the high nibbles (odd columns) bytes 32..63, each looked up in a 16-entry table.
const ByteTables& Fp4Tables() {
  static const ByteTables tables =
      BuildTables(Fp4Value, 16, [](int column) { return (column % 2) * 32 + column / 2; });
  return tables;
}

// Columns k..k+63 of an FP8 row as four vectors of 16 floats, in column order.
FATHOM_AVX512 void DecodeFp8(const ByteTables& tables, const uint8_t* codes, __m512 out[4]) {
  __m512i code = _mm512_loadu_si512(codes);
  __m512i high = _mm512_permutex2var_epi8(tables.high[0], code, tables.high[1]);
  __m512i low = _mm512_permutex2var_epi8(tables.low[0], code, tables.low[1]);
  high = _mm512_ternarylogic_epi32(high, code, _mm512_set1_epi8(static_cast<char>(0x80)), 0xF8);
  for (int q = 0; q < 4; ++q) out[q] = Assemble(low, high, tables.arrange[q]);
}

// Columns k..k+63 of an FP4 row (32 packed bytes) as four vectors of 16 floats, in column order.
FATHOM_AVX512 void DecodeFp4(const ByteTables& tables, const uint8_t* packed, __m512 out[4]) {
  __m256i bytes = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(packed));
  __m512i both =
      _mm512_inserti64x4(_mm512_castsi256_si512(bytes), _mm256_srli_epi16(bytes, 4), 1);
  __m512i nibbles = _mm512_and_si512(both, _mm512_set1_epi8(0x0F));
  __m512i high = _mm512_shuffle_epi8(tables.high[0], nibbles);
  __m512i low = _mm512_shuffle_epi8(tables.low[0], nibbles);
  for (int q = 0; q < 4; ++q) out[q] = Assemble(low, high, tables.arrange[q]);
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
      block[i] = _mm512_fmadd_ps(Load16(w[i] + k), input, block[i]);
    }
  }
  for (int i = 0; i < kRows; ++i) {
    out[i] = Reduce(_mm512_fmadd_ps(block[i], _mm512_set1_ps(1.0f), _mm512_setzero_ps()));
  }
}

template <int kRows>
FATHOM_AVX512 void Fp8Rows(const LinearWeight& weight, int64_t row, const float* x, float* out) {
  if (weight.cols() % 64 != 0) {
    for (int i = 0; i < kRows; ++i) out[i] = ScalarDotKernels().fp8(weight, row + i, x);
    return;
  }
  const ByteTables& tables = Fp8Tables();
  const float* scale_values = Tables().e8m0;
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
    for (int64_t k = begin; k < end; k += 64) {
      __m512 input[4];
      for (int q = 0; q < 4; ++q) input[q] = _mm512_loadu_ps(x + k + 16 * q);
      for (int i = 0; i < kRows; ++i) {
        __m512 values[4];
        DecodeFp8(tables, w[i] + k, values);
        for (int q = 0; q < 4; ++q) {
          block[i] = _mm512_fmadd_ps(values[q], input[q], block[i]);
        }
      }
    }
    for (int i = 0; i < kRows; ++i) {
      lanes[i] = _mm512_fmadd_ps(block[i], _mm512_set1_ps(scale_values[scales[i][begin / 128]]),
                                 lanes[i]);
    }
  }
  for (int i = 0; i < kRows; ++i) out[i] = Reduce(lanes[i]);
}

template <int kRows>
FATHOM_AVX512 void Fp4Rows(const LinearWeight& weight, int64_t row, const float* x, float* out) {
  if (weight.cols() % 64 != 0) {
    for (int i = 0; i < kRows; ++i) out[i] = ScalarDotKernels().fp4(weight, row + i, x);
    return;
  }
  const ByteTables& tables = Fp4Tables();
  const float* scale_values = Tables().e8m0;
  const uint8_t* w[kRows];
  const uint8_t* scales[kRows];
  __m512 lanes[kRows];
  for (int i = 0; i < kRows; ++i) {
    w[i] = reinterpret_cast<const uint8_t*>(weight.Row(row + i));
    scales[i] = weight.ScaleRow(row + i);
    lanes[i] = _mm512_setzero_ps();
  }
  for (int64_t k = 0; k < weight.cols(); k += 64) {
    __m512 input[4];
    for (int q = 0; q < 4; ++q) input[q] = _mm512_loadu_ps(x + k + 16 * q);
    for (int i = 0; i < kRows; ++i) {
      __m512 values[4];
      DecodeFp4(tables, w[i] + k / 2, values);
      for (int half = 0; half < 2; ++half) {  // two 32-column scale blocks
        __m512 block = _mm512_fmadd_ps(values[2 * half], input[2 * half], _mm512_setzero_ps());
        block = _mm512_fmadd_ps(values[2 * half + 1], input[2 * half + 1], block);
        float scale = scale_values[scales[i][k / 32 + half]];
        lanes[i] = _mm512_fmadd_ps(block, _mm512_set1_ps(scale), lanes[i]);
      }
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
  static const bool supported = __builtin_cpu_supports("avx512f") &&
                                __builtin_cpu_supports("avx512bw") &&
                                __builtin_cpu_supports("avx512vbmi");
  static const DotKernels kernels{"avx512",
                                  OneRow<UnscaledRows<1, float>>,
                                  OneRow<UnscaledRows<1, uint16_t>>,
                                  OneRow<Fp8Rows<1>>,
                                  OneRow<Fp4Rows<1>>,
                                  {UnscaledRows<8, uint16_t>, 8},
                                  {Fp8Rows<4>, 4},
                                  {Fp4Rows<4>, 4}};
  return supported ? &kernels : nullptr;
}

}  // namespace fathom::engine::cpu
