// Malformed and truncated completions: each gives a structured error (code, offset of the
// offending element, a message the model can act on), identical whole and streamed, with no
// special token in reasoning, content or deltas, and the parts before the error kept.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/chat_format/completion_parser.h"
#include "engine/chat_format/dsml_tokens.h"
#include "tests/engine/chat_format/chat_format_test_util.h"

namespace fathom::engine {
namespace {

using testing::ExpectConsistentParses;

const std::string kEos(dsml::kEos);
const std::string kBlock = "\n\n<｜DSML｜tool_calls>\n";
const std::string kBlockEnd = "</｜DSML｜tool_calls>";
const std::string kInvoke = "<｜DSML｜invoke name=\"bash\">\n";
const std::string kInvokeEnd = "</｜DSML｜invoke>\n";

std::string Parameter(const std::string& name, const std::string& value, bool is_string = true) {
  return "<｜DSML｜parameter name=\"" + name + "\" string=\"" + (is_string ? "true" : "false") +
         "\">" + value + "</｜DSML｜parameter>\n";
}

struct MalformedCase {
  std::string name;
  ThinkingMode mode;
  std::string text;
  DsmlErrorCode code;
  // The error's offset: where `marker` first occurs in `text`, or the end of `text` when empty.
  std::string marker;
};

std::vector<MalformedCase> MalformedCases() {
  using enum DsmlErrorCode;
  const ThinkingMode chat = ThinkingMode::kChat;
  const ThinkingMode thinking = ThinkingMode::kThinking;
  const std::string call = kBlock + kInvoke + Parameter("command", "ls") + kInvokeEnd;
  return {
      {"no_eos", chat, "partial answer", kTruncated, ""},
      {"no_think_end", thinking, "still thinking", kTruncated, ""},
      {"dsml_without_block_start", chat, "Sure.\n<｜DSML｜tool_calls>\n" + kBlockEnd + kEos,
       kUnexpectedSpecialToken, "｜DSML｜"},
      {"tool_call_inside_reasoning", thinking, "Let me call." + call + kBlockEnd + kEos,
       kUnexpectedSpecialToken, "｜DSML｜"},
      {"think_in_content", chat, "a<think>b" + kEos, kUnexpectedSpecialToken, "<think>"},
      {"think_end_in_chat_content", chat, "</think>answer" + kEos, kUnexpectedSpecialToken,
       "</think>"},
      {"bos_in_content", thinking, "r</think>x<｜begin▁of▁sentence｜>" + kEos,
       kUnexpectedSpecialToken, "<｜begin"},
      {"eos_in_reasoning", thinking, "abc" + kEos + "</think>x" + kEos, kUnexpectedSpecialToken,
       "<｜end"},
      {"text_after_eos", chat, "done" + kEos + "more", kTrailingText, "more"},
      {"blank_line_in_block", chat,
       "\n\n<｜DSML｜tool_calls>\n\n" + kInvoke + kInvokeEnd + kBlockEnd, kMalformedBlock,
       ">\n\n<｜DSML｜invoke"},
      {"invoke_name_unquoted", chat,
       kBlock + "<｜DSML｜invoke name=bash>\n" + kInvokeEnd + kBlockEnd, kMalformedInvoke,
       "<｜DSML｜invoke"},
      {"invoke_without_newline", chat,
       kBlock + "<｜DSML｜invoke name=\"bash\">" + Parameter("a", "b") + kInvokeEnd + kBlockEnd,
       kMalformedInvoke, "<｜DSML｜invoke"},
      {"parameter_without_string", chat,
       kBlock + kInvoke + "<｜DSML｜parameter name=\"command\">ls</｜DSML｜parameter>\n" +
           kInvokeEnd + kBlockEnd + kEos,
       kMalformedParameter, "<｜DSML｜parameter"},
      {"parameter_string_yes", chat,
       kBlock + kInvoke +
           "<｜DSML｜parameter name=\"command\" string=\"yes\">ls</｜DSML｜parameter>\n" +
           kInvokeEnd + kBlockEnd + kEos,
       kMalformedParameter, "<｜DSML｜parameter"},
      {"parameter_close_without_angle", chat,
       kBlock + kInvoke +
           "<｜DSML｜parameter name=\"command\" string=\"true\">ls/｜DSML｜parameter>\n" +
           kInvokeEnd + kBlockEnd + kEos,
       kMalformedParameter, "<｜DSML｜parameter"},
      {"duplicate_parameter", chat,
       kBlock + kInvoke + Parameter("command", "ls") + Parameter("command", "pwd") + kInvokeEnd +
           kBlockEnd + kEos,
       kDuplicateParameter, "<｜DSML｜parameter name=\"command\" string=\"true\">pwd"},
      {"string_false_not_json", chat,
       kBlock + kInvoke + Parameter("timeout", "thirty", false) + kInvokeEnd + kBlockEnd + kEos,
       kInvalidParameterJson, "<｜DSML｜parameter"},
      {"missing_block_end", chat, call + kEos, kMalformedBlock, ">\n" + kEos},
      {"text_after_block", chat, call + kBlockEnd + "\nDone.", kTrailingText, "\nDone."},
      {"text_after_block_eos", chat, call + kBlockEnd + kEos + "x", kTrailingText, "x"},
      // Cut short by a token limit. The reference accepts the last three: it would run a call
      // whose later parameters were never written.
      {"cut_in_value", chat,
       "Editing." + kBlock + kInvoke + "<｜DSML｜parameter name=\"command\" string=\"true\">rm -r",
       kTruncated, ""},
      {"cut_in_parameter_header", chat, kBlock + kInvoke + "<｜DSML｜parameter name=\"comm",
       kTruncated, ""},
      {"cut_in_invoke_header", chat, kBlock + "<｜DSML｜invoke name=\"ba", kTruncated, ""},
      {"cut_after_invoke_header", chat, kBlock + kInvoke, kTruncated, ""},
      {"cut_after_parameter", chat, kBlock + kInvoke + Parameter("command", "ls"), kTruncated, ""},
      {"cut_after_invoke", chat, call.substr(0, call.size() - 2), kTruncated, ""},
      {"cut_after_block_start", chat, "Let me look.\n\n<｜DSML｜tool_calls", kTruncated, ""},
  };
}

TEST(ChatFormatMalformedCompletionTest, EachGivesAStructuredErrorAndNoMarkupInContent) {
  for (const MalformedCase& malformed : MalformedCases()) {
    SCOPED_TRACE(malformed.name);
    ParseOptions options;
    options.mode = malformed.mode;
    ParsedCompletion parsed = ExpectConsistentParses(malformed.text, options);
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(DsmlErrorCodeName(parsed.error->code), DsmlErrorCodeName(malformed.code))
        << parsed.error->ToString();
    size_t offset =
        malformed.marker.empty() ? malformed.text.size() : malformed.text.find(malformed.marker);
    EXPECT_EQ(parsed.error->offset, offset) << parsed.error->ToString();
    EXPECT_FALSE(parsed.error->message.empty());
  }
}

TEST(ChatFormatMalformedCompletionTest, KeepsWhatCameBeforeTheError) {
  ParseOptions options;
  std::string text = "Need a look.</think>Checking." + kBlock + kInvoke +
                     Parameter("command", "ls") + kInvokeEnd + "<｜DSML｜invoke name=\"view\">\n" +
                     Parameter("path", "a.py") + Parameter("path", "b.py");
  ParsedCompletion parsed = ExpectConsistentParses(text, options);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error->code, DsmlErrorCode::kDuplicateParameter);
  EXPECT_EQ(parsed.message.reasoning_content, "Need a look.");
  EXPECT_EQ(parsed.message.content, "Checking.");
  ASSERT_EQ(parsed.message.tool_calls.size(), 1u);
  EXPECT_EQ(parsed.message.tool_calls[0].name, "bash");
  EXPECT_EQ(parsed.error->message, "tool call 'view' gives parameter 'path' twice");
}

TEST(ChatFormatMalformedCompletionTest, ErrorsNameTheToolAndParameter) {
  ParseOptions options;
  options.mode = ThinkingMode::kChat;
  ParsedCompletion parsed = ParseCompletion(
      kBlock + kInvoke + Parameter("timeout", "{\"a\": }", false) + kInvokeEnd + kBlockEnd + kEos,
      options);
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error->message.find("parameter 'timeout' of tool call 'bash'"),
            std::string::npos)
      << parsed.error->message;
  EXPECT_NE(parsed.error->ToString().find("invalid_parameter_json at byte "), std::string::npos);
  EXPECT_EQ(parsed.error->ToError().code(), base::ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace fathom::engine
