// The shared chat_format fixtures (../shared/fixtures/chat_format), made with DeepSeek's
// encoding_dsv4.py: every render case byte-identical, every parse case the same message (or an
// error where the reference raises), and every completion parsed alike whole, byte by byte and in
// random pieces. Skipped when the fixtures are absent.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "engine/chat_format/dsml_tokens.h"
#include "engine/chat_format/message_json.h"
#include "engine/chat_format/python_json.h"
#include "engine/chat_format/renderer.h"
#include "tests/engine/chat_format/chat_format_test_util.h"

namespace fathom::engine {
namespace {

using testing::ChatFormatFixtures;
using testing::ExpectConsistentParses;
using testing::ReadJsonLines;

struct RenderCase {
  std::string name;
  Conversation conversation;
  RenderOptions options;
  std::string prompt;
};

ThinkingMode ModeOf(const OrderedJson& json) {
  return json.value("thinking_mode", "thinking") == "chat" ? ThinkingMode::kChat
                                                           : ThinkingMode::kThinking;
}

// A line of render_cases.jsonl: "messages" with options, or an official case's "input" (a
// message list, or {"tools", "messages"}) rendered with the reference's defaults.
base::Result<RenderCase> RenderCaseFromJson(const OrderedJson& json) {
  RenderCase result;
  result.name = json.value("name", "");
  result.prompt = json.value("prompt", "");
  result.options.mode = ModeOf(json);
  result.options.drop_thinking = json.value("drop_thinking", true);
  const OrderedJson effort = json.value("reasoning_effort", OrderedJson());
  if (effort == "high") result.options.reasoning_effort = ReasoningEffort::kHigh;
  if (effort == "max") result.options.reasoning_effort = ReasoningEffort::kMax;
  OrderedJson messages =
      json.contains("messages") ? json["messages"] : json.value("input", OrderedJson());
  if (messages.is_object()) {
    FATHOM_ASSIGN_OR_RETURN(result.conversation.tools,
                            ToolSchemasFromJson(messages.value("tools", OrderedJson::array())));
    messages = messages.value("messages", OrderedJson());
  }
  FATHOM_ASSIGN_OR_RETURN(result.conversation.messages, MessagesFromJson(messages));
  return result;
}

class ChatFormatFixturesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(ChatFormatFixtures())) {
      GTEST_SKIP() << ChatFormatFixtures() << " is absent";
    }
  }

  std::vector<RenderCase> RenderCases() {
    base::Result<std::vector<OrderedJson>> lines =
        ReadJsonLines(ChatFormatFixtures() / "render_cases.jsonl");
    EXPECT_TRUE(lines.ok()) << lines.error();
    std::vector<RenderCase> cases;
    if (!lines.ok()) return cases;
    for (const OrderedJson& line : *lines) {
      base::Result<RenderCase> parsed = RenderCaseFromJson(line);
      EXPECT_TRUE(parsed.ok()) << line.value("name", "") << ": " << parsed.error();
      if (parsed.ok()) cases.push_back(std::move(parsed).value());
    }
    return cases;
  }
};

TEST_F(ChatFormatFixturesTest, EveryRenderCaseIsByteIdentical) {
  std::vector<RenderCase> cases = RenderCases();
  EXPECT_EQ(cases.size(), 17u);
  int official = 0;
  for (const RenderCase& render_case : cases) {
    SCOPED_TRACE(render_case.name);
    if (render_case.name.starts_with("official_test_")) ++official;
    base::Result<std::string> prompt = RenderPrompt(render_case.conversation, render_case.options);
    ASSERT_TRUE(prompt.ok()) << prompt.error();
    EXPECT_EQ(*prompt, render_case.prompt);
  }
  EXPECT_EQ(official, 4);
}

// A parse case's expected tool calls: names, and arguments as the reference's JSON text.
void ExpectToolCalls(const Message& message, const OrderedJson& expected) {
  ASSERT_EQ(message.tool_calls.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    const ToolCall& call = message.tool_calls[i];
    const OrderedJson& function = expected[i]["function"];
    EXPECT_EQ(call.name, function["name"].get<std::string>());
    std::string arguments = function["arguments"].get<std::string>();
    base::Result<OrderedJson> parsed = ParseOrderedJson(arguments);
    ASSERT_TRUE(parsed.ok()) << parsed.error();
    EXPECT_EQ(call.arguments, *parsed);
    EXPECT_EQ(DumpPythonJson(call.arguments), arguments);
    EXPECT_EQ(call.id, "call_" + std::to_string(i));
    EXPECT_TRUE(call.sampled_dsml.starts_with("<｜DSML｜invoke name=\"")) << call.sampled_dsml;
    EXPECT_TRUE(call.sampled_dsml.ends_with("</｜DSML｜invoke>")) << call.sampled_dsml;
  }
}

