// RenderPrompt: a Conversation as DeepSeek-V4 prompt text, byte-identical to the reference
// encoder's encode_messages (encoding_dsv4.py): tool results merged into user turns and ordered
// as the calls, reasoning of earlier turns dropped unless tools are offered, and the assistant
// turn opened with <think> or </think>. Pure function; thread-safe.
#pragma once

#include <string>

#include "base/result.h"
#include "engine/chat_format/chat_mode.h"
#include "engine/conversation.h"

namespace fathom::engine {

struct RenderOptions {
  ThinkingMode mode = ThinkingMode::kThinking;
  ReasoningEffort reasoning_effort = ReasoningEffort::kNone;
  // Drop the reasoning of assistant turns before the last user turn (and developer messages
  // before it). Has no effect when any message offers tools, as in the reference.
  bool drop_thinking = true;
  // Start with the begin-of-sentence token.
  bool add_bos = true;
};

// Fails (kInvalidArgument) where the reference fails: a developer message without content, or a
// tool call whose arguments are not a JSON object; and when the conversation offers tools but
// does not start with a system or developer message to show them in.
base::Result<std::string> RenderPrompt(const Conversation& conversation,
                                       const RenderOptions& options);

}  // namespace fathom::engine
