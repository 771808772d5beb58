// The events IncrementalParser emits while a completion is sampled. Deltas carry text in the
// order it was sampled; how text is cut into deltas depends on how it arrived, so two streams are
// equal when their merged deltas and their other events are (see MergeDeltas). Value types.
#pragma once

#include <cstddef>
#include <string>
#include <variant>
#include <vector>

#include "engine/chat_format/dsml_error.h"
#include "engine/conversation.h"

namespace fathom::engine {

struct ReasoningDelta {
  std::string text;
  friend bool operator==(const ReasoningDelta&, const ReasoningDelta&) = default;
};

struct ContentDelta {
  std::string text;
  friend bool operator==(const ContentDelta&, const ContentDelta&) = default;
};

// A tool call's name is complete; its arguments follow.
struct ToolCallStarted {
  size_t index = 0;  // position among the completion's tool calls
  std::string id;
  std::string name;
  friend bool operator==(const ToolCallStarted&, const ToolCallStarted&) = default;
};

// More of one parameter's value, as sampled: raw text for string="true", JSON text otherwise.
struct ArgumentDelta {
  size_t index = 0;
  std::string parameter;
  bool is_string = true;
  std::string text;
  friend bool operator==(const ArgumentDelta&, const ArgumentDelta&) = default;
};

// A tool call is complete: its arguments are parsed, and sampled_dsml holds its text.
struct ToolCallFinished {
  size_t index = 0;
  ToolCall call;
  friend bool operator==(const ToolCallFinished&, const ToolCallFinished&) = default;
};

// The completion is malformed; nothing follows this event.
struct ParseFailed {
  DsmlError error;
  friend bool operator==(const ParseFailed&, const ParseFailed&) = default;
};

// The completion ended well-formed; nothing follows this event.
struct Done {
  friend bool operator==(const Done&, const Done&) = default;
};

using CompletionEvent = std::variant<ReasoningDelta, ContentDelta, ToolCallStarted, ArgumentDelta,
                                     ToolCallFinished, ParseFailed, Done>;

// `events` with each run of adjacent deltas of the same kind (and, for arguments, the same call
// and parameter) joined into one, and empty deltas dropped: the form in which streams that
// received the same text in different pieces compare equal.
std::vector<CompletionEvent> MergeDeltas(const std::vector<CompletionEvent>& events);

}  // namespace fathom::engine