TEST_F(ChatFormatFixturesTest, EveryParseCaseGivesTheReferenceMessage) {
  base::Result<std::vector<OrderedJson>> cases =
      ReadJsonLines(ChatFormatFixtures() / "parse_cases.jsonl");
  ASSERT_TRUE(cases.ok()) << cases.error();
  EXPECT_EQ(cases->size(), 6u);
  for (const OrderedJson& parse_case : *cases) {
    SCOPED_TRACE(parse_case.value("name", ""));
    ParseOptions options;
    options.mode = ModeOf(parse_case);
    ParsedCompletion parsed =
        ExpectConsistentParses(parse_case["completion"].get<std::string>(), options);
    if (parse_case.contains("error")) {
      EXPECT_FALSE(parsed.ok());
      continue;
    }
    ASSERT_TRUE(parsed.ok()) << parsed.error->ToString();
    const OrderedJson& expected = parse_case["parsed"];
    EXPECT_EQ(parsed.message.role, Role::kAssistant);
    EXPECT_EQ(parsed.message.content, expected["content"].get<std::string>());
    EXPECT_EQ(parsed.message.reasoning_content, expected["reasoning_content"].get<std::string>());
    ExpectToolCalls(parsed.message, expected["tool_calls"]);
  }
}

// Each assistant turn of a rendered prompt is a completion the model could have sampled: the
// text after "<｜Assistant｜><think>" (thinking) or "<｜Assistant｜></think>" (chat) through EOS.
// It parses back to the turn's message, the same however it is fed.
TEST_F(ChatFormatFixturesTest, AssistantTurnsOfRenderCasesParseBack) {
  int parsed_turns = 0;
  for (const RenderCase& render_case : RenderCases()) {
    SCOPED_TRACE(render_case.name);
    std::vector<const Message*> assistants;
    for (const Message& message : render_case.conversation.messages) {
      if (message.role == Role::kAssistant) assistants.push_back(&message);
    }
    std::string_view prompt = render_case.prompt;
    size_t turn = 0;
    for (size_t at = prompt.find(dsml::kAssistant); at != std::string_view::npos;
         at = prompt.find(dsml::kAssistant, at + 1)) {
      std::string_view rest = prompt.substr(at + dsml::kAssistant.size());
      size_t eos = rest.find(dsml::kEos);
      if (eos == std::string_view::npos) break;  // the final, empty turn being prompted
      ParseOptions options;
      options.mode =
          rest.starts_with(dsml::kThinkStart) ? ThinkingMode::kThinking : ThinkingMode::kChat;
      rest.remove_prefix(options.mode == ThinkingMode::kThinking ? dsml::kThinkStart.size()
                                                                 : dsml::kThinkEnd.size());
      std::string_view completion = rest.substr(0, rest.find(dsml::kEos) + dsml::kEos.size());
      ASSERT_LT(turn, assistants.size());
      const Message& expected = *assistants[turn++];
      if (completion.starts_with("<｜action｜>")) continue;  // a task's answer, not a turn
      SCOPED_TRACE(std::string(completion));
      ParsedCompletion parsed = ExpectConsistentParses(completion, options);
      ASSERT_TRUE(parsed.ok()) << parsed.error->ToString();
      ++parsed_turns;
      EXPECT_EQ(parsed.message.content, expected.content);
      if (options.mode == ThinkingMode::kThinking) {
        EXPECT_EQ(parsed.message.reasoning_content, expected.reasoning_content);
      }
      ASSERT_EQ(parsed.message.tool_calls.size(), expected.tool_calls.size());
      for (size_t i = 0; i < expected.tool_calls.size(); ++i) {
        EXPECT_EQ(parsed.message.tool_calls[i].name, expected.tool_calls[i].name);
        EXPECT_EQ(parsed.message.tool_calls[i].arguments, expected.tool_calls[i].arguments);
      }
    }
  }
  EXPECT_GE(parsed_turns, 15);
}

}  // namespace
}  // namespace fathom::engine
