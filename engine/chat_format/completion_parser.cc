#include "engine/chat_format/completion_parser.h"

#include <utility>

#include "engine/chat_format/dsml_grammar.h"

namespace fathom::engine {
namespace {

using namespace dsml;  // NOLINT: the grammar's token names read best unqualified here

// Follows the reference's parse_message_from_completion_text step by step; each step returns
// false after recording the error.
class WholeTextParser {
 public:
  WholeTextParser(std::string_view text, const ParseOptions& options)
      : text_(text), options_(options) {
    result_.message.role = Role::kAssistant;
  }

  ParsedCompletion Run() && {
    size_t position = 0;
    if (options_.mode == ThinkingMode::kThinking && !ParseReasoning(position)) {
      return std::move(result_);
    }
    ParseContent(position);
    return std::move(result_);
  }

 private:
  bool Fail(DsmlError error) {
    result_.error = std::move(error);
    return false;
  }

  bool ParseReasoning(size_t& position) {
    Marker end = FindEarliest(text_, 0, kReasoningStops);
    size_t limit = end.found() ? end.position : text_.size();
    Marker bad = FindEarliestWithin(text_, 0, limit, kReasoningForbidden);
    if (bad.found()) {
      result_.message.reasoning_content = text_.substr(0, bad.position);
      return Fail(SpecialTokenError(bad.position, bad.token, DsmlSection::kReasoning));
    }
    result_.message.reasoning_content = text_.substr(0, limit);
    if (!end.found()) return Fail(TruncatedError(text_.size(), DsmlSection::kReasoning));
    position = end.end();
    return true;
  }

  bool ParseContent(size_t position) {
    Marker stop = FindEarliest(text_, position, kContentStops);
    size_t limit = stop.found() ? stop.position : text_.size();
    Marker bad = FindEarliestWithin(text_, position, limit, kContentForbidden);
    if (bad.found()) {
      result_.message.content = text_.substr(position, bad.position - position);
      return Fail(SpecialTokenError(bad.position, bad.token, DsmlSection::kContent));
    }
    result_.message.content = text_.substr(position, limit - position);
    if (!stop.found()) return Fail(TruncatedError(text_.size(), DsmlSection::kContent));
    if (stop.token == kEos) return ExpectEnd(stop.end(), DsmlSection::kContent);
    return ParseBlock(stop.end());
  }

  bool ExpectEnd(size_t position, DsmlSection after) {
    if (position != text_.size()) return Fail(TrailingTextError(position, after));
    return true;
  }

  // At `position` the reference requires exactly ">\n" and then `next` or `other_next`, found
  // as `marker`. Text that ends while it still could be that is truncated.
  bool ExpectSeparator(size_t position, const Marker& marker, std::string_view expected,
                       std::string_view other_expected) {
    if (marker.found() && marker.position == position + kSeparator.size() &&
        text_.substr(position).starts_with(kSeparator)) {
      return true;
    }
    std::string_view rest = text_.substr(position);
    if (!marker.found() &&
        (IsProperPrefix(rest, expected) || IsProperPrefix(rest, other_expected))) {
      return Fail(TruncatedError(text_.size(), DsmlSection::kToolCalls));
    }
    return Fail(MalformedBlockError(position, expected.substr(kSeparator.size()),
                                    other_expected.substr(kSeparator.size())));
  }

  // The block after "\n\n<｜DSML｜tool_calls" (the reference's parse_tool_calls).
  bool ParseBlock(size_t position) {
    while (true) {
      Marker next = FindEarliest(text_, position, {kInvokeOpen, kToolCallsEnd});
      if (!ExpectSeparator(position, next, kSeparatorThenInvoke, kSeparatorThenToolCallsEnd)) {
        return false;
      }
      position = next.end();
      if (next.token == kToolCallsEnd) break;
      if (!ParseInvoke(next.position, position)) return false;
    }
    std::string_view rest = text_.substr(position);
    if (rest.empty()) return true;  // the reference accepts a block without the EOS after it
    if (!rest.starts_with(kEos)) return Fail(TrailingTextError(position, DsmlSection::kToolCalls));
    return ExpectEnd(position + kEos.size(), DsmlSection::kContent);
  }

