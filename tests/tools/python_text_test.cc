// The Python str semantics the log parsers port: text-mode lines, str.isspace (ASCII and the
// multibyte UTF-8 spaces), strip() and split().
#include "tools/test_log/python_text.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fathom::tools::internal {
namespace {

std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> lines;
  ForEachLine(text, [&](std::string_view line) { lines.emplace_back(line); });
  return lines;
}

std::vector<std::string> Tokens(std::string_view text) {
  std::vector<std::string> tokens;
  size_t offset = 0;
  for (std::string_view token = NextToken(text, offset); !token.empty();
       token = NextToken(text, offset)) {
    tokens.emplace_back(token);
  }
  return tokens;
}

TEST(PythonTextTest, LinesEndAtNewlineCarriageReturnOrBoth) {
  EXPECT_EQ(Lines("a\nb\r\nc\rd"), (std::vector<std::string>{"a", "b", "c", "d"}));
  EXPECT_EQ(Lines("a\n"), (std::vector<std::string>{"a", ""}));
  EXPECT_EQ(Lines(""), (std::vector<std::string>{""}));
  EXPECT_EQ(Lines("\r\r\n"), (std::vector<std::string>{"", "", ""}));
}

TEST(PythonTextTest, SpacesAreThoseOfStrIsspace) {
  for (std::string_view space : {" ", "\t", "\n", "\v", "\f", "\r", "\x1C", "\x1F", "\xC2\x85",
                                 "\xC2\xA0", "\xE1\x9A\x80", "\xE2\x80\x80", "\xE2\x80\x8A",
                                 "\xE2\x80\xA8", "\xE2\x80\xAF", "\xE2\x81\x9F", "\xE3\x80\x80"}) {
    EXPECT_EQ(SpaceLengthAt(space, 0), space.size()) << testing::PrintToString(space);
    EXPECT_EQ(SpaceLengthBefore(space, space.size()), space.size());
  }
  // Not spaces: a letter, NUL, U+200B ZERO WIDTH SPACE, U+00E9.
  for (std::string_view other : {std::string_view("a"), std::string_view("\0", 1),
                                 std::string_view("\xE2\x80\x8B"), std::string_view("\xC3\xA9")}) {
    EXPECT_EQ(SpaceLengthAt(other, 0), 0u) << testing::PrintToString(other);
    EXPECT_EQ(SpaceLengthBefore(other, other.size()), 0u);
  }
}

TEST(PythonTextTest, StripAndSplitUseTheSameSpaces) {
  EXPECT_EQ(Strip(" \t\xC2\xA0pass  x.py\xE3\x80\x80\r"), "pass  x.py");
  EXPECT_EQ(Strip(" \x1C "), "");
  EXPECT_EQ(Tokens("  PASSED\xE2\x80\x83tests/a.py::t[x y]\x1F"),
            (std::vector<std::string>{"PASSED", "tests/a.py::t[x", "y]"}));
  EXPECT_TRUE(Tokens(" \t ").empty());
}

TEST(PythonTextTest, SkipsRunsOfSpacesAndOfNonSpaces) {
  const std::string_view text = "ab \xC2\xA0 cd";
  EXPECT_EQ(SkipNonSpaces(text, 0), 2u);
  EXPECT_EQ(SkipSpaces(text, 2), 6u);
  EXPECT_EQ(SkipNonSpaces(text, 6), text.size());
}

}  // namespace
}  // namespace fathom::tools::internal
