// The conversation the agent hands the engine and the reply it gets back: messages, tool calls,
// tool results and tool schemas. Plain value types with no behaviour; engine/chat_format turns
// them into DeepSeek-V4 prompt text and parses completions back. Thread-compatible.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace fathom::engine {

// JSON that keeps object keys in insertion order: the prompt shows tool schemas and arguments in
// the order they were written, as DeepSeek's reference encoder (Python dicts) does.
using OrderedJson = nlohmann::ordered_json;

enum class Role {
  kSystem,
  kUser,
  kAssistant,
  kTool,            // a tool's result, answering the assistant's call `tool_call_id`
  kLatestReminder,  // context such as date and locale, placed before the latest user turn
  kDeveloper,       // an internal user-side instruction (may carry tools)
};

// DeepSeek's internal classification tasks: a user message with a task ends in the task's special
// token instead of starting a normal assistant turn.
enum class Task { kNone, kAction, kQuery, kAuthority, kDomain, kTitle, kReadUrl };

struct ToolCall {
  std::string id;  // unique within its message; tool results refer to it
  std::string name;
  OrderedJson arguments;  // an object of parameter name to value; null means no arguments
  // The DSML the model sampled for this call (`<｜DSML｜invoke ...</｜DSML｜invoke>`), empty when
  // the call did not come from the model. Rendering prefers it while it still parses to `name`
  // and `arguments`, so a re-rendered conversation repeats the model's bytes exactly.
  std::string sampled_dsml;

  friend bool operator==(const ToolCall&, const ToolCall&) = default;
};

struct ToolSchema {
  std::string name;
  std::string description;  // omitted from the prompt when empty
  OrderedJson parameters;   // a JSON schema; omitted from the prompt when null

  friend bool operator==(const ToolSchema&, const ToolSchema&) = default;
};

struct Message {
  Role role = Role::kUser;
  std::string content;
  std::string reasoning_content;     // assistant: the thinking before the answer
  std::vector<ToolCall> tool_calls;  // assistant
  std::string tool_call_id;          // tool: the call this message answers
  std::vector<ToolSchema> tools;     // system or developer: tools offered from here on
  Task task = Task::kNone;

  friend bool operator==(const Message&, const Message&) = default;
};

struct Conversation {
  std::vector<Message> messages;
  // Tools offered to the model, shown with the first message (the system prompt).
  std::vector<ToolSchema> tools;
};

}  // namespace fathom::engine
