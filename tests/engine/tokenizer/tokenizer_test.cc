// The DeepSeek tokenizer beyond the goldens: added tokens in text (leftmost-longest, never split),
// the V4 special-token overlay, byte-level decoding of partial characters as Hugging Face does it,
// the streaming detokenizer, and errors for input it cannot take.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/utf8.h"
#include "engine/tokenizer/byte_level.h"
#include "engine/tokenizer/deepseek_v4_tokens.h"
#include "engine/tokenizer/streaming_detokenizer.h"
#include "tests/engine/tokenizer/fixture_tokenizer.h"
#include "tests/engine/tokenizer/test_tokenizer_json.h"

namespace fathom::engine {
namespace {

using ::testing::HasSubstr;

const std::string kReplacement = "\xEF\xBF\xBD";

class TokenizerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kTokenizerFixtures)) {
      GTEST_SKIP() << kTokenizerFixtures << " is absent";
    }
    tokenizer_ = FixtureTokenizer();
    ASSERT_NE(tokenizer_, nullptr);
  }

  std::vector<int32_t> Encode(const Tokenizer& tokenizer, std::string_view text) {
    auto ids = tokenizer.Encode(text);
    EXPECT_TRUE(ids.ok()) << ids.error();
    return ids.ok() ? *ids : std::vector<int32_t>{};
  }

  // The id of the single-byte token of `byte`.
  int32_t ByteToken(char byte) {
    return tokenizer_->TokenId(ByteLevelEncode(std::string(1, byte))).value_or(-1);
  }

  const Tokenizer* tokenizer_ = nullptr;
};

TEST_F(TokenizerTest, AddedTokensAreMatchedBeforePreTokenization) {
  std::vector<int32_t> ids = Encode(*tokenizer_, "<｜User｜>hi<｜Assistant｜>");
  ASSERT_GE(ids.size(), 3u);
  EXPECT_EQ(ids.front(), 128803);
  EXPECT_EQ(ids.back(), 128804);
  EXPECT_EQ(Encode(*tokenizer_, "hi"), std::vector<int32_t>(ids.begin() + 1, ids.end() - 1));
  // Adjacent, and glued to text on both sides: never split, never merged with neighbours.
  EXPECT_EQ(Encode(*tokenizer_, "<｜end▁of▁sentence｜><｜begin▁of▁sentence｜>"),
            (std::vector<int32_t>{1, 0}));
  std::vector<int32_t> glued = Encode(*tokenizer_, "x<｜end▁of▁sentence｜>y");
  ASSERT_EQ(glued.size(), 3u);
  EXPECT_EQ(glued[1], 1);
  // A special token's text inside a longer word is still that token.
  auto decoded = tokenizer_->Decode(Encode(*tokenizer_, "a<|EOT|>b"));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, "a<|EOT|>b");
  EXPECT_EQ(Encode(*tokenizer_, "a<|EOT|>b")[1], 128805);
}

