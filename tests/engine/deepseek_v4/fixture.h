// Test helpers for the golden fixtures of ../shared/fixtures: loading a model with chosen numerics,
// reading golden tensors, and the error measures the engine tests assert on.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "base/thread_pool.h"
#include "engine/models/deepseek_v4/model.h"
#include "engine/weights/tensor_conversion.h"
#include "engine/weights/weight_store.h"

namespace fathom::engine::deepseek_v4::testing {

inline std::filesystem::path FixtureDir(const std::string& name) {
  return std::filesystem::path(FATHOM_SHARED_DIR) / "fixtures" / name;
}

// The golden tensors of a fixture (golden.safetensors), converted.
class Golden {
 public:
  explicit Golden(const std::string& fixture) {
    auto store = WeightStore::Open(FixtureDir(fixture) / "golden.safetensors");
    EXPECT_TRUE(store.ok()) << store.error();
    if (store.ok()) store_ = std::make_unique<WeightStore>(std::move(store).value());
  }
  bool ok() const { return store_ != nullptr; }

  std::vector<float> Floats(const std::string& name) const {
    auto view = store_->Get(name);
    EXPECT_TRUE(view.ok()) << view.error();
    auto values = ToFloat32(**view);
    EXPECT_TRUE(values.ok()) << values.error();
    return values.ok() ? *values : std::vector<float>();
  }
  std::vector<int32_t> Ints(const std::string& name) const {
    auto view = store_->Get(name);
    EXPECT_TRUE(view.ok()) << view.error();
    auto values = ToInt32(**view);
    EXPECT_TRUE(values.ok()) << values.error();
    return values.ok() ? *values : std::vector<int32_t>();
  }

 private:
  std::unique_ptr<WeightStore> store_;
};

// ‖a − b‖ / ‖b‖.
inline double RelativeL2(std::span<const float> actual, std::span<const float> expected) {
  double difference = 0, norm = 0;
  for (size_t i = 0; i < expected.size(); ++i) {
    difference += std::pow(static_cast<double>(actual[i]) - expected[i], 2);
    norm += std::pow(static_cast<double>(expected[i]), 2);
  }
  return std::sqrt(difference / norm);
}

inline double CosineSimilarity(std::span<const float> a, std::span<const float> b) {
  double dot = 0, norm_a = 0, norm_b = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    dot += static_cast<double>(a[i]) * b[i];
    norm_a += static_cast<double>(a[i]) * a[i];
    norm_b += static_cast<double>(b[i]) * b[i];
  }
  return dot / std::sqrt(norm_a * norm_b);
}

inline size_t ArgMax(std::span<const float> values) {
  return static_cast<size_t>(std::max_element(values.begin(), values.end()) - values.begin());
}

// Runs `tokens` through a fresh sequence in chunks of `chunk` and returns every position's logits
// (and, when `ties` is set, the indexer selections that had a tie at their boundary).
inline std::vector<float> ChunkedLogits(const DeepSeekV4Model& model,
                                        std::span<const int32_t> tokens, size_t chunk,
                                        std::vector<SelectionTie>* ties = nullptr) {
  SequenceState state = model.NewSequence();
  std::vector<float> logits;
  for (size_t begin = 0; begin < tokens.size(); begin += chunk) {
    size_t size = std::min(chunk, tokens.size() - begin);
    auto result = model.Forward(state, tokens.subspan(begin, size),
                                {.all_logits = true, .selection_ties = ties});
    EXPECT_TRUE(result.ok()) << result.error();
    if (!result.ok()) return {};
    logits.insert(logits.end(), result->begin(), result->end());
  }
  return logits;
}

}  // namespace fathom::engine::deepseek_v4::testing
