// Python's whitespace set (str.isspace, re's \s for str patterns) recognised in UTF-8.
#include "tools/test_log/python_text.h"

#include <array>

namespace fathom::tools::internal {

namespace {

// The UTF-8 encodings of the non-ASCII characters for which Python's str.isspace() is true:
// U+0085, U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F and U+3000.
constexpr std::array<std::string_view, 19> kWideSpaces = {
    "\xC2\x85",     "\xC2\xA0",     "\xE1\x9A\x80", "\xE2\x80\x80", "\xE2\x80\x81",
    "\xE2\x80\x82", "\xE2\x80\x83", "\xE2\x80\x84", "\xE2\x80\x85", "\xE2\x80\x86",
    "\xE2\x80\x87", "\xE2\x80\x88", "\xE2\x80\x89", "\xE2\x80\x8A", "\xE2\x80\xA8",
    "\xE2\x80\xA9", "\xE2\x80\xAF", "\xE2\x81\x9F", "\xE3\x80\x80"};

// "\t\n\v\f\r", the information separators 0x1C..0x1F and the space.
bool IsAsciiSpace(char c) { return (c >= '\t' && c <= '\r') || (c >= '\x1C' && c <= ' '); }

}  // namespace

size_t SpaceLengthAt(std::string_view text, size_t offset) {
  if (offset >= text.size()) return 0;
  if (IsAsciiSpace(text[offset])) return 1;
  if (static_cast<unsigned char>(text[offset]) < 0x80) return 0;
  const std::string_view rest = text.substr(offset);
  for (std::string_view space : kWideSpaces) {
    if (rest.starts_with(space)) return space.size();
  }
  return 0;
}

size_t SpaceLengthBefore(std::string_view text, size_t end) {
  if (end == 0 || end > text.size()) return 0;
  if (IsAsciiSpace(text[end - 1])) return 1;
  if (static_cast<unsigned char>(text[end - 1]) < 0x80) return 0;
  const std::string_view head = text.substr(0, end);
  for (std::string_view space : kWideSpaces) {
    if (head.ends_with(space)) return space.size();
  }
  return 0;
}

size_t SkipSpaces(std::string_view text, size_t offset) {
  while (size_t length = SpaceLengthAt(text, offset)) offset += length;
  return offset;
}

size_t SkipNonSpaces(std::string_view text, size_t offset) {
  while (offset < text.size() && SpaceLengthAt(text, offset) == 0) ++offset;
  return offset;
}

std::string_view Strip(std::string_view text) {
  const size_t begin = SkipSpaces(text, 0);
  size_t end = text.size();
  while (end > begin) {
    const size_t length = SpaceLengthBefore(text, end);
    if (length == 0) break;
    end -= length;
  }
  return text.substr(begin, end - begin);
}

std::string_view NextToken(std::string_view text, size_t& offset) {
  const size_t begin = SkipSpaces(text, offset);
  offset = SkipNonSpaces(text, begin);
  return text.substr(begin, offset - begin);
}

}  // namespace fathom::tools::internal
