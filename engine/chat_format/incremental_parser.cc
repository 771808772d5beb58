#include "engine/chat_format/incremental_parser.h"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <span>
#include <utility>

#include "engine/chat_format/dsml_grammar.h"

namespace fathom::engine {
namespace {

using namespace dsml;  // NOLINT: the grammar's token names read best unqualified here

// What may follow a parameter's value: "<" or "<\n" and then /｜DSML｜parameter.
constexpr std::array<std::string_view, 3> kValueEnds = {"</｜DSML｜parameter",
                                                        "<\n/｜DSML｜parameter", kParameterClose};

// The start of the earliest suffix of `text` that is a proper prefix of one of `tokens` (text
// that the next piece may complete into the token), or text.size().
size_t EarliestPartial(std::string_view text, std::span<const std::string_view> tokens) {
  size_t earliest = text.size();
  for (std::string_view token : tokens) {
    size_t first = text.size() >= token.size() ? text.size() - token.size() + 1 : 0;
    for (size_t start = first; start < earliest; ++start) {
      if (token.starts_with(text.substr(start))) {
        earliest = start;
        break;
      }
    }
  }
  return earliest;
}

// Where the next search for `tokens` may start in `text`, which holds none of them: no earlier
// position can begin one once more text arrives.
size_t ResumePosition(std::string_view text, std::initializer_list<std::string_view> tokens) {
  size_t longest = 0;
  for (std::string_view token : tokens) longest = std::max(longest, token.size());
  return text.size() >= longest ? text.size() - longest + 1 : 0;
}

}  // namespace

IncrementalParser::IncrementalParser(ParseOptions options)
    : options_(std::move(options)),
      state_(options_.mode == ThinkingMode::kThinking ? State::kReasoning : State::kContent) {
  message_.role = Role::kAssistant;
}

std::vector<CompletionEvent> IncrementalParser::Feed(std::string_view piece) {
  if (state_ == State::kFailed || state_ == State::kDone) return {};
  pending_.append(piece);
  Run(/*at_end=*/false);
  return std::exchange(events_, {});
}

std::vector<CompletionEvent> IncrementalParser::Finish() {
  if (state_ == State::kFailed || state_ == State::kDone) return {};
  Run(/*at_end=*/true);
  if (state_ == State::kDone) events_.push_back(Done{});
  return std::exchange(events_, {});
}

void IncrementalParser::Run(bool at_end) {
  while (state_ != State::kFailed && state_ != State::kDone && Step(at_end)) {
  }
}

bool IncrementalParser::Step(bool at_end) {
  switch (state_) {
    case State::kReasoning:
    case State::kContent:
      return StepText(at_end);
    case State::kAfterEos:
      if (!pending_.empty()) return Fail(TrailingTextError(Offset(), DsmlSection::kContent));
      if (!at_end) return false;
      state_ = State::kDone;
      return true;
    case State::kBlockSeparator:
    case State::kParameterSeparator:
      return StepSeparator(at_end);
    case State::kInvokeHeader:
      return StepInvokeHeader(at_end);
    case State::kParameterHeader:
      return StepParameterHeader(at_end);
    case State::kParameterValue:
      return StepParameterValue(at_end);
    case State::kAfterBlock:
      return StepAfterBlock(at_end);
    case State::kFailed:
    case State::kDone:
      break;
  }
  return false;
}

// Reasoning or content: text up to the first stop token, which must hold no forbidden token.
// Text that a later piece could turn into a stop or a forbidden token is held back.
bool IncrementalParser::StepText(bool at_end) {
  bool reasoning = state_ == State::kReasoning;
  std::span<const std::string_view> stops = kContentStops;
  std::span<const std::string_view> forbidden = kContentForbidden;
  DsmlSection section = DsmlSection::kContent;
  if (reasoning) {
    stops = kReasoningStops;
    forbidden = kReasoningForbidden;
    section = DsmlSection::kReasoning;
  }
  std::string_view text = pending_;
  Marker stop = FindEarliest(text, 0, stops);
  // No stop can begin before `limit`, so a forbidden token wholly before it is in the text.
  size_t limit = std::min(stop.found() ? stop.position : text.size(),
                          at_end ? text.size() : EarliestPartial(text, stops));
  Marker bad = FindEarliestWithin(text, 0, limit, forbidden);
  if (bad.found()) {
    EmitText(bad.position);
    return Fail(SpecialTokenError(Offset(), bad.token, section));
  }
  if (stop.found() && stop.position == limit) {
    EmitText(stop.position);
    Consume(stop.token.size());
    if (reasoning) {
      state_ = State::kContent;
    } else {
      state_ = stop.token == kEos ? State::kAfterEos : State::kBlockSeparator;
    }
    return true;
  }
  if (at_end) {
    EmitText(text.size());
    return Fail(TruncatedError(Offset(), section));
  }
  size_t certain = std::min(limit, EarliestPartial(text, forbidden));
  if (certain == 0) return false;
  EmitText(certain);
  return true;
}

// Exactly ">\n" and then one of two markers.
bool IncrementalParser::StepSeparator(bool at_end) {
  bool block = state_ == State::kBlockSeparator;
  std::string_view expected = block ? kSeparatorThenInvoke : kSeparatorThenParameter;
  std::string_view other = block ? kSeparatorThenToolCallsEnd : kSeparatorThenInvokeClose;
  if (pending_.starts_with(expected)) {
    Consume(kSeparator.size());
    if (block) {
      StartInvoke();
      Consume(kInvokeOpen.size());
      state_ = State::kInvokeHeader;
    } else {
      parameter_start_ = Offset();
      Consume(kParameterOpen.size());
      state_ = State::kParameterHeader;
    }
    return true;
  }
  if (pending_.starts_with(other)) {
    Consume(other.size());
    if (block) {
      state_ = State::kAfterBlock;
    } else {
      FinishInvoke();
      state_ = State::kBlockSeparator;
    }
    return true;
  }
  if (IsProperPrefix(pending_, expected) || IsProperPrefix(pending_, other)) {
    if (!at_end) return false;
    return Fail(TruncatedError(Offset() + pending_.size(), DsmlSection::kToolCalls));
  }
  return Fail(MalformedBlockError(Offset(), expected.substr(kSeparator.size()),
                                  other.substr(kSeparator.size())));
}

// ` name="TOOL">\n` up to the first parameter or the end of the invoke.
bool IncrementalParser::StepInvokeHeader(bool at_end) {
  Marker end = FindEarliest(pending_, scanned_, {kParameterOpen, kInvokeClose});
  if (!end.found()) {
    if (at_end) return Fail(TruncatedError(Offset() + pending_.size(), DsmlSection::kToolCalls));
    scanned_ = ResumePosition(pending_, {kParameterOpen, kInvokeClose});
    return false;
  }
  size_t index = message_.tool_calls.size();
  std::optional<std::string> name =
      MatchInvokeHeader(std::string_view(pending_).substr(0, end.position));
  if (!name) return Fail(MalformedInvokeError(invoke_start_, index));
  call_.id = options_.tool_call_id_prefix + std::to_string(index);
  call_.name = std::move(*name);
  call_.arguments = OrderedJson::object();
  events_.push_back(ToolCallStarted{index, call_.id, call_.name});
  Consume(end.position);
  if (end.token == kParameterOpen) {
    parameter_start_ = Offset();
    Consume(kParameterOpen.size());
    state_ = State::kParameterHeader;
  } else {
    Consume(kInvokeClose.size());
    FinishInvoke();
    state_ = State::kBlockSeparator;
  }
  return true;
}

// ` name="NAME" string="true">` or `... string="false">`.
bool IncrementalParser::StepParameterHeader(bool at_end) {
  std::string_view text = pending_;
  if (!text.starts_with(kParameterNamePrefix)) {
    if (!IsProperPrefix(text, kParameterNamePrefix)) {
      return Fail(MalformedParameterHeaderError(parameter_start_, call_.name));
    }
    if (!at_end) return false;
    return Fail(TruncatedError(Offset() + text.size(), DsmlSection::kToolCalls));
  }
  Marker end = FindEarliest(text, std::max(scanned_, kParameterNamePrefix.size()),
                            {kStringTrueEnd, kStringFalseEnd, kParameterClose});
  if (!end.found()) {
    if (at_end) return Fail(TruncatedError(Offset() + text.size(), DsmlSection::kToolCalls));
    scanned_ = ResumePosition(text, {kStringTrueEnd, kStringFalseEnd, kParameterClose});
    return false;
  }
  if (end.token == kParameterClose) {
    return Fail(MalformedParameterHeaderError(parameter_start_, call_.name));
  }
  std::string name(
      text.substr(kParameterNamePrefix.size(), end.position - kParameterNamePrefix.size()));
  if (call_.arguments.contains(name)) {
    return Fail(DuplicateParameterError(parameter_start_, call_.name, name));
  }
  parameter_ = std::move(name);
  parameter_is_string_ = end.token == kStringTrueEnd;
  value_.clear();
  Consume(end.end());
  state_ = State::kParameterValue;
  return true;
}

// The value up to /｜DSML｜parameter, streamed as argument deltas; its closing "<" (or "<\n") is
// held back until the close decides.
bool IncrementalParser::StepParameterValue(bool at_end) {
  size_t close = pending_.find(kParameterClose, scanned_);
  if (close == std::string::npos) {
    if (at_end) {
      EmitArgument(pending_.size());
      return Fail(TruncatedError(Offset(), DsmlSection::kToolCalls));
    }
    size_t certain = EarliestPartial(pending_, kValueEnds);
    scanned_ = ResumePosition(pending_, {kParameterClose});
    if (certain == 0) return false;
    EmitArgument(certain);
    return true;
  }
  std::optional<size_t> length = ParameterValueLength(std::string_view(pending_).substr(0, close));
  if (!length) {
    EmitArgument(close);
    return Fail(MalformedParameterEndError(parameter_start_, call_.name, parameter_));
  }
  EmitArgument(*length);
  base::Result<OrderedJson> value = ParameterValue(value_, parameter_is_string_);
  if (!value.ok()) {
    return Fail(InvalidParameterJsonError(parameter_start_, call_.name, parameter_,
                                          value.error().message()));
  }
  call_.arguments[parameter_] = std::move(value).value();
  Consume(close - *length + kParameterClose.size());
  state_ = State::kParameterSeparator;
  return true;
}

// Nothing, or the end-of-sentence token, after </｜DSML｜tool_calls>.
bool IncrementalParser::StepAfterBlock(bool at_end) {
  if (pending_.starts_with(kEos)) {
    Consume(kEos.size());
    state_ = State::kAfterEos;
    return true;
  }
  if (pending_.empty() || IsProperPrefix(pending_, kEos)) {
    if (!at_end) return false;
    if (pending_.empty()) {
      state_ = State::kDone;
      return true;
    }
  }
  return Fail(TrailingTextError(Offset(), DsmlSection::kToolCalls));
}

bool IncrementalParser::Fail(DsmlError error) {
  events_.push_back(ParseFailed{error});
  error_ = std::move(error);
  state_ = State::kFailed;
  return true;
}

void IncrementalParser::Consume(size_t count) {
  if (in_invoke_) call_.sampled_dsml.append(pending_, 0, count);
  pending_.erase(0, count);
  consumed_ += count;
  scanned_ = 0;
}

void IncrementalParser::EmitText(size_t count) {
  if (count == 0) return;
  std::string text = pending_.substr(0, count);
  if (state_ == State::kReasoning) {
    message_.reasoning_content += text;
    events_.push_back(ReasoningDelta{std::move(text)});
  } else {
    message_.content += text;
    events_.push_back(ContentDelta{std::move(text)});
  }
  Consume(count);
}

void IncrementalParser::EmitArgument(size_t count) {
  if (count == 0) return;
  std::string text = pending_.substr(0, count);
  value_ += text;
  events_.push_back(
      ArgumentDelta{message_.tool_calls.size(), parameter_, parameter_is_string_, std::move(text)});
  Consume(count);
}

void IncrementalParser::StartInvoke() {
  call_ = ToolCall();
  in_invoke_ = true;
  invoke_start_ = Offset();
}

void IncrementalParser::FinishInvoke() {
  // The separator after the invoke starts with '>', which closes the invoke's tag.
  call_.sampled_dsml += '>';
  in_invoke_ = false;
  size_t index = message_.tool_calls.size();
  message_.tool_calls.push_back(call_);
  events_.push_back(ToolCallFinished{index, std::move(call_)});
}

}  // namespace fathom::engine