TEST_F(TokenizerTest, V4OverlayAddsTheV4SpecialTokens) {
  // Without the overlay "<think>" is ordinary text.
  EXPECT_GT(Encode(*tokenizer_, "<think>").size(), 1u);
  EXPECT_EQ(tokenizer_->TokenId("<think>"), std::nullopt);

  auto loaded = Tokenizer::Load(kTokenizerFixtures / "deepseek_v3_tokenizer.json");
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  auto v4 = WithDeepSeekV4SpecialTokens(std::move(loaded).value());
  ASSERT_TRUE(v4.ok()) << v4.error();
  EXPECT_EQ(v4->TokenId("<think>"), 128821);
  EXPECT_EQ(v4->TokenId("</think>"), 128822);
  EXPECT_EQ(v4->TokenId("｜DSML｜"), 128825);
  EXPECT_EQ(v4->TokenId("<｜latest_reminder｜>"), 128828);
  EXPECT_EQ(v4->TokenId("<｜User｜>"), 128803);
  EXPECT_EQ(v4->TokenId("<｜Assistant｜>"), 128804);
  EXPECT_EQ(v4->TokenId("<｜begin▁of▁sentence｜>"), 0);
  EXPECT_EQ(v4->TokenId("<｜end▁of▁sentence｜>"), 1);
  EXPECT_TRUE(v4->IsSpecial(128825));
  EXPECT_EQ(v4->vocab_size(), 128829);
  EXPECT_EQ(v4->TokenText(128818), std::nullopt);  // a gap between V3's and V4's added ids

  EXPECT_EQ(Encode(*v4, "<think>\nplan</think>"),
            (std::vector<int32_t>{128821, ByteToken('\n'), *v4->TokenId("plan"), 128822}));
  // DSML markup: "｜DSML｜" is one token wherever it appears.
  std::vector<int32_t> dsml = Encode(*v4, "<｜DSML｜invoke name=\"x\">");
  ASSERT_GE(dsml.size(), 3u);
  EXPECT_EQ(dsml[0], ByteToken('<'));
  EXPECT_EQ(dsml[1], 128825);
  auto decoded = v4->Decode(dsml);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, "<｜DSML｜invoke name=\"x\">");

  // Applying it again changes nothing.
  auto twice = WithDeepSeekV4SpecialTokens(std::move(v4).value());
  ASSERT_TRUE(twice.ok()) << twice.error();
  EXPECT_EQ(twice->vocab_size(), 128829);
}

TEST_F(TokenizerTest, V4OverlayRejectsConflictingIds) {
  auto tokenizer = Tokenizer::Load(kTokenizerFixtures / "deepseek_v3_tokenizer.json");
  ASSERT_TRUE(tokenizer.ok()) << tokenizer.error();
  std::vector<AddedToken> clash = {AddedToken{128825, "<tool>", true, false}};
  ASSERT_TRUE(tokenizer->AddTokens(clash).ok());
  auto v4 = WithDeepSeekV4SpecialTokens(std::move(tokenizer).value());
  ASSERT_FALSE(v4.ok());
  EXPECT_THAT(v4.error().message(),
              HasSubstr("DeepSeek-V4 special tokens: id 128825 is already token \"<tool>\""));

  // Byte tokens hold ids 0 and 1 in the small tokenizer: BOS and EOS cannot go there.
  auto small = Tokenizer::FromJson(SmallTokenizerJson());
  ASSERT_TRUE(small.ok());
  v4 = WithDeepSeekV4SpecialTokens(std::move(small).value());
  ASSERT_FALSE(v4.ok());
  EXPECT_THAT(v4.error().message(), HasSubstr("id 0 is already token \"Ā\""));
}

TEST(TokenizerAddTokensTest, AFailedCallChangesNothing) {
  auto tokenizer = Tokenizer::FromJson(SmallTokenizerJson());
  ASSERT_TRUE(tokenizer.ok());
  std::vector<AddedToken> tokens = {AddedToken{300, "<a>", true, false},
                                    AddedToken{301, "<a>", true, false}};
  auto added = tokenizer->AddTokens(tokens);
  ASSERT_FALSE(added.ok());
  EXPECT_THAT(added.error().message(), HasSubstr("token \"<a>\" already has id 300, not 301"));
  EXPECT_EQ(tokenizer->TokenId("<a>"), std::nullopt);
  EXPECT_EQ(tokenizer->vocab_size(), 263);
  // Content that is a vocabulary token keeps its vocabulary id, as in Hugging Face.
  tokens = {AddedToken{300, "he", true, false}};
  added = tokenizer->AddTokens(tokens);
  ASSERT_FALSE(added.ok());
  EXPECT_THAT(added.error().message(), HasSubstr("already has id 256, not 300"));
}

TEST_F(TokenizerTest, DecodeReplacesPartialCharactersLikeHuggingFace) {
  // "€" is E2 82 AC; its first two bytes alone decode to one U+FFFD (from_utf8_lossy).
  const std::vector<int32_t> partial = {ByteToken('\xE2'), ByteToken('\x82')};
  auto decoded = tokenizer_->Decode(partial);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, kReplacement);
  auto bytes = tokenizer_->DecodeBytes(partial);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(*bytes, "\xE2\x82");
  decoded = tokenizer_->Decode(std::vector<int32_t>{ByteToken('\xE2'), ByteToken('a')});
  EXPECT_EQ(*decoded, kReplacement + "a");
  decoded = tokenizer_->Decode(std::vector<int32_t>{ByteToken('\xFF'), ByteToken('\x80')});
  EXPECT_EQ(*decoded, kReplacement + kReplacement);
}

