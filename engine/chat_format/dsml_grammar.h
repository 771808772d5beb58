// The pieces of DeepSeek's completion grammar that both completion parsers share: which special
// tokens may not appear in reasoning or content, the regular expressions the reference applies
// to an invoke's header and to a parameter (re-implemented exactly, Python's `\s` and `$`
// included), and the conversion of parameter values to JSON. Pure functions; thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "base/result.h"
#include "engine/chat_format/dsml_tokens.h"
#include "engine/conversation.h"

namespace fathom::engine::dsml {

// What ends the reasoning and the content.
inline constexpr std::array<std::string_view, 1> kReasoningStops = {kThinkEnd};
inline constexpr std::array<std::string_view, 2> kContentStops = {kEos, kToolCallsStart};

// Special tokens the reference rejects in the reasoning (before </think>) and in the content.
inline constexpr std::array<std::string_view, 4> kReasoningForbidden = {kBos, kEos, kThinkStart,
                                                                        kDsml};
inline constexpr std::array<std::string_view, 4> kContentForbidden = {kBos, kThinkStart, kThinkEnd,
                                                                      kDsml};

// What follows the elements of a block: the separator and then one of two markers.
inline constexpr std::string_view kSeparatorThenInvoke = ">\n<｜DSML｜invoke";
inline constexpr std::string_view kSeparatorThenToolCallsEnd = ">\n</｜DSML｜tool_calls>";
inline constexpr std::string_view kSeparatorThenParameter = ">\n<｜DSML｜parameter";
inline constexpr std::string_view kSeparatorThenInvokeClose = ">\n</｜DSML｜invoke";

// A parameter's header: ` name="NAME" string="true">` or `... string="false">`.
inline constexpr std::string_view kParameterNamePrefix = " name=\"";
inline constexpr std::string_view kStringTrueEnd = "\" string=\"true\">";
inline constexpr std::string_view kStringFalseEnd = "\" string=\"false\">";

// An occurrence of one of several tokens in a text.
struct Marker {
  size_t position = std::string_view::npos;
  std::string_view token;

  bool found() const { return position != std::string_view::npos; }
  size_t end() const { return position + token.size(); }
};

// The earliest occurrence at or after `from` of any of `tokens` (the reference's
// _read_until_stop).
Marker FindEarliest(std::string_view text, size_t from, std::span<const std::string_view> tokens);
inline Marker FindEarliest(std::string_view text, size_t from,
                           std::initializer_list<std::string_view> tokens) {
  return FindEarliest(text, from, std::span<const std::string_view>(tokens.begin(), tokens.size()));
}

// The earliest occurrence of any of `tokens` lying wholly inside text[begin, end).
Marker FindEarliestWithin(std::string_view text, size_t begin, size_t end,
                          std::span<const std::string_view> tokens);

// The header of an invoke, the text between <｜DSML｜invoke and the first <｜DSML｜parameter or
// </｜DSML｜invoke: the reference's ^\s*name="(.*?)">\n$ (DOTALL), whose `$` also matches before
// a final newline. Returns the tool name, or nullopt when `header` does not match.
std::optional<std::string> MatchInvokeHeader(std::string_view header);

// The length of a parameter's value given `raw`, the text from the end of its header to
// /｜DSML｜parameter: `raw` must end in "<" or, as the reference's `<$` allows, "<\n".
std::optional<size_t> ParameterValueLength(std::string_view raw);

// The argument value of a parameter: the raw text as a JSON string when `is_string`, else the
// text parsed as JSON.
base::Result<OrderedJson> ParameterValue(std::string_view value, bool is_string);

// Whether `text` is a proper prefix of `token` (shorter, and equal as far as it goes).
inline bool IsProperPrefix(std::string_view text, std::string_view token) {
  return text.size() < token.size() && token.starts_with(text);
}

}  // namespace fathom::engine::dsml
