// RenderPrompt on the parts of the reference encoder the fixtures do not reach: merging and
// ordering of tool results, dropped developer turns, task tokens, canonical argument values, and
// the inputs it rejects.
#include "engine/chat_format/renderer.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace fathom::engine {
namespace {

Message MakeMessage(Role role, std::string content) {
  Message message;
  message.role = role;
  message.content = std::move(content);
  return message;
}

Message ToolResult(std::string id, std::string content) {
  Message message = MakeMessage(Role::kTool, std::move(content));
  message.tool_call_id = std::move(id);
  return message;
}

ToolCall Call(std::string id, std::string name, OrderedJson arguments) {
  ToolCall call;
  call.id = std::move(id);
  call.name = std::move(name);
  call.arguments = std::move(arguments);
  return call;
}

std::string Render(const Conversation& conversation, ThinkingMode mode, bool drop_thinking = true) {
  RenderOptions options;
  options.mode = mode;
  options.drop_thinking = drop_thinking;
  base::Result<std::string> prompt = RenderPrompt(conversation, options);
  EXPECT_TRUE(prompt.ok()) << prompt.error();
  return prompt.value_or("");
}

TEST(ChatFormatRendererTest, ToolResultsFollowTheCallOrderAndMergeWithUserText) {
  Conversation conversation;
  Message assistant = MakeMessage(Role::kAssistant, "");
  assistant.tool_calls = {Call("a", "x", nullptr), Call("b", "y", OrderedJson::object())};
  conversation.messages = {MakeMessage(Role::kUser, "go"),
                           assistant,
                           ToolResult("b", "B"),
                           ToolResult("zzz", "unknown"),
                           ToolResult("a", "A"),
                           MakeMessage(Role::kUser, "and then?"),
                           MakeMessage(Role::kUser, "well?")};
  EXPECT_EQ(Render(conversation, ThinkingMode::kChat),
            "<｜begin▁of▁sentence｜><｜User｜>go<｜Assistant｜></think>"
            "\n\n<｜DSML｜tool_calls>\n<｜DSML｜invoke name=\"x\">\n\n</｜DSML｜invoke>\n"
            "<｜DSML｜invoke name=\"y\">\n\n</｜DSML｜invoke>\n</｜DSML｜tool_calls>"
            "<｜end▁of▁sentence｜>"
            "<｜User｜><tool_result>unknown</tool_result>\n\n<tool_result>A</tool_result>\n\n"
            "<tool_result>B</tool_result>\n\nand then?\n\nwell?<｜Assistant｜></think>");
}

TEST(ChatFormatRendererTest, ThinkingDropsEarlierReasoningAndDeveloperTurnsUnlessToolsAreOffered) {
  Conversation conversation;
  Message answer = MakeMessage(Role::kAssistant, "Hi.");
  answer.reasoning_content = "Greet.";
  conversation.messages = {MakeMessage(Role::kDeveloper, "Be brief."),
                           MakeMessage(Role::kUser, "hello"), answer,
                           MakeMessage(Role::kUser, "bye")};
  EXPECT_EQ(Render(conversation, ThinkingMode::kThinking),
            "<｜begin▁of▁sentence｜><｜User｜>hello<｜Assistant｜></think>Hi.<｜end▁of▁sentence｜>"
            "<｜User｜>bye<｜Assistant｜><think>");
  EXPECT_EQ(Render(conversation, ThinkingMode::kThinking, /*drop_thinking=*/false),
            "<｜begin▁of▁sentence｜><｜User｜>Be brief.<｜User｜>hello<｜Assistant｜><think>Greet."
            "</think>Hi.<｜end▁of▁sentence｜><｜User｜>bye<｜Assistant｜><think>");
  conversation.messages[0].tools = {ToolSchema{"t", "", nullptr}};
  std::string with_tools = Render(conversation, ThinkingMode::kThinking);
  EXPECT_TRUE(with_tools.starts_with("<｜begin▁of▁sentence｜><｜User｜>Be brief.\n\n## Tools\n\n"));
  EXPECT_NE(with_tools.find("### Available Tool Schemas\n\n{\"name\": \"t\"}\n\n"),
            std::string::npos);
  EXPECT_TRUE(with_tools.ends_with(
      "<｜User｜>hello<｜Assistant｜><think>Greet.</think>Hi.<｜end▁of▁sentence｜>"
      "<｜User｜>bye<｜Assistant｜><think>"));
}

TEST(ChatFormatRendererTest, TaskTokensAndReasoningEffort) {
  Conversation conversation;
  conversation.messages = {MakeMessage(Role::kSystem, "S"), MakeMessage(Role::kUser, "q")};
  conversation.messages[1].task = Task::kQuery;
  EXPECT_EQ(Render(conversation, ThinkingMode::kChat),
            "<｜begin▁of▁sentence｜>S<｜User｜>q<｜query｜>");
  conversation.messages[1].task = Task::kAction;
  EXPECT_EQ(Render(conversation, ThinkingMode::kThinking),
            "<｜begin▁of▁sentence｜>S<｜User｜>q<｜Assistant｜><think><｜action｜>");
  conversation.messages[1].task = Task::kNone;
  RenderOptions options;
  options.mode = ThinkingMode::kChat;
  options.reasoning_effort = ReasoningEffort::kMax;
  EXPECT_EQ(RenderPrompt(conversation, options).value_or(""),
            "<｜begin▁of▁sentence｜>S<｜User｜>q<｜Assistant｜></think>");
  options.mode = ThinkingMode::kThinking;
  EXPECT_TRUE(RenderPrompt(conversation, options)
                  .value_or("")
                  .starts_with("<｜begin▁of▁sentence｜>Reasoning Effort: Absolute maximum"));
  options.add_bos = false;
  options.reasoning_effort = ReasoningEffort::kHigh;
  EXPECT_EQ(RenderPrompt(conversation, options).value_or(""), "S<｜User｜>q<｜Assistant｜><think>");
}

TEST(ChatFormatRendererTest, ArgumentValuesAsThePythonEncoderWritesThem) {
  Conversation conversation;
  Message assistant = MakeMessage(Role::kAssistant, "");
  assistant.tool_calls = {Call("1", "f",
                               OrderedJson::parse(
                                   R"({"s": "raw \"text\"\n", "n": 2.0, "b": false,
                                                 "z": null, "o": {"ü": [1, 1e-7, "x"]}})"))};
  conversation.messages = {MakeMessage(Role::kUser, "u"), assistant};
  EXPECT_EQ(Render(conversation, ThinkingMode::kChat),
            "<｜begin▁of▁sentence｜><｜User｜>u<｜Assistant｜></think>\n\n<｜DSML｜tool_calls>\n"
            "<｜DSML｜invoke name=\"f\">\n"
            "<｜DSML｜parameter name=\"s\" string=\"true\">raw \"text\"\n</｜DSML｜parameter>\n"
            "<｜DSML｜parameter name=\"n\" string=\"false\">2.0</｜DSML｜parameter>\n"
            "<｜DSML｜parameter name=\"b\" string=\"false\">false</｜DSML｜parameter>\n"
            "<｜DSML｜parameter name=\"z\" string=\"false\">null</｜DSML｜parameter>\n"
            "<｜DSML｜parameter name=\"o\" string=\"false\">{\"ü\": [1, 1e-07, \"x\"]}"
            "</｜DSML｜parameter>\n</｜DSML｜invoke>\n</｜DSML｜tool_calls><｜end▁of▁sentence｜>");
}

TEST(ChatFormatRendererTest, RejectsWhatTheReferenceRejects) {
  Conversation developer;
  developer.messages = {MakeMessage(Role::kDeveloper, "")};
  EXPECT_FALSE(RenderPrompt(developer, RenderOptions()).ok());

  Conversation bad_arguments;
  Message assistant = MakeMessage(Role::kAssistant, "");
  assistant.tool_calls = {Call("1", "f", OrderedJson::array())};
  bad_arguments.messages = {MakeMessage(Role::kUser, "u"), assistant};
  base::Result<std::string> prompt = RenderPrompt(bad_arguments, RenderOptions());
  ASSERT_FALSE(prompt.ok());
  EXPECT_NE(prompt.error().message().find("arguments must be a JSON object"), std::string::npos);

  Conversation tools_without_system;
  tools_without_system.tools = {ToolSchema{"t", "d", nullptr}};
  tools_without_system.messages = {MakeMessage(Role::kUser, "u")};
  EXPECT_FALSE(RenderPrompt(tools_without_system, RenderOptions()).ok());
}

}  // namespace
}  // namespace fathom::engine
