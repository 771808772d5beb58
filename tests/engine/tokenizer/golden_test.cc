// The DeepSeek-V3 tokenizer against Hugging Face tokenizers 0.23.2 on the 393 golden texts of
// ../shared/fixtures/tokenizer: identical ids, identical decoded text, lossless round trips, and
// a streaming detokenizer that agrees with Decode. Skipped when the fixtures are absent.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "base/file.h"
#include "base/json.h"
#include "base/utf8.h"
#include "engine/tokenizer/streaming_detokenizer.h"
#include "engine/tokenizer/tokenizer.h"
#include "tests/engine/tokenizer/fixture_tokenizer.h"

namespace fathom::engine {
namespace {

struct GoldenCase {
  std::string text;
  std::vector<int32_t> ids;
  std::string decoded;
};

std::string Show(const std::vector<int32_t>& ids) {
  std::ostringstream out;
  for (size_t i = 0; i < ids.size(); ++i) out << (i ? "," : "") << ids[i];
  return out.str();
}

class TokenizerGoldenTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!std::filesystem::exists(kTokenizerFixtures)) return;
    auto lines = base::ReadFileToString(kTokenizerFixtures / "deepseek_v3_golden.jsonl");
    ASSERT_TRUE(lines.ok()) << lines.error();
    std::istringstream stream(*lines);
    cases_ = new std::vector<GoldenCase>();
    for (std::string line; std::getline(stream, line);) {
      if (line.empty()) continue;
      auto json = base::ParseJson(line);
      ASSERT_TRUE(json.ok()) << json.error();
      cases_->push_back(GoldenCase{(*json)["text"].get<std::string>(),
                                   (*json)["ids"].get<std::vector<int32_t>>(),
                                   (*json)["decoded"].get<std::string>()});
    }
  }
  static void TearDownTestSuite() {
    delete cases_;
    cases_ = nullptr;
  }
  void SetUp() override {
    if (!std::filesystem::exists(kTokenizerFixtures)) {
      GTEST_SKIP() << kTokenizerFixtures << " is absent";
    }
    tokenizer_ = FixtureTokenizer();
    ASSERT_NE(tokenizer_, nullptr);
    ASSERT_NE(cases_, nullptr);
  }

  const Tokenizer* tokenizer_ = nullptr;
  static std::vector<GoldenCase>* cases_;
};

std::vector<GoldenCase>* TokenizerGoldenTest::cases_ = nullptr;

TEST_F(TokenizerGoldenTest, LoadsTheV3Vocabulary) {
  EXPECT_EQ(cases_->size(), 393u);
  EXPECT_EQ(tokenizer_->vocab_size(), 128815);
  EXPECT_EQ(tokenizer_->added_tokens().size(), 818u);
  EXPECT_EQ(tokenizer_->TokenId("<｜User｜>"), 128803);
  EXPECT_EQ(tokenizer_->TokenText(0), "<｜begin▁of▁sentence｜>");
  EXPECT_TRUE(tokenizer_->IsSpecial(1));
  EXPECT_FALSE(tokenizer_->IsSpecial(128812));  // <｜tool▁output▁begin｜> is not special
}

TEST_F(TokenizerGoldenTest, IdsEqualHuggingFaceForEveryText) {
  size_t matching = 0;
  for (const GoldenCase& golden : *cases_) {
    auto ids = tokenizer_->Encode(golden.text);
    ASSERT_TRUE(ids.ok()) << ids.error();
    if (*ids == golden.ids) {
      ++matching;
      continue;
    }
    ADD_FAILURE() << "text: " << golden.text.substr(0, 200) << "\n  expected " << Show(golden.ids)
                  << "\n  actual   " << Show(*ids);
  }
  EXPECT_EQ(matching, cases_->size());
}

TEST_F(TokenizerGoldenTest, DecodeEqualsHuggingFaceAndRoundTrips) {
  for (const GoldenCase& golden : *cases_) {
    auto decoded = tokenizer_->Decode(golden.ids);
    ASSERT_TRUE(decoded.ok()) << decoded.error();
    EXPECT_EQ(*decoded, golden.decoded);
    auto ids = tokenizer_->Encode(golden.text);
    ASSERT_TRUE(ids.ok()) << ids.error();
    auto round_trip = tokenizer_->Decode(*ids);
    ASSERT_TRUE(round_trip.ok()) << round_trip.error();
    EXPECT_EQ(*round_trip, golden.text);
  }
}

TEST_F(TokenizerGoldenTest, StreamingOutputIsWholeCharactersAndEqualsDecode) {
  size_t held_back = 0;
  for (const GoldenCase& golden : *cases_) {
    StreamingDetokenizer stream(*tokenizer_);
    std::string streamed;
    for (int32_t id : golden.ids) {
      auto delta = stream.Push(id);
      ASSERT_TRUE(delta.ok()) << delta.error();
      EXPECT_TRUE(base::IsValidUtf8(*delta)) << golden.text.substr(0, 100);
      auto bytes = tokenizer_->TokenBytes(id);
      if (delta->size() < bytes->size()) ++held_back;
      streamed += *delta;
    }
    streamed += stream.Flush();
    EXPECT_EQ(streamed, golden.decoded);
  }
  EXPECT_GT(held_back, 0u) << "no golden text splits a character across tokens";
}

}  // namespace
}  // namespace fathom::engine
