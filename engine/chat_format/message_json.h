// Conversations from the OpenAI chat-completions JSON that DeepSeek's encoder, the chat_format
// fixtures and OpenAI-compatible clients use: {"role", "content", "reasoning_content",
// "tool_calls": [{"id", "function": {"name", "arguments": "<JSON text>"}}], "tool_call_id",
// "tools": [{"type": "function", "function": {...}}], "task"}. Pure functions; thread-safe.
#pragma once

#include <vector>

#include "base/result.h"
#include "engine/conversation.h"

namespace fathom::engine {

// A message object. Unknown fields are ignored. Arguments that are not JSON become
// {"arguments": text}, as the reference encoder treats them; JSON that is not an object fails.
base::Result<Message> MessageFromJson(const OrderedJson& json);

// An array of message objects.
base::Result<std::vector<Message>> MessagesFromJson(const OrderedJson& json);

// An array of {"type": "function", "function": {"name", "description", "parameters"}}.
base::Result<std::vector<ToolSchema>> ToolSchemasFromJson(const OrderedJson& json);

}  // namespace fathom::engine
