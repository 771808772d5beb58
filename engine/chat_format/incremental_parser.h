// IncrementalParser: parses a completion while it is sampled. Feed() takes pieces split anyhow
// (bytes, tokens, all at once; the end-of-sentence token's text included) and returns the events
// they make certain; text that may still become markup (`\n\n<｜DSML｜tool_calls`, `</think>`,
// EOS, ...) is held back, so no delta carries markup. Merged events, message and error do not
// depend on the split and equal ParseCompletion's. Not thread-safe (one stream, one owner).
//
// States, in text order. kReasoning (thinking mode) --</think>--> kContent --EOS--> kAfterEos;
// kContent --\n\n<｜DSML｜tool_calls--> kBlockSeparator --">\n<｜DSML｜invoke"--> kInvokeHeader
// --<｜DSML｜parameter--> kParameterHeader --string="..."> --> kParameterValue
// --/｜DSML｜parameter--> kParameterSeparator, which goes back to kParameterHeader or, after
// ">\n</｜DSML｜invoke", to kBlockSeparator (as does an invoke without parameters);
// kBlockSeparator --">\n</｜DSML｜tool_calls>"--> kAfterBlock --EOS--> kAfterEos. Any state can
// go to kFailed; Finish() ends in kFailed or kDone.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/chat_format/completion_events.h"
#include "engine/chat_format/completion_parser.h"

namespace fathom::engine {

class IncrementalParser {
 public:
  explicit IncrementalParser(ParseOptions options);

  // Consumes the next piece of the completion. Returns the events it made certain. After
  // ParseFailed or Finish() further pieces are ignored.
  std::vector<CompletionEvent> Feed(std::string_view piece);

  // Declares the completion complete: releases held-back text and returns the last events,
  // ending with Done or ParseFailed.
  std::vector<CompletionEvent> Finish();

  // The message built from the events so far (ParseCompletion's message once finished).
  const Message& message() const { return message_; }
  const std::optional<DsmlError>& error() const { return error_; }

 private:
  enum class State {
    kReasoning,
    kContent,
    kAfterEos,
    kBlockSeparator,
    kInvokeHeader,
    kParameterHeader,
    kParameterValue,
    kParameterSeparator,
    kAfterBlock,
    kFailed,
    kDone,
  };

  // Runs the state machine over the pending text until it needs more; `at_end` says no more
  // will come, so every state must finish or fail.
  void Run(bool at_end);
  // One step of the current state; false when it needs more text.
  bool Step(bool at_end);
  bool StepText(bool at_end);
  bool StepSeparator(bool at_end);
  bool StepInvokeHeader(bool at_end);
  bool StepParameterHeader(bool at_end);
  bool StepParameterValue(bool at_end);
  bool StepAfterBlock(bool at_end);

  bool Fail(DsmlError error);
  // Drops the first `count` pending bytes, keeping them for sampled_dsml inside an invoke.
  void Consume(size_t count);
  // Emits the first `count` pending bytes as reasoning or content and consumes them.
  void EmitText(size_t count);
  // Emits the first `count` pending bytes as the current parameter's value and consumes them.
  void EmitArgument(size_t count);
  void StartInvoke();
  void FinishInvoke();
  // The offset in the completion of the first pending byte.
  size_t Offset() const { return consumed_; }

  ParseOptions options_;
  State state_;
  std::string pending_;  // received, not yet consumed
  size_t consumed_ = 0;  // bytes consumed before pending_
  size_t scanned_ = 0;   // pending_ bytes known to hold no marker start (search hint)
  std::vector<CompletionEvent> events_;
  Message message_;
  std::optional<DsmlError> error_;

  // The tool call being parsed and the DSML consumed for it.
  ToolCall call_;
  bool in_invoke_ = false;
  size_t invoke_start_ = 0;
  // The parameter being parsed.
  size_t parameter_start_ = 0;
  std::string parameter_;
  bool parameter_is_string_ = true;
  std::string value_;
};

}  // namespace fathom::engine
