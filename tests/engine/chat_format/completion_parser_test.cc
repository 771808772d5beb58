// ParseCompletion on what DeepSeek's reference parser accepts beyond the canonical form (its
// regular expressions allow leading whitespace, an extra newline, quotes in names), and the
// values it passes through untouched. Every case is also checked streamed.
#include "engine/chat_format/completion_parser.h"

#include <gtest/gtest.h>

#include <string>

#include "engine/chat_format/dsml_grammar.h"
#include "engine/chat_format/dsml_tokens.h"
#include "tests/engine/chat_format/chat_format_test_util.h"

namespace fathom::engine {
namespace {

using testing::ExpectConsistentParses;

const std::string kEos(dsml::kEos);

ParsedCompletion ParseChat(const std::string& text) {
  ParseOptions options;
  options.mode = ThinkingMode::kChat;
  return ExpectConsistentParses(text, options);
}

TEST(ChatFormatCompletionParserTest, InvokeHeaderFollowsTheReferenceRegex) {
  EXPECT_EQ(dsml::MatchInvokeHeader(" name=\"bash\">\n"), "bash");
  EXPECT_EQ(dsml::MatchInvokeHeader(" \n\t name=\"bash\">\n"), "bash");   // \s*
  EXPECT_EQ(dsml::MatchInvokeHeader("\u3000name=\"bash\">\n"), "bash");   // Unicode \s
  EXPECT_EQ(dsml::MatchInvokeHeader(" name=\"bash\">\n\n"), "bash");      // `$` before "\n"
  EXPECT_EQ(dsml::MatchInvokeHeader(" name=\"a\"b\">\n"), "a\"b");        // lazy, anchored
  EXPECT_EQ(dsml::MatchInvokeHeader(" name=\"a\">\nb\">\n"), "a\">\nb");  // DOTALL
  EXPECT_EQ(dsml::MatchInvokeHeader(" name=\"\">\n"), "");
  EXPECT_EQ(dsml::MatchInvokeHeader(" name=\"bash\">\n\n\n"), std::nullopt);
  EXPECT_EQ(dsml::MatchInvokeHeader(" name=\"bash\">"), std::nullopt);
  EXPECT_EQ(dsml::MatchInvokeHeader(" x name=\"bash\">\n"), std::nullopt);
  EXPECT_EQ(dsml::MatchInvokeHeader(" name='bash'>\n"), std::nullopt);
}

TEST(ChatFormatCompletionParserTest, ParameterValueEndsAtItsLastAngle) {
  EXPECT_EQ(dsml::ParameterValueLength("abc<"), 3u);
  EXPECT_EQ(dsml::ParameterValueLength("a<\n"), 1u);  // `<$` matches before a final newline
  EXPECT_EQ(dsml::ParameterValueLength("<"), 0u);
  EXPECT_EQ(dsml::ParameterValueLength("<<"), 1u);
  EXPECT_EQ(dsml::ParameterValueLength("abc"), std::nullopt);
  EXPECT_EQ(dsml::ParameterValueLength("a<\n\n"), std::nullopt);
}

TEST(ChatFormatCompletionParserTest, AcceptsWhatTheReferenceAccepts) {
  ParsedCompletion parsed = ParseChat(
      "\n\n<｜DSML｜tool_calls>\n<｜DSML｜invoke \n name=\"run\">\n\n"
      "<｜DSML｜parameter name=\"a b\" string=\"true\">x<\n/｜DSML｜parameter>\n"
      "<｜DSML｜parameter name=\"n\" string=\"false\"> [1,2.50, {\"k\": null}] "
      "</｜DSML｜parameter>\n"
      "</｜DSML｜invoke>\n</｜DSML｜tool_calls>" +
      kEos);
  ASSERT_TRUE(parsed.ok()) << parsed.error->ToString();
  ASSERT_EQ(parsed.message.tool_calls.size(), 1u);
  const ToolCall& call = parsed.message.tool_calls[0];
  EXPECT_EQ(call.name, "run");
  EXPECT_EQ(call.arguments, OrderedJson::parse(R"({"a b": "x", "n": [1, 2.5, {"k": null}]})"));
}

TEST(ChatFormatCompletionParserTest, StringValuesAreRawText) {
  // Inside a value anything but /｜DSML｜parameter is data: markup, EOS, quotes, newlines.
  std::string value = "if (a < b) {\n  s = \"</think><｜DSML｜invoke name=\\\"x\\\">\" + eos;\n}" +
                      kEos + "\n<tag>";
  ParsedCompletion parsed = ParseChat(
      "Editing.\n\n<｜DSML｜tool_calls>\n<｜DSML｜invoke name=\"edit\">\n"
      "<｜DSML｜parameter name=\"text\" string=\"true\">" +
      value + "</｜DSML｜parameter>\n</｜DSML｜invoke>\n</｜DSML｜tool_calls>" + kEos);
  ASSERT_TRUE(parsed.ok()) << parsed.error->ToString();
  EXPECT_EQ(parsed.message.content, "Editing.");
  ASSERT_EQ(parsed.message.tool_calls.size(), 1u);
  EXPECT_EQ(parsed.message.tool_calls[0].arguments["text"], value);
}

TEST(ChatFormatCompletionParserTest, BlockWithoutCallsOrWithoutEos) {
  ParsedCompletion empty =
      ParseChat("Nothing to do.\n\n<｜DSML｜tool_calls>\n</｜DSML｜tool_calls>" + kEos);
  ASSERT_TRUE(empty.ok()) << empty.error->ToString();
  EXPECT_EQ(empty.message.content, "Nothing to do.");
  EXPECT_TRUE(empty.message.tool_calls.empty());
  // The reference accepts a complete block without the end-of-sentence token after it.
  ParsedCompletion no_eos = ParseChat(
      "\n\n<｜DSML｜tool_calls>\n<｜DSML｜invoke name=\"ls\">\n\n</｜DSML｜invoke>\n"
      "</｜DSML｜tool_calls>");
  ASSERT_TRUE(no_eos.ok()) << no_eos.error->ToString();
  ASSERT_EQ(no_eos.message.tool_calls.size(), 1u);
  EXPECT_EQ(no_eos.message.tool_calls[0].arguments, OrderedJson::object());
  EXPECT_EQ(no_eos.message.tool_calls[0].sampled_dsml,
            "<｜DSML｜invoke name=\"ls\">\n\n</｜DSML｜invoke>");
}

TEST(ChatFormatCompletionParserTest, ThinkingModeSplitsReasoningFromContent) {
  ParseOptions options;
  ParsedCompletion parsed =
      ExpectConsistentParses("a < b\n\nso</think>\n\nAnswer: yes." + kEos, options);
  ASSERT_TRUE(parsed.ok()) << parsed.error->ToString();
  EXPECT_EQ(parsed.message.reasoning_content, "a < b\n\nso");
  EXPECT_EQ(parsed.message.content, "\n\nAnswer: yes.");
  ParsedCompletion empty = ExpectConsistentParses("</think>" + kEos, options);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty.message.reasoning_content, "");
  EXPECT_EQ(empty.message.content, "");
}

TEST(ChatFormatCompletionParserTest, ToolCallIdsUseThePrefix) {
  ParseOptions options;
  options.mode = ThinkingMode::kChat;
  options.tool_call_id_prefix = "turn7_";
  ParsedCompletion parsed = ParseCompletion(
      "\n\n<｜DSML｜tool_calls>\n<｜DSML｜invoke name=\"a\">\n\n</｜DSML｜invoke>\n"
      "<｜DSML｜invoke name=\"b\">\n\n</｜DSML｜invoke>\n</｜DSML｜tool_calls>" +
          kEos,
      options);
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed.message.tool_calls.size(), 2u);
  EXPECT_EQ(parsed.message.tool_calls[0].id, "turn7_0");
  EXPECT_EQ(parsed.message.tool_calls[1].id, "turn7_1");
}

}  // namespace
}  // namespace fathom::engine
