// The CPU forward pass on the release-format fixture (official_tiny: FP8 block-scaled weights,
// FP4 experts) with DeepSeek's QAT simulation on, against DeepSeek's reference: one- and two-token
// prompts reproduce the reference logits (cosine ≥ 0.99999: the per-token bf16/FP8 numerics are
// exact), and the argmax agrees on ≥ 95% of the prefill rows through whole and chunked prefill.
// Also: the CPU backend is batch-invariant (prefill and decode logits bit-identical).
#include <gtest/gtest.h>

#include "tests/engine/deepseek_v4/fixture.h"

namespace fathom::engine::deepseek_v4 {
namespace {

using testing::ArgMax;
using testing::ChunkedLogits;
using testing::CosineSimilarity;
using testing::FixtureDir;
using testing::Golden;

constexpr double kExactCosine = 0.99999;
constexpr double kMinArgmaxAgreement = 0.95;

class OfficialForwardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(FixtureDir("official_tiny"))) GTEST_SKIP() << "no fixtures";
    auto model = DeepSeekV4Model::Load(FixtureDir("official_tiny"), &pool_);
    ASSERT_TRUE(model.ok()) << model.error();
    model_ = std::move(model).value();
    golden_ = std::make_unique<Golden>("official_tiny");
    tokens_ = golden_->Ints("input_ids");
    vocab_ = static_cast<size_t>(model_->config().vocab_size);
  }

  // The argmax of ≥ 95% of `rows` (row-major, vocab wide) agrees with the golden rows.
  void ExpectArgmaxAgrees(const std::vector<float>& rows, const std::vector<float>& golden) {
    ASSERT_EQ(rows.size(), golden.size());
    size_t count = golden.size() / vocab_, agree = 0;
    for (size_t r = 0; r < count; ++r) {
      agree += ArgMax(std::span<const float>(rows).subspan(r * vocab_, vocab_)) ==
               ArgMax(std::span<const float>(golden).subspan(r * vocab_, vocab_));
    }
    EXPECT_GE(static_cast<double>(agree), kMinArgmaxAgreement * static_cast<double>(count));
  }

  // Last-position logits of a fresh prefill of each golden prefix length, in chunks of `chunk`
  // (0: whole prefix).
  std::vector<float> PrefillLastLogits(size_t chunk) {
    std::vector<float> rows;
    for (int32_t length : golden_->Ints("prefill_lengths")) {
      auto prefix = std::span<const int32_t>(tokens_).first(static_cast<size_t>(length));
      std::vector<float> all = ChunkedLogits(*model_, prefix, chunk == 0 ? prefix.size() : chunk);
      rows.insert(rows.end(), all.end() - static_cast<std::ptrdiff_t>(vocab_), all.end());
    }
    return rows;
  }

  base::ThreadPool pool_{2};
  std::unique_ptr<DeepSeekV4Model> model_;
  std::unique_ptr<Golden> golden_;
  std::vector<int32_t> tokens_;
  size_t vocab_ = 0;
};

TEST_F(OfficialForwardTest, ReleaseCheckpointsDefaultToQatSimulation) {
  EXPECT_TRUE(model_->config().fp8_weights);
  EXPECT_TRUE(model_->config().fp4_experts);
  EXPECT_TRUE(model_->numerics().bf16_activations);
  EXPECT_TRUE(model_->numerics().kv_fp8_simulation);
  EXPECT_TRUE(model_->numerics().indexer_fp4_simulation);
}

TEST_F(OfficialForwardTest, ShortPromptsReproduceReferenceLogits) {
  std::vector<int32_t> lengths = golden_->Ints("prefill_lengths");
  std::vector<float> golden = golden_->Floats("prefill_last_logits");
  size_t checked = 0;
  for (size_t r = 0; r < lengths.size(); ++r) {
    if (lengths[r] > 2) continue;
    auto prompt = std::span<const int32_t>(tokens_).first(static_cast<size_t>(lengths[r]));
    SequenceState state = model_->NewSequence();
    auto logits = model_->Forward(state, prompt);
    ASSERT_TRUE(logits.ok()) << logits.error();
    EXPECT_GE(CosineSimilarity(*logits, std::span<const float>(golden).subspan(r * vocab_, vocab_)),
              kExactCosine)
        << "prompt of " << lengths[r] << " tokens";
    ++checked;
  }
  EXPECT_GE(checked, 2u);
}

TEST_F(OfficialForwardTest, PrefillArgmaxMatchesReference) {
  ExpectArgmaxAgrees(PrefillLastLogits(0), golden_->Floats("prefill_last_logits"));
}

TEST_F(OfficialForwardTest, ChunkedPrefillArgmaxMatchesReference) {
  for (size_t chunk : {1, 7, 64}) {
    SCOPED_TRACE("chunk " + std::to_string(chunk));
    ExpectArgmaxAgrees(PrefillLastLogits(chunk), golden_->Floats("prefill_last_logits"));
  }
}

TEST_F(OfficialForwardTest, PrefillAndDecodeAreBitIdentical) {
  std::vector<float> prefill = ChunkedLogits(*model_, tokens_, tokens_.size());
  std::vector<float> decode = ChunkedLogits(*model_, tokens_, 1);
  ASSERT_EQ(prefill.size(), decode.size());
  EXPECT_TRUE(prefill == decode) << "prefill and decode logits differ";
}

TEST(BatchInvarianceTest, TransformersFixturePrefillAndDecodeAreBitIdentical) {
  if (!std::filesystem::exists(FixtureDir("hf_tiny_a"))) GTEST_SKIP() << "no fixtures";
  base::ThreadPool pool(2);
  auto model = DeepSeekV4Model::Load(FixtureDir("hf_tiny_a"), &pool);
  ASSERT_TRUE(model.ok()) << model.error();
  std::vector<int32_t> tokens = Golden("hf_tiny_a").Ints("input_ids");
  std::vector<float> prefill = ChunkedLogits(**model, tokens, tokens.size());
  std::vector<float> chunked = ChunkedLogits(**model, tokens, 7);
  std::vector<float> decode = ChunkedLogits(**model, tokens, 1);
  EXPECT_TRUE(prefill == decode) << "prefill and decode logits differ";
  EXPECT_TRUE(prefill == chunked) << "prefill and chunked prefill logits differ";
}

}  // namespace
}  // namespace fathom::engine::deepseek_v4
