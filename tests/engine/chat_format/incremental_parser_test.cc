// IncrementalParser fed the way a sampler feeds it: text that may start markup is held back until
// the next piece decides, tool calls are announced when their name is complete, argument text
// streams before the parameter closes, and the stream ends with exactly one Done or ParseFailed.
#include "engine/chat_format/incremental_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/chat_format/dsml_tokens.h"
#include "tests/engine/chat_format/chat_format_test_util.h"

namespace fathom::engine {
namespace {

using testing::DescribeEvents;

const std::string kEos(dsml::kEos);

ParseOptions Chat() {
  ParseOptions options;
  options.mode = ThinkingMode::kChat;
  return options;
}

TEST(ChatFormatIncrementalParserTest, HoldsBackWhatMayBeTheStartOfABlock) {
  IncrementalParser parser(Chat());
  EXPECT_EQ(parser.Feed("Let me check.\n"),
            std::vector<CompletionEvent>{ContentDelta{"Let me check."}});
  EXPECT_TRUE(parser.Feed("\n").empty());
  EXPECT_TRUE(parser.Feed("<").empty());
  EXPECT_TRUE(parser.Feed("｜DSML｜").empty());
  EXPECT_TRUE(parser.Feed("tool_calls").empty());
  EXPECT_TRUE(parser.Feed(">\n<｜DSML｜invoke name=\"ba").empty());
  EXPECT_EQ(parser.Feed("sh\">\n<｜DSML｜parameter"),
            (std::vector<CompletionEvent>{ToolCallStarted{0, "call_0", "bash"}}));
  EXPECT_EQ(parser.message().content, "Let me check.");
}

TEST(ChatFormatIncrementalParserTest, ReleasesHeldTextThatTurnsOutPlain) {
  IncrementalParser parser(Chat());
  EXPECT_EQ(parser.Feed("a\n\n<"), std::vector<CompletionEvent>{ContentDelta{"a"}});
  EXPECT_EQ(parser.Feed("b> <thi"), std::vector<CompletionEvent>{ContentDelta{"\n\n<b> "}});
  EXPECT_EQ(parser.Feed("s"), std::vector<CompletionEvent>{ContentDelta{"<this"}});
  EXPECT_EQ(parser.Feed("<｜end▁of▁sent"), std::vector<CompletionEvent>{});
  EXPECT_EQ(parser.Feed("ence｜>"), std::vector<CompletionEvent>{});
  EXPECT_EQ(parser.Finish(), std::vector<CompletionEvent>{Done{}});
  EXPECT_EQ(parser.message().content, "a\n\n<b> <this");
}

TEST(ChatFormatIncrementalParserTest, ReasoningEndsAtThinkEnd) {
  IncrementalParser parser{ParseOptions()};
  EXPECT_EQ(parser.Feed("x </thi"), std::vector<CompletionEvent>{ReasoningDelta{"x "}});
  EXPECT_EQ(parser.Feed("nk>Hi"), std::vector<CompletionEvent>{ContentDelta{"Hi"}});
  EXPECT_EQ(parser.message().reasoning_content, "x ");
}

TEST(ChatFormatIncrementalParserTest, StreamsArgumentsBeforeTheParameterCloses) {
  IncrementalParser parser(Chat());
  EXPECT_TRUE(parser.Feed("\n\n<｜DSML｜tool_calls>\n<｜DSML｜invoke name=\"write\">\n").empty());
  EXPECT_EQ(parser.Feed("<｜DSML｜parameter name=\"text\" string=\"true\">"),
            (std::vector<CompletionEvent>{ToolCallStarted{0, "call_0", "write"}}));
  EXPECT_EQ(parser.Feed("line 1\nline"),
            (std::vector<CompletionEvent>{ArgumentDelta{0, "text", true, "line 1\nline"}}));
  // "<" may close the value; it waits for the next piece.
  EXPECT_EQ(parser.Feed(" 2 <"),
            (std::vector<CompletionEvent>{ArgumentDelta{0, "text", true, " 2 "}}));
  EXPECT_EQ(parser.Feed("<"), (std::vector<CompletionEvent>{ArgumentDelta{0, "text", true, "<"}}));
  // The call is complete at </｜DSML｜invoke (the reference appends it there).
  std::vector<CompletionEvent> finished = parser.Feed("/｜DSML｜parameter>\n</｜DSML｜invoke");
  ASSERT_EQ(finished.size(), 1u) << DescribeEvents(finished);
  const auto& call = std::get<ToolCallFinished>(finished[0]).call;
  EXPECT_EQ(call.arguments, OrderedJson({{"text", "line 1\nline 2 <"}}));
  EXPECT_EQ(call.sampled_dsml,
            "<｜DSML｜invoke name=\"write\">\n<｜DSML｜parameter name=\"text\" string=\"true\">"
            "line 1\nline 2 <</｜DSML｜parameter>\n</｜DSML｜invoke>");
  EXPECT_TRUE(parser.Feed(">\n</｜DSML｜tool_calls>" + kEos).empty());
  EXPECT_EQ(parser.Finish(), std::vector<CompletionEvent>{Done{}});
}

TEST(ChatFormatIncrementalParserTest, TokenPiecesGiveTheEventsInOrder) {
  std::vector<std::string> tokens = {
      "Running", " tests",   ".",         "\n\n",   "<",     "｜DSML｜", "tool",     "_calls",
      ">\n",     "<",        "｜DSML｜",  "invoke", " name", "=\"",      "bash",     "\">\n",
      "<",       "｜DSML｜", "parameter", " name",  "=\"",   "timeout",  "\"",       " string",
      "=\"",     "false",    "\">",       "12",     "0",     "</",       "｜DSML｜", "parameter",
      ">\n",     "</",       "｜DSML｜",  "invoke", ">\n",   "</",       "｜DSML｜", "tool",
      "_calls",  ">",        kEos};
  IncrementalParser parser(Chat());
  std::vector<CompletionEvent> events;
  for (const std::string& token : tokens) {
    std::vector<CompletionEvent> more = parser.Feed(token);
    events.insert(events.end(), more.begin(), more.end());
  }
  std::vector<CompletionEvent> last = parser.Finish();
  events.insert(events.end(), last.begin(), last.end());
  ToolCall call{"call_0", "bash", OrderedJson({{"timeout", 120}}),
                "<｜DSML｜invoke name=\"bash\">\n<｜DSML｜parameter name=\"timeout\" "
                "string=\"false\">120</｜DSML｜parameter>\n</｜DSML｜invoke>"};
  std::vector<CompletionEvent> expected = {
      ContentDelta{"Running tests."}, ToolCallStarted{0, "call_0", "bash"},
      ArgumentDelta{0, "timeout", false, "120"}, ToolCallFinished{0, call}, Done{}};
  EXPECT_EQ(MergeDeltas(events), expected) << DescribeEvents(events);
  EXPECT_EQ(parser.message().tool_calls, std::vector<ToolCall>{call});
}

TEST(ChatFormatIncrementalParserTest, NothingAfterTheEnd) {
  IncrementalParser done(Chat());
  done.Feed("ok" + kEos);
  EXPECT_EQ(done.Finish(), std::vector<CompletionEvent>{Done{}});
  EXPECT_TRUE(done.Feed("more").empty());
  EXPECT_TRUE(done.Finish().empty());

  IncrementalParser failed(Chat());
  std::vector<CompletionEvent> events = failed.Feed("a<think>b");
  ASSERT_EQ(events.size(), 2u) << DescribeEvents(events);
  EXPECT_EQ(events[0], CompletionEvent(ContentDelta{"a"}));
  EXPECT_EQ(std::get<ParseFailed>(events[1]).error.code, DsmlErrorCode::kUnexpectedSpecialToken);
  EXPECT_TRUE(failed.Feed(kEos).empty());
  EXPECT_TRUE(failed.Finish().empty());
  ASSERT_TRUE(failed.error().has_value());
  EXPECT_EQ(failed.error()->offset, 1u);
}

TEST(ChatFormatIncrementalParserTest, FailsAsSoonAsTheBlockCannotBeValid) {
  IncrementalParser parser(Chat());
  EXPECT_TRUE(
      parser.Feed("\n\n<｜DSML｜tool_calls>\n<｜DSML｜invoke name=\"x\">\n<｜DSML｜").empty());
  std::vector<CompletionEvent> events = parser.Feed("parameter name='x'");
  ASSERT_EQ(events.size(), 2u) << DescribeEvents(events);
  EXPECT_EQ(std::get<ParseFailed>(events[1]).error.code, DsmlErrorCode::kMalformedParameter);
}

}  // namespace
}  // namespace fathom::engine
