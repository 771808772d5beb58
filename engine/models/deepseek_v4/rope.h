// Rope: DeepSeek-V4's interleaved rotary embedding on the trailing `rope_dim` channels of a head.
// Frequencies follow the reference: f_i = theta^(-2i/rope_dim) in float32, with the YaRN blend on
// compressed layers (no mscale); angles are float32 products position·f_i. Immutable after
// construction: thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/models/deepseek_v4/config.h"

namespace fathom::engine::deepseek_v4 {

class Rope {
 public:
  Rope(const RopeParameters& parameters, int64_t rope_dim, bool bf16_frequencies);

  // Rotates pairs (2i, 2i+1) of the last rope_dim entries of `head` by +angle (or −angle when
  // `inverse`, the de-rotation of attention outputs) at `position`.
  void Apply(std::span<float> head, int64_t position, bool inverse = false) const;

  std::span<const float> inverse_frequencies() const { return inverse_frequencies_; }

 private:
  // Blends the frequencies towards f_i/factor below the YaRN correction range.
  void BlendYarn(const RopeParameters& parameters);

  int64_t rope_dim_;
  std::vector<float> inverse_frequencies_;
};

}  // namespace fathom::engine::deepseek_v4
