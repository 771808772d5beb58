// The pieces of Python's str semantics the official parsers rely on, on UTF-8 text: the lines of
// a log read in text mode and split("\n"), str.isspace (which is also what `\s` matches in `re`),
// strip() and split(). Pure functions on caller-owned text; thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

namespace fathom::tools::internal {

// Calls visit(line) for each element of Python's `text.split("\n")` after a text-mode read:
// "\r\n" and a lone "\r" end a line too, and a trailing newline yields a last, empty line.
template <typename Visit>
void ForEachLine(std::string_view text, Visit&& visit) {
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n' && text[i] != '\r') continue;
    visit(text.substr(start, i - start));
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    start = i + 1;
  }
  visit(text.substr(start));
}

// The byte length of the whitespace character (str.isspace) that starts at `offset`, 0 when the
// character there is not whitespace or `offset` is at the end.
size_t SpaceLengthAt(std::string_view text, size_t offset);

// The byte length of the whitespace character that ends just before `end`, or 0.
size_t SpaceLengthBefore(std::string_view text, size_t end);

// `offset` moved past any whitespace characters.
size_t SkipSpaces(std::string_view text, size_t offset);

// `offset` moved up to the next whitespace character or the end.
size_t SkipNonSpaces(std::string_view text, size_t offset);

// str.strip(): `text` without leading and trailing whitespace.
std::string_view Strip(std::string_view text);

// The next element of str.split() at or after `offset` (empty when there is none); `offset`
// moves past it.
std::string_view NextToken(std::string_view text, size_t& offset);

}  // namespace fathom::tools::internal
