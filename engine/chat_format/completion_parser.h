// ParseCompletion: the whole-text parser of one sampled assistant turn, following DeepSeek's
// parse_message_from_completion_text: reasoning to </think> (thinking mode), content to EOS or a
// DSML tool-call block, then the block's calls. It fails wherever the reference fails, and also on
// a block cut short or a string="false" value that is not JSON, which the reference lets through.
// It reports the first problem in the text, as IncrementalParser does. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/chat_format/chat_mode.h"
#include "engine/chat_format/dsml_error.h"
#include "engine/conversation.h"

namespace fathom::engine {

struct ParseOptions {
  // The mode the prompt was rendered in: in thinking mode the completion starts with reasoning.
  ThinkingMode mode = ThinkingMode::kThinking;
  // Tool calls get the ids prefix + "0", prefix + "1", ... in order; give each turn its own prefix
  // when ids must be unique across a conversation.
  std::string tool_call_id_prefix = "call_";
};

struct ParsedCompletion {
  // An assistant message. Its tool calls carry the DSML the model sampled (sampled_dsml). After
  // an error it holds what came before the error: reasoning and content up to it, and the tool
  // calls completed before it.
  Message message;
  std::optional<DsmlError> error;

  bool ok() const { return !error.has_value(); }
};

ParsedCompletion ParseCompletion(std::string_view text, const ParseOptions& options);

}  // namespace fathom::engine
