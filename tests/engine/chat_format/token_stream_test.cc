// Completions sampled token by token: the fixture tokenizer (with the DeepSeek-V4 special tokens)
// encodes each completion, the streaming detokenizer turns the ids back into text deltas one at a
// time, and the incremental parser fed those deltas gives the whole-text parser's events, message
// and error. This is the path the generator takes: ids → deltas → DSML events.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "engine/chat_format/incremental_parser.h"
#include "engine/tokenizer/deepseek_v4_tokens.h"
#include "engine/tokenizer/streaming_detokenizer.h"
#include "engine/tokenizer/tokenizer.h"
#include "tests/engine/chat_format/chat_format_test_util.h"

namespace fathom::engine {
namespace {

using testing::ChatFormatFixtures;
using testing::DescribeEvents;
using testing::ParseWhole;
using testing::ReadJsonLines;
using testing::StreamResult;

const std::filesystem::path kTokenizerFile = std::filesystem::path(FATHOM_SHARED_DIR) /
                                             "fixtures" / "tokenizer" /
                                             "deepseek_v3_tokenizer.json";

class ChatFormatTokenStreamTest : public ::testing::Test {
 protected:
  // One tokenizer for the suite: loading the 7.8 MB tokenizer.json takes most of a second.
  static void SetUpTestSuite() {
    if (!std::filesystem::exists(kTokenizerFile)) return;
    base::Result<Tokenizer> loaded = Tokenizer::Load(kTokenizerFile);
    ASSERT_TRUE(loaded.ok()) << loaded.error();
    base::Result<Tokenizer> v4 = WithDeepSeekV4SpecialTokens(std::move(loaded).value());
    ASSERT_TRUE(v4.ok()) << v4.error();
    tokenizer_ = std::make_unique<Tokenizer>(std::move(v4).value());
  }
  static void TearDownTestSuite() { tokenizer_.reset(); }
  void SetUp() override {
    if (tokenizer_ == nullptr || !std::filesystem::exists(ChatFormatFixtures())) {
      GTEST_SKIP() << "fixtures are absent";
    }
  }

  // Encodes `completion` and feeds the detokenized deltas to a parser one token at a time.
  StreamResult ParseTokenByToken(const std::string& completion, const ParseOptions& options,
                                 size_t* token_count) {
    base::Result<std::vector<int32_t>> ids = tokenizer_->Encode(completion);
    EXPECT_TRUE(ids.ok()) << ids.error();
    StreamResult result;
    if (!ids.ok()) return result;
    *token_count = ids->size();
    StreamingDetokenizer detokenizer(*tokenizer_);
    IncrementalParser parser(options);
    for (int32_t id : *ids) {
      base::Result<std::string> delta = detokenizer.Push(id);
      EXPECT_TRUE(delta.ok()) << delta.error();
      std::vector<CompletionEvent> events = parser.Feed(delta.ok() ? *delta : "");
      result.events.insert(result.events.end(), events.begin(), events.end());
    }
    for (const std::string& piece : {detokenizer.Flush(), std::string()}) {
      std::vector<CompletionEvent> events =
          piece.empty() ? parser.Finish() : parser.Feed(piece);
      result.events.insert(result.events.end(), events.begin(), events.end());
    }
    result.message = parser.message();
    result.error = parser.error();
    return result;
  }

  void ExpectSameAsWholeText(const std::string& completion, const ParseOptions& options) {
    SCOPED_TRACE(completion);
    size_t tokens = 0;
    StreamResult streamed = ParseTokenByToken(completion, options, &tokens);
    StreamResult whole = ParseWhole(completion, options);
    EXPECT_GT(tokens, 1u);
    EXPECT_EQ(MergeDeltas(streamed.events), MergeDeltas(whole.events))
        << "token by token: " << DescribeEvents(streamed.events)
        << "\nwhole: " << DescribeEvents(whole.events);
    EXPECT_EQ(streamed.message, whole.message);
    EXPECT_EQ(streamed.error.has_value(), whole.error.has_value());
  }

  static inline std::unique_ptr<Tokenizer> tokenizer_;
};

TEST_F(ChatFormatTokenStreamTest, DsmlMarkerIsOneToken) {
  base::Result<std::vector<int32_t>> ids = tokenizer_->Encode("<｜DSML｜invoke name=\"x\">");
  ASSERT_TRUE(ids.ok()) << ids.error();
  ASSERT_GE(ids->size(), 2u);
  EXPECT_EQ((*ids)[1], kDeepSeekV4Dsml.id);
}

TEST_F(ChatFormatTokenStreamTest, ParseCasesGiveTheSameResultTokenByToken) {
  base::Result<std::vector<OrderedJson>> cases =
      ReadJsonLines(ChatFormatFixtures() / "parse_cases.jsonl");
  ASSERT_TRUE(cases.ok()) << cases.error();
  ASSERT_FALSE(cases->empty());
  for (const OrderedJson& parse_case : *cases) {
    SCOPED_TRACE(parse_case.value("name", ""));
    ParseOptions options;
    options.mode = parse_case.value("thinking_mode", "thinking") == "chat" ? ThinkingMode::kChat
                                                                          : ThinkingMode::kThinking;
    ExpectSameAsWholeText(parse_case["completion"].get<std::string>(), options);
  }
}

TEST_F(ChatFormatTokenStreamTest, MultiByteArgumentsAndMalformedBlocksAgree) {
  ParseOptions chat;
  chat.mode = ThinkingMode::kChat;
  const std::string eos = "<｜end▁of▁sentence｜>";
  ExpectSameAsWholeText(
      "Écrire le fichier 📄.\n\n<｜DSML｜tool_calls>\n<｜DSML｜invoke name=\"write\">\n"
      "<｜DSML｜parameter name=\"text\" string=\"true\">日本語のテキスト — ok</｜DSML｜parameter>\n"
      "<｜DSML｜parameter name=\"mode\" string=\"false\">{\"append\": true}</｜DSML｜parameter>\n"
      "</｜DSML｜invoke>\n</｜DSML｜tool_calls>" + eos,
      chat);
  ExpectSameAsWholeText("Cut short.\n\n<｜DSML｜tool_calls>\n<｜DSML｜invoke name=\"bash\">\n"
                        "<｜DSML｜parameter name=\"command\" string=\"true\">ls",
                        chat);
  ExpectSameAsWholeText("A < b and c </ d, then <｜DSML｜ alone." + eos, chat);
}

}  // namespace
}  // namespace fathom::engine
