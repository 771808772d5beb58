#include "engine/models/deepseek_v4/synthetic_weights.h"

#include <cstring>
#include <vector>

#include "engine/tensor/float_formats.h"

namespace fathom::engine::deepseek_v4 {
namespace {

using cpu::LinearWeight;
using cpu::WeightFormat;

// e8m0 byte of the block scales: 2^-12 keeps random FP8/FP4 codes at typical weight magnitudes.
constexpr uint8_t kScaleByte = 127 - 12;

uint64_t SplitMix(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Fills `bytes` with random bytes in parallel; each 1 MiB piece has its own stream from `seed`.
void RandomBytes(std::vector<std::byte>& bytes, uint64_t seed, base::ThreadPool& pool) {
  constexpr size_t kPiece = 1 << 20;
  const size_t pieces = (bytes.size() + kPiece - 1) / kPiece;
  pool.ParallelFor(0, pieces, [&](size_t begin, size_t end) {
    for (size_t piece = begin; piece < end; ++piece) {
      uint64_t state = seed ^ (piece * 0x2545F4914F6CDD1Dull);
      size_t offset = piece * kPiece, stop = std::min(bytes.size(), offset + kPiece);
      for (; offset + 8 <= stop; offset += 8) {
        uint64_t value = SplitMix(state);
        std::memcpy(bytes.data() + offset, &value, 8);
      }
      for (; offset < stop; ++offset) bytes[offset] = static_cast<std::byte>(SplitMix(state));
    }
  });
}

class Generator {
 public:
  Generator(uint64_t seed, base::ThreadPool& pool) : seed_(seed), pool_(pool) {}

  LinearWeight Fp8(int64_t rows, int64_t cols) {
    std::vector<std::byte> data = Bytes(rows * cols);
    for (std::byte& code : data) {  // 0x7F and 0xFF are NaN in e4m3
      if ((static_cast<uint8_t>(code) & 0x7F) == 0x7F) code = std::byte{0x7E};
    }
    std::vector<uint8_t> scales(((rows + 127) / 128) * ((cols + 127) / 128), kScaleByte);
    return LinearWeight::Own(WeightFormat::kFp8Block128, rows, cols, std::move(data),
                             std::move(scales));
  }

  LinearWeight Fp4(int64_t rows, int64_t cols) {
    std::vector<uint8_t> scales(rows * (cols / 32), kScaleByte);
    return LinearWeight::Own(WeightFormat::kFp4Block32, rows, cols, Bytes(rows * cols / 2),
                             std::move(scales));
  }

  // bf16 values uniform in about ±0.06: random mantissa and sign, exponent pinned.
  LinearWeight Bf16(int64_t rows, int64_t cols) {
    std::vector<std::byte> data = Bytes(rows * cols * 2);
    auto* values = reinterpret_cast<uint16_t*>(data.data());
    for (int64_t i = 0; i < rows * cols; ++i) values[i] = (values[i] & 0x807F) | 0x3D00;
    return LinearWeight::Own(WeightFormat::kBF16, rows, cols, std::move(data));
  }

  LinearWeight F32(int64_t rows, int64_t cols, float value) {
    return LinearWeight::FromFloats(rows, cols, std::vector<float>(rows * cols, value));
  }

 private:
  std::vector<std::byte> Bytes(int64_t count) {
    std::vector<std::byte> bytes(static_cast<size_t>(count));
    RandomBytes(bytes, seed_ + 0x1000193 * ++streams_, pool_);
    return bytes;
  }

  uint64_t seed_;
  base::ThreadPool& pool_;
  uint64_t streams_ = 0;
};

std::vector<float> Filled(int64_t size, float value) {
  return std::vector<float>(static_cast<size_t>(size), value);
}

CompressorWeights Compressor(Generator& generator, const DeepSeekV4Config& config, int64_t ratio,
                             int64_t head_dim, bool overlap) {
  const int64_t width = (overlap ? 2 : 1) * head_dim;
  return {ratio,
          head_dim,
          overlap,
          generator.Bf16(width, config.hidden_size),
          generator.Bf16(width, config.hidden_size),
          Filled(ratio * width, 0.0f),
          Filled(head_dim, 1.0f)};
}

AttentionWeights Attention(Generator& generator, const DeepSeekV4Config& config, int64_t layer) {
  const int64_t d = config.hidden_size, heads_width = config.num_heads * config.head_dim;
  AttentionWeights weights;
  weights.q_down = generator.Fp8(config.q_lora_rank, d);
  weights.q_norm = Filled(config.q_lora_rank, 1.0f);
  weights.q_up = generator.Fp8(heads_width, config.q_lora_rank);
  weights.kv = generator.Fp8(config.head_dim, d);
  weights.kv_norm = Filled(config.head_dim, 1.0f);
  weights.sinks = Filled(config.num_heads, 0.0f);
  weights.out_groups =
      generator.Bf16(config.o_groups * config.o_lora_rank, heads_width / config.o_groups);
  weights.out = generator.Fp8(d, config.o_groups * config.o_lora_rank);
  AttentionKind kind = config.attention_kinds[layer];
  if (kind == AttentionKind::kSliding) return weights;
  bool csa = kind == AttentionKind::kCompressedSparse;
  weights.compressor =
      Compressor(generator, config, config.CompressRatio(layer), config.head_dim, csa);
  if (csa) {
    weights.indexer = IndexerWeights{
        Compressor(generator, config, config.csa_ratio, config.index_head_dim, true),
        generator.Fp8(config.index_heads * config.index_head_dim, config.q_lora_rank),
        generator.Bf16(config.index_heads, d)};
  }
  return weights;
}

MoeWeights Moe(Generator& generator, const DeepSeekV4Config& config) {
  const int64_t d = config.hidden_size, inner = config.moe_intermediate_size;
  MoeWeights moe;
  moe.routing = RoutingKind::kScore;
  moe.router = generator.Bf16(config.routed_experts, d);
  moe.router_bias = Filled(config.routed_experts, 0.0f);
  for (int64_t e = 0; e < config.routed_experts; ++e) {
    moe.experts.push_back(
        {generator.Fp4(inner, d), generator.Fp4(inner, d), generator.Fp4(d, inner)});
  }
  moe.shared =
      ExpertWeights{generator.Fp8(inner, d), generator.Fp8(inner, d), generator.Fp8(d, inner)};
  return moe;
}

HyperConnectionWeights HyperConnection(Generator& generator, const DeepSeekV4Config& config,
                                       int64_t outputs, int64_t scales) {
  return {generator.F32(outputs, config.hc_mult * config.hidden_size, 1e-3f), Filled(outputs, 0.0f),
          Filled(scales, 1.0f)};
}

}  // namespace

DeepSeekV4Config FlashShapedConfig(int64_t layers) {
  DeepSeekV4Config config;
  config.vocab_size = 129280;
  config.hidden_size = 4096;
  config.num_layers = layers;
  config.num_heads = 64;
  config.head_dim = 512;
  config.rope_head_dim = 64;
  config.q_lora_rank = 1024;
  config.o_groups = 8;
  config.o_lora_rank = 1024;
  config.sliding_window = 128;
  for (int64_t layer = 0; layer < layers; ++layer) {
    config.attention_kinds.push_back(layer % 2 == 0 ? AttentionKind::kCompressedSparse
                                                    : AttentionKind::kHeavilyCompressed);
    config.routing_kinds.push_back(RoutingKind::kScore);
  }
  config.csa_ratio = 4;
  config.hca_ratio = 128;
  config.index_heads = 64;
  config.index_head_dim = 128;
  config.index_topk = 512;
  config.main_rope = {10000.0, false, 1.0, 0, 32.0, 1.0};
  config.compress_rope = {160000.0, true, 16.0, 65536, 32.0, 1.0};
  config.routed_experts = 256;
  config.shared_experts = 1;
  config.experts_per_token = 6;
  config.moe_intermediate_size = 2048;
  config.routed_scaling_factor = 1.5;
  config.swiglu_limit = 10.0;
  config.hc_mult = 4;
  config.hc_sinkhorn_iters = 20;
  config.fp8_weights = true;
  config.fp4_experts = true;
  return config;
}

ModelWeights SyntheticWeights(const DeepSeekV4Config& config, uint64_t seed,
                              base::ThreadPool& pool) {
  Generator generator(seed, pool);
  const int64_t mixes = (2 + config.hc_mult) * config.hc_mult;
  ModelWeights weights;
  weights.embedding = generator.Bf16(config.vocab_size, config.hidden_size);
  for (int64_t layer = 0; layer < config.num_layers; ++layer) {
    weights.layers.push_back({HyperConnection(generator, config, mixes, 3),
                              Filled(config.hidden_size, 1.0f), Attention(generator, config, layer),
                              HyperConnection(generator, config, mixes, 3),
                              Filled(config.hidden_size, 1.0f), Moe(generator, config)});
  }
  weights.head_hc = HyperConnection(generator, config, config.hc_mult, 1);
  weights.final_norm = Filled(config.hidden_size, 1.0f);
  weights.head = generator.Bf16(config.vocab_size, config.hidden_size);
  return weights;
}

}  // namespace fathom::engine::deepseek_v4