TEST_F(TokenizerTest, StreamingHoldsBackIncompleteCharacters) {
  StreamingDetokenizer stream(*tokenizer_);
  // "😀" (F0 9F 98 80) one byte token at a time, then text.
  for (char byte : std::string("\xF0\x9F\x98")) {
    auto delta = stream.Push(ByteToken(byte));
    ASSERT_TRUE(delta.ok());
    EXPECT_EQ(*delta, "");
  }
  auto delta = stream.Push(ByteToken('\x80'));
  ASSERT_TRUE(delta.ok());
  EXPECT_EQ(*delta, "😀");
  delta = stream.Push(ByteToken('!'));
  EXPECT_EQ(*delta, "!");
  // An unfinished character at the end comes out of Flush as U+FFFD, like Decode.
  delta = stream.Push(ByteToken('\xE2'));
  EXPECT_EQ(*delta, "");
  EXPECT_EQ(stream.Flush(), kReplacement);
  EXPECT_EQ(stream.Flush(), "");
  // A character cut off by a non-continuation byte is replaced once the cut is known.
  ASSERT_TRUE(stream.Push(ByteToken('\xE2')).ok());
  delta = stream.Push(ByteToken('a'));
  EXPECT_EQ(*delta, kReplacement + "a");
}

TEST_F(TokenizerTest, StreamingEqualsDecodeForEveryPrefixOfMixedText) {
  const std::string text = "naïve 日本語 😀 <｜User｜> ключ\n\t  🇯🇵 end";
  std::vector<int32_t> ids = Encode(*tokenizer_, text);
  // Every split of the id sequence: deltas are whole characters and add up to Decode.
  for (size_t cut = 0; cut <= ids.size(); ++cut) {
    std::vector<int32_t> prefix(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(cut));
    StreamingDetokenizer stream(*tokenizer_);
    std::string streamed;
    for (int32_t id : prefix) {
      auto delta = stream.Push(id);
      ASSERT_TRUE(delta.ok());
      EXPECT_TRUE(base::IsValidUtf8(*delta));
      streamed += *delta;
    }
    streamed += stream.Flush();
    EXPECT_EQ(streamed, *tokenizer_->Decode(prefix)) << "cut " << cut;
  }
}

TEST_F(TokenizerTest, RejectsInvalidUtf8AndUnknownIds) {
  auto ids = tokenizer_->Encode("ok \xC3\x28");
  ASSERT_FALSE(ids.ok());
  EXPECT_EQ(ids.error().code(), base::ErrorCode::kInvalidArgument);
  EXPECT_THAT(ids.error().message(), HasSubstr("not valid UTF-8"));

  auto decoded = tokenizer_->Decode(std::vector<int32_t>{1000, 128815});
  ASSERT_FALSE(decoded.ok());
  EXPECT_THAT(decoded.error().message(), HasSubstr("token id 128815"));
  EXPECT_FALSE(tokenizer_->Decode(std::vector<int32_t>{-1}).ok());

  StreamingDetokenizer stream(*tokenizer_);
  EXPECT_FALSE(stream.Push(200000).ok());
}

TEST_F(TokenizerTest, EncodesEdgeCasesOfThePreTokenizer) {
  EXPECT_EQ(Encode(*tokenizer_, ""), std::vector<int32_t>{});
  // Long runs of one kind and NUL bytes survive the round trip.
  for (const std::string& text :
       {std::string(5000, ' '), std::string(3000, '9'), std::string("a\0b", 3),
        std::string(2000, '\n') + "x", std::string("\r\n\r\n  \t")}) {
    auto ids = tokenizer_->Encode(text);
    ASSERT_TRUE(ids.ok()) << ids.error();
    auto decoded = tokenizer_->Decode(*ids);
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(*decoded, text);
  }
}

}  // namespace
}  // namespace fathom::engine
