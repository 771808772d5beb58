#include "engine/chat_format/dsml_grammar.h"

#include "engine/chat_format/python_json.h"

namespace fathom::engine::dsml {
namespace {

// The UTF-8 encodings of the characters Python's `\s` matches in a str pattern besides ASCII
// whitespace: U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000.
constexpr std::array<std::string_view, 19> kUnicodeSpaces = {
    "\xC2\x85", "\xC2\xA0", "\u1680", "\u2000", "\u2001", "\u2002", "\u2003",
    "\u2004",   "\u2005",   "\u2006", "\u2007", "\u2008", "\u2009", "\u200A",
    "\u2028",   "\u2029",   "\u202F", "\u205F", "\u3000"};

// The length of the whitespace character at the start of `text`, or 0.
size_t PythonSpaceLength(std::string_view text) {
  if (text.empty()) return 0;
  auto first = static_cast<unsigned char>(text[0]);
  // \t \n \v \f \r, the information separators 0x1C-0x1F, and the space.
  if ((first >= 0x09 && first <= 0x0D) || (first >= 0x1C && first <= 0x20)) return 1;
  for (std::string_view space : kUnicodeSpaces) {
    if (text.starts_with(space)) return space.size();
  }
  return 0;
}

}  // namespace

Marker FindEarliest(std::string_view text, size_t from, std::span<const std::string_view> tokens) {
  Marker earliest;
  for (std::string_view token : tokens) {
    size_t position = text.find(token, from);
    if (position < earliest.position) earliest = {position, token};
  }
  return earliest;
}

Marker FindEarliestWithin(std::string_view text, size_t begin, size_t end,
                          std::span<const std::string_view> tokens) {
  return FindEarliest(text.substr(0, end), begin, tokens);
}

std::optional<std::string> MatchInvokeHeader(std::string_view header) {
  while (size_t length = PythonSpaceLength(header)) header.remove_prefix(length);
  constexpr std::string_view kNamePrefix = "name=\"";
  if (!header.starts_with(kNamePrefix)) return std::nullopt;
  header.remove_prefix(kNamePrefix.size());
  // The lazy name ends at the first `">\n` that is followed by the end or by a final newline.
  if (header.ends_with("\">\n\n")) return std::string(header.substr(0, header.size() - 4));
  if (header.ends_with("\">\n")) return std::string(header.substr(0, header.size() - 3));
  return std::nullopt;
}

std::optional<size_t> ParameterValueLength(std::string_view raw) {
  if (raw.ends_with('<')) return raw.size() - 1;
  if (raw.ends_with("<\n")) return raw.size() - 2;
  return std::nullopt;
}

base::Result<OrderedJson> ParameterValue(std::string_view value, bool is_string) {
  if (is_string) return OrderedJson(std::string(value));
  return ParseOrderedJson(value);
}

}  // namespace fathom::engine::dsml