  // One invoke from its "<｜DSML｜invoke" at `start`; `position` is just past that marker and
  // ends just past its "</｜DSML｜invoke".
  bool ParseInvoke(size_t start, size_t& position) {
    size_t index = result_.message.tool_calls.size();
    Marker next = FindEarliest(text_, position, {kParameterOpen, kInvokeClose});
    if (!next.found()) return Fail(TruncatedError(text_.size(), DsmlSection::kToolCalls));
    std::optional<std::string> name =
        MatchInvokeHeader(text_.substr(position, next.position - position));
    if (!name) return Fail(MalformedInvokeError(start, index));
    ToolCall call;
    call.id = options_.tool_call_id_prefix + std::to_string(index);
    call.name = std::move(*name);
    call.arguments = OrderedJson::object();
    while (next.token == kParameterOpen) {
      size_t parameter_start = next.position;
      position = next.end();
      if (!ParseParameter(parameter_start, position, call)) return false;
      next = FindEarliest(text_, position, {kParameterOpen, kInvokeClose});
      if (!ExpectSeparator(position, next, kSeparatorThenParameter, kSeparatorThenInvokeClose)) {
        return false;
      }
    }
    position = next.end();
    // The separator after the invoke starts with '>', which closes the invoke's tag.
    call.sampled_dsml = std::string(text_.substr(start, position - start)) + ">";
    result_.message.tool_calls.push_back(std::move(call));
    return true;
  }

  // One parameter from its "<｜DSML｜parameter" at `start`; `position` is just past that marker
  // and ends just past "/｜DSML｜parameter".
  bool ParseParameter(size_t start, size_t& position, ToolCall& call) {
    size_t close = text_.find(kParameterClose, position);
    bool closed = close != std::string_view::npos;
    std::string_view region = text_.substr(position, closed ? close - position : text_.size());
    if (!region.starts_with(kParameterNamePrefix)) {
      if (!closed && IsProperPrefix(region, kParameterNamePrefix)) {
        return Fail(TruncatedError(text_.size(), DsmlSection::kToolCalls));
      }
      return Fail(MalformedParameterHeaderError(start, call.name));
    }
    Marker header_end =
        FindEarliest(region, kParameterNamePrefix.size(), {kStringTrueEnd, kStringFalseEnd});
    if (!header_end.found()) {
      if (!closed) return Fail(TruncatedError(text_.size(), DsmlSection::kToolCalls));
      return Fail(MalformedParameterHeaderError(start, call.name));
    }
    std::string name(region.substr(kParameterNamePrefix.size(),
                                   header_end.position - kParameterNamePrefix.size()));
    if (call.arguments.contains(name)) return Fail(DuplicateParameterError(start, call.name, name));
    if (!closed) return Fail(TruncatedError(text_.size(), DsmlSection::kToolCalls));
    std::string_view raw = region.substr(header_end.end());
    std::optional<size_t> length = ParameterValueLength(raw);
    if (!length) return Fail(MalformedParameterEndError(start, call.name, name));
    base::Result<OrderedJson> value =
        ParameterValue(raw.substr(0, *length), header_end.token == kStringTrueEnd);
    if (!value.ok()) {
      return Fail(InvalidParameterJsonError(start, call.name, name, value.error().message()));
    }
    call.arguments[name] = std::move(value).value();
    position = close + kParameterClose.size();
    return true;
  }

  std::string_view text_;
  const ParseOptions& options_;
  ParsedCompletion result_;
};

}  // namespace

ParsedCompletion ParseCompletion(std::string_view text, const ParseOptions& options) {
  return WholeTextParser(text, options).Run();
}

}  // namespace fathom::engine
