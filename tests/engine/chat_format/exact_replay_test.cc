// Exact replay: after the model samples tool calls in a form other than the canonical one (extra
// whitespace, compact JSON, a JSON string passed as string="false"), the next prompt repeats the
// sampled bytes, so the previous prompt plus the completion is a prefix of the next prompt and
// its KV cache stays valid. A call edited after sampling is rendered canonically again.
#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "engine/chat_format/dsml_tokens.h"
#include "engine/chat_format/renderer.h"
#include "tests/engine/chat_format/chat_format_test_util.h"

namespace fathom::engine {
namespace {

using testing::ExpectConsistentParses;

Message MakeMessage(Role role, std::string content, std::string tool_call_id = "") {
  Message message;
  message.role = role;
  message.content = std::move(content);
  message.tool_call_id = std::move(tool_call_id);
  return message;
}

Conversation AgentConversation() {
  Conversation conversation;
  conversation.tools = {
      {"view", "View a file", OrderedJson::parse(R"({"type": "object", "properties": {}})")},
      {"bash", "Run a command", OrderedJson::parse(R"({"type": "object"})")}};
  conversation.messages.push_back(MakeMessage(Role::kSystem, "You are a coding agent."));
  conversation.messages.push_back(MakeMessage(Role::kUser, "Fix the failing test."));
  return conversation;
}

// A completion the canonical encoder would not produce byte for byte.
const std::string kSampledCalls =
    "\n\n<｜DSML｜tool_calls>\n"
    "<｜DSML｜invoke  name=\"view\">\n\n"
    "<｜DSML｜parameter name=\"view_range\" string=\"false\">[1,20]</｜DSML｜parameter>\n"
    "<｜DSML｜parameter name=\"path\" string=\"true\">src/a.py<\n/｜DSML｜parameter>\n"
    "</｜DSML｜invoke>\n"
    "<｜DSML｜invoke name=\"bash\">\n"
    "<｜DSML｜parameter name=\"command\" string=\"false\">\"pytest -x\"</｜DSML｜parameter>\n"
    "<｜DSML｜parameter name=\"timeout\" string=\"false\">1e2</｜DSML｜parameter>\n"
    "</｜DSML｜invoke>\n"
    "</｜DSML｜tool_calls>" +
    std::string(dsml::kEos);

// Renders the conversation, "samples" `completion`, appends the parsed reply and the tool
// results (in reverse order; rendering sorts them by call), and renders again.
struct Turns {
  std::string first_prompt;
  Message reply;
  Conversation next;
};

Turns SampleAndContinue(const RenderOptions& options, const std::string& completion) {
  Turns turns;
  turns.next = AgentConversation();
  base::Result<std::string> prompt = RenderPrompt(turns.next, options);
  EXPECT_TRUE(prompt.ok()) << prompt.error();
  turns.first_prompt = prompt.value_or("");
  ParseOptions parse_options;
  parse_options.mode = options.mode;
  ParsedCompletion parsed = ExpectConsistentParses(completion, parse_options);
  EXPECT_TRUE(parsed.ok()) << parsed.error->ToString();
  turns.reply = parsed.message;
  turns.next.messages.push_back(parsed.message);
  for (size_t i = parsed.message.tool_calls.size(); i-- > 0;) {
    turns.next.messages.push_back(
        MakeMessage(Role::kTool, "result " + std::to_string(i), parsed.message.tool_calls[i].id));
  }
  return turns;
}

TEST(ChatFormatExactReplayTest, NextPromptExtendsPromptPlusCompletionInThinkingMode) {
  RenderOptions options;
  std::string completion = "Look at the test first.</think>" + kSampledCalls;
  Turns turns = SampleAndContinue(options, completion);
  base::Result<std::string> next = RenderPrompt(turns.next, options);
  ASSERT_TRUE(next.ok()) << next.error();
  std::string prefix = turns.first_prompt + completion;
  EXPECT_EQ(next->substr(0, prefix.size()), prefix);
  EXPECT_EQ(next->substr(prefix.size()),
            "<｜User｜><tool_result>result 0</tool_result>\n\n<tool_result>result 1</tool_result>"
            "<｜Assistant｜><think>");
}

TEST(ChatFormatExactReplayTest, NextPromptExtendsPromptPlusCompletionInChatMode) {
  RenderOptions options;
  options.mode = ThinkingMode::kChat;
  std::string completion = "Checking." + kSampledCalls;
  Turns turns = SampleAndContinue(options, completion);
  base::Result<std::string> next = RenderPrompt(turns.next, options);
  ASSERT_TRUE(next.ok()) << next.error();
  EXPECT_TRUE(next->starts_with(turns.first_prompt + completion));
}

TEST(ChatFormatExactReplayTest, WithoutSampledTextTheCallsAreRenderedCanonically) {
  RenderOptions options;
  std::string completion = "Look.</think>" + kSampledCalls;
  Turns turns = SampleAndContinue(options, completion);
  for (ToolCall& call : turns.next.messages[2].tool_calls) call.sampled_dsml.clear();
  base::Result<std::string> next = RenderPrompt(turns.next, options);
  ASSERT_TRUE(next.ok()) << next.error();
  EXPECT_FALSE(next->starts_with(turns.first_prompt + completion));
  EXPECT_NE(
      next->find("<｜DSML｜invoke name=\"view\">\n"
                 "<｜DSML｜parameter name=\"view_range\" string=\"false\">[1, 20]"
                 "</｜DSML｜parameter>\n"
                 "<｜DSML｜parameter name=\"path\" string=\"true\">src/a.py</｜DSML｜parameter>\n"
                 "</｜DSML｜invoke>\n"
                 "<｜DSML｜invoke name=\"bash\">\n"
                 "<｜DSML｜parameter name=\"command\" string=\"true\">pytest -x"
                 "</｜DSML｜parameter>\n"
                 "<｜DSML｜parameter name=\"timeout\" string=\"false\">100.0"
                 "</｜DSML｜parameter>\n</｜DSML｜invoke>"),
      std::string::npos)
      << *next;
}

TEST(ChatFormatExactReplayTest, AnEditedCallIsRenderedFromItsArguments) {
  RenderOptions options;
  Turns turns = SampleAndContinue(options, "Look.</think>" + kSampledCalls);
  ToolCall& view = turns.next.messages[2].tool_calls[0];
  view.arguments["path"] = "src/b.py";
  base::Result<std::string> next = RenderPrompt(turns.next, options);
  ASSERT_TRUE(next.ok()) << next.error();
  EXPECT_EQ(next->find("src/a.py"), std::string::npos);
  EXPECT_NE(next->find("<｜DSML｜invoke name=\"view\">\n<｜DSML｜parameter name=\"view_range\" "
                       "string=\"false\">[1, 20]</｜DSML｜parameter>\n<｜DSML｜parameter "
                       "name=\"path\" string=\"true\">src/b.py</｜DSML｜parameter>\n"
                       "</｜DSML｜invoke>"),
            std::string::npos);
  // The other call keeps its sampled bytes.
  EXPECT_NE(next->find("string=\"false\">\"pytest -x\"<"), std::string::npos);
}

}  // namespace
}  // namespace fathom::engine
