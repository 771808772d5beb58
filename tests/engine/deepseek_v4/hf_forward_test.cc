// The CPU forward pass against transformers' float64 goldens (hf_tiny_a, hf_tiny_b): logits at
// every position within relative L2 1e-4, tiny_a's per-layer residual streams, and chunked
// prefill / token-by-token decode reproducing the same logits. A position whose CSA top-k had an
// exact score tie at its boundary (an entry every index head rejects scores exactly 0) may select
// differently from torch.topk, which breaks ties its own way; such positions must be rare.
#include <gtest/gtest.h>

#include <set>

#include "tests/engine/deepseek_v4/fixture.h"

namespace fathom::engine::deepseek_v4 {
namespace {

using testing::ChunkedLogits;
using testing::FixtureDir;
using testing::Golden;
using testing::RelativeL2;

constexpr double kTolerance = 1e-4;
// Bound on the logit error where a boundary tie let the reference pick another (equal) entry.
constexpr double kTieTolerance = 0.05;

class HfForwardTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(FixtureDir(GetParam()))) GTEST_SKIP() << "no fixtures";
    auto model = DeepSeekV4Model::Load(FixtureDir(GetParam()), &pool_);
    ASSERT_TRUE(model.ok()) << model.error();
    model_ = std::move(model).value();
    golden_ = std::make_unique<Golden>(GetParam());
    ASSERT_TRUE(golden_->ok());
    tokens_ = golden_->Ints("input_ids");
    expected_ = golden_->Floats("logits");
  }

  // Runs the fixture in chunks of `chunk` and asserts every position matches the golden.
  void ExpectAllPositionsMatch(size_t chunk) {
    std::vector<SelectionTie> ties;
    std::vector<float> logits = ChunkedLogits(*model_, tokens_, chunk, &ties);
    std::set<int64_t> tied;
    for (const SelectionTie& tie : ties) tied.insert(tie.position);
    EXPECT_LE(tied.size() * 100, tokens_.size()) << "more than 1% of positions had boundary ties";
    const size_t vocab = static_cast<size_t>(model_->config().vocab_size);
    ASSERT_EQ(logits.size(), tokens_.size() * vocab);
    for (size_t t = 0; t < tokens_.size(); ++t) {
      double error = RelativeL2(std::span<const float>(logits).subspan(t * vocab, vocab),
                                std::span<const float>(expected_).subspan(t * vocab, vocab));
      ASSERT_LE(error, tied.contains(t) ? kTieTolerance : kTolerance) << "position " << t;
    }
  }

  base::ThreadPool pool_{2};
  std::unique_ptr<DeepSeekV4Model> model_;
  std::unique_ptr<Golden> golden_;
  std::vector<int32_t> tokens_;
  std::vector<float> expected_;
};

TEST_P(HfForwardTest, UsesFloat32NumericsForTransformersCheckpoints) {
  EXPECT_FALSE(model_->numerics().bf16_activations);
  EXPECT_FALSE(model_->numerics().kv_fp8_simulation);
}

TEST_P(HfForwardTest, FullForwardMatchesGoldenLogits) { ExpectAllPositionsMatch(tokens_.size()); }

TEST_P(HfForwardTest, ChunkedPrefillMatchesGoldenLogits) {
  for (size_t chunk : {7, 64}) {
    SCOPED_TRACE("chunk " + std::to_string(chunk));
    ExpectAllPositionsMatch(chunk);
  }
}

TEST_P(HfForwardTest, TokenByTokenDecodeMatchesGoldenLogits) { ExpectAllPositionsMatch(1); }

INSTANTIATE_TEST_SUITE_P(Fixtures, HfForwardTest, ::testing::Values("hf_tiny_a", "hf_tiny_b"));

TEST(HfHiddenStatesTest, TinyAResidualStreamsMatchGolden) {
  if (!std::filesystem::exists(FixtureDir("hf_tiny_a"))) GTEST_SKIP() << "no fixtures";
  base::ThreadPool pool(2);
  auto model = DeepSeekV4Model::Load(FixtureDir("hf_tiny_a"), &pool);
  ASSERT_TRUE(model.ok()) << model.error();
  Golden golden("hf_tiny_a");
  std::vector<int32_t> tokens = golden.Ints("input_ids");
  std::vector<std::vector<float>> hidden;
  SequenceState state = (*model)->NewSequence();
  ASSERT_TRUE(
      (*model)->Forward(state, tokens, {.all_logits = true, .hidden_states = &hidden}).ok());
  // Streams entering layers 0..5 are hidden_0..hidden_5; the final normed state is hidden_6.
  const int64_t layers = (*model)->config().num_layers;
  ASSERT_EQ(static_cast<int64_t>(hidden.size()), layers + 2);
  for (int64_t k = 0; k < layers; ++k) {
    std::vector<float> expected = golden.Floats("hidden_" + std::to_string(k));
    ASSERT_EQ(hidden[k].size(), expected.size()) << "hidden_" << k;
    EXPECT_LE(RelativeL2(hidden[k], expected), kTolerance) << "hidden_" << k;
  }
  std::vector<float> final_state = golden.Floats("hidden_" + std::to_string(layers));
  ASSERT_EQ(hidden.back().size(), final_state.size());
  EXPECT_LE(RelativeL2(hidden.back(), final_state), kTolerance);
}

}  // namespace
}  // namespace fathom::engine::deepseek_v4
