// DsmlError: why a completion is not a well-formed DeepSeek-V4 reply and where. The message is
// written for the model as much as for people, so an agent can hand it back and ask for a fixed
// tool call. Both completion parsers build errors only with the constructors below, so their
// errors are identical. Value type; thread-compatible.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/error.h"

namespace fathom::engine {

enum class DsmlErrorCode {
  kUnexpectedSpecialToken,  // a special token or DSML marker inside the reasoning or the content
  kTruncated,               // the text ended before the reply did
  kMalformedBlock,          // a tool-call block's elements are not separated by exactly ">\n"
  kMalformedInvoke,         // an invoke does not start with ` name="TOOL">` and a newline
  kMalformedParameter,      // a parameter's header or end is not in DSML syntax
  kDuplicateParameter,      // a tool call names the same parameter twice
  kInvalidParameterJson,    // a string="false" value is not JSON
  kTrailingText,            // text after the end-of-sentence token or after the tool-call block
};

// "malformed_parameter" and so on.
std::string_view DsmlErrorCodeName(DsmlErrorCode code);

struct DsmlError {
  DsmlErrorCode code = DsmlErrorCode::kTruncated;
  size_t offset = 0;  // byte offset in the completion where the offending element starts
  std::string message;

  // "malformed_parameter at byte 120: ...".
  std::string ToString() const;
  // kInvalidArgument carrying ToString().
  base::Error ToError() const;

  friend bool operator==(const DsmlError&, const DsmlError&) = default;
};

// Where a completion can end too early.
enum class DsmlSection { kReasoning, kContent, kToolCalls };

DsmlError SpecialTokenError(size_t offset, std::string_view token, DsmlSection section);
DsmlError TruncatedError(size_t offset, DsmlSection section);
// `next` and `other_next` are the markers that may follow the separator.
DsmlError MalformedBlockError(size_t offset, std::string_view next, std::string_view other_next);
DsmlError MalformedInvokeError(size_t offset, size_t call_index);
DsmlError MalformedParameterHeaderError(size_t offset, std::string_view tool);
DsmlError MalformedParameterEndError(size_t offset, std::string_view tool,
                                     std::string_view parameter);
DsmlError DuplicateParameterError(size_t offset, std::string_view tool, std::string_view parameter);
DsmlError InvalidParameterJsonError(size_t offset, std::string_view tool,
                                    std::string_view parameter, std::string_view reason);
DsmlError TrailingTextError(size_t offset, DsmlSection after);

}  // namespace fathom::engine
