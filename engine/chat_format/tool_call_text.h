// The prompt text of tools: the "## Tools" section that offers tool schemas, and the DSML block
// of an assistant message's tool calls, both byte-identical to DeepSeek's reference encoder. A
// call that carries the DSML the model sampled is rendered as sampled (exact replay) while that
// text still parses to the call's name and arguments. Pure functions; thread-safe.
#pragma once

#include <span>
#include <string>

#include "base/result.h"
#include "engine/conversation.h"

namespace fathom::engine {

// The reference's render_tools: usage instructions and one JSON line per schema.
std::string RenderToolsSection(std::span<const ToolSchema> tools);

// "\n\n<｜DSML｜tool_calls>\n" + the invokes joined by "\n" + "\n</｜DSML｜tool_calls>". Fails
// when a call's arguments are neither an object nor null.
base::Result<std::string> RenderToolCallBlock(std::span<const ToolCall> calls);

}  // namespace fathom::engine
