// Synthetic DeepSeek-V4 models for benchmarks: a config with the real V4-Flash layer dimensions
// (any number of layers) and random weights in the release formats (FP8 e4m3 with 128×128 e8m0
// block scales, FP4 e2m1 routed experts with per-32 scales, bf16 embedding, head, wo_a and
// compressors), generated from a fixed seed. The weights own their bytes.
#pragma once

#include <cstdint>

#include "base/thread_pool.h"
#include "engine/models/deepseek_v4/config.h"
#include "engine/models/deepseek_v4/model_weights.h"

namespace fathom::engine::deepseek_v4 {

// V4-Flash's shapes (hidden 4096, 64 heads × 512, q_lora 1024, 8 output groups, 256 experts top-6
// of width 2048, indexer 64 × 128 top-512, window 128) with `layers` layers alternating CSA and
// HCA, all score-routed.
DeepSeekV4Config FlashShapedConfig(int64_t layers);

// Random weights for `config`, reproducible from `seed`; filled in parallel on `pool`.
ModelWeights SyntheticWeights(const DeepSeekV4Config& config, uint64_t seed,
                              base::ThreadPool& pool);

}  // namespace fathom::engine::deepseek_v4
