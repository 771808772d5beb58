#include "engine/chat_format/dsml_error.h"

#include <string>

namespace fathom::engine {
namespace {

// Names longer than this are cut in messages: a runaway completion can make them huge.
constexpr size_t kMaxQuotedName = 80;

std::string Quote(std::string_view name) {
  std::string quoted = "'";
  if (name.size() > kMaxQuotedName) {
    quoted.append(name.substr(0, kMaxQuotedName));
    quoted += "...";
  } else {
    quoted.append(name);
  }
  quoted += "'";
  return quoted;
}

std::string_view SectionName(DsmlSection section) {
  switch (section) {
    case DsmlSection::kReasoning:
      return "the reasoning";
    case DsmlSection::kContent:
      return "the content";
    case DsmlSection::kToolCalls:
      return "the tool-call block";
  }
  return "the completion";
}

constexpr std::string_view kSyntax =
    "; the syntax is \\n\\n<｜DSML｜tool_calls>\\n<｜DSML｜invoke name=\"TOOL\">\\n"
    "<｜DSML｜parameter name=\"NAME\" string=\"true|false\">VALUE</｜DSML｜parameter>\\n"
    "</｜DSML｜invoke>\\n</｜DSML｜tool_calls>";

}  // namespace

std::string_view DsmlErrorCodeName(DsmlErrorCode code) {
  switch (code) {
    case DsmlErrorCode::kUnexpectedSpecialToken:
      return "unexpected_special_token";
    case DsmlErrorCode::kTruncated:
      return "truncated";
    case DsmlErrorCode::kMalformedBlock:
      return "malformed_block";
    case DsmlErrorCode::kMalformedInvoke:
      return "malformed_invoke";
    case DsmlErrorCode::kMalformedParameter:
      return "malformed_parameter";
    case DsmlErrorCode::kDuplicateParameter:
      return "duplicate_parameter";
    case DsmlErrorCode::kInvalidParameterJson:
      return "invalid_parameter_json";
    case DsmlErrorCode::kTrailingText:
      return "trailing_text";
  }
  return "unknown";
}

std::string DsmlError::ToString() const {
  return std::string(DsmlErrorCodeName(code)) + " at byte " + std::to_string(offset) + ": " +
         message;
}

base::Error DsmlError::ToError() const { return base::InvalidArgumentError(ToString()); }

DsmlError SpecialTokenError(size_t offset, std::string_view token, DsmlSection section) {
  std::string message = "unexpected " + Quote(token) + " in " + std::string(SectionName(section));
  if (token.find("DSML") != std::string_view::npos) {
    message += section == DsmlSection::kReasoning
                   ? " (tool calls come after </think>)"
                   : " (a tool-call block starts with \\n\\n<｜DSML｜tool_calls>)";
  }
  return {DsmlErrorCode::kUnexpectedSpecialToken, offset, std::move(message)};
}

DsmlError TruncatedError(size_t offset, DsmlSection section) {
  switch (section) {
    case DsmlSection::kReasoning:
      return {DsmlErrorCode::kTruncated, offset, "the completion ended before </think>"};
    case DsmlSection::kContent:
      return {DsmlErrorCode::kTruncated, offset,
              "the completion ended without the end-of-sentence token"};
    case DsmlSection::kToolCalls:
      break;
  }
  return {DsmlErrorCode::kTruncated, offset,
          "the completion ended inside the tool-call block, before </｜DSML｜tool_calls>"};
}

DsmlError MalformedBlockError(size_t offset, std::string_view next, std::string_view other_next) {
  return {DsmlErrorCode::kMalformedBlock, offset,
          "expected \">\\n\" and then " + std::string(next) + " or " + std::string(other_next) +
              std::string(kSyntax)};
}

DsmlError MalformedInvokeError(size_t offset, size_t call_index) {
  return {DsmlErrorCode::kMalformedInvoke, offset,
          "tool call " + std::to_string(call_index + 1) +
              ": expected <｜DSML｜invoke name=\"TOOL\"> and a newline" + std::string(kSyntax)};
}

DsmlError MalformedParameterHeaderError(size_t offset, std::string_view tool) {
  return {DsmlErrorCode::kMalformedParameter, offset,
          "tool call " + Quote(tool) +
              ": expected <｜DSML｜parameter name=\"NAME\" string=\"true\"> or string=\"false\">" +
              std::string(kSyntax)};
}

DsmlError MalformedParameterEndError(size_t offset, std::string_view tool,
                                     std::string_view parameter) {
  return {DsmlErrorCode::kMalformedParameter, offset,
          "parameter " + Quote(parameter) + " of tool call " + Quote(tool) +
              ": the value must end with </｜DSML｜parameter>" + std::string(kSyntax)};
}

DsmlError DuplicateParameterError(size_t offset, std::string_view tool,
                                  std::string_view parameter) {
  return {DsmlErrorCode::kDuplicateParameter, offset,
          "tool call " + Quote(tool) + " gives parameter " + Quote(parameter) + " twice"};
}

DsmlError InvalidParameterJsonError(size_t offset, std::string_view tool,
                                    std::string_view parameter, std::string_view reason) {
  return {DsmlErrorCode::kInvalidParameterJson, offset,
          "parameter " + Quote(parameter) + " of tool call " + Quote(tool) +
              " is string=\"false\" but its value is not JSON (" + std::string(reason) +
              "); write strings with string=\"true\""};
}

DsmlError TrailingTextError(size_t offset, DsmlSection after) {
  return {DsmlErrorCode::kTrailingText, offset,
          after == DsmlSection::kToolCalls
              ? "unexpected text after </｜DSML｜tool_calls>; the reply must end there"
              : "unexpected text after the end-of-sentence token"};
}

}  // namespace fathom::engine
