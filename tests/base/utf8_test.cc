#include "base/utf8.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fathom::base {
namespace {

const std::string kReplacement = "\xEF\xBF\xBD";

TEST(Utf8Test, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("κόσμε"));  // Kuhn 1: Greek
  EXPECT_TRUE(IsValidUtf8(std::string_view("\0", 1)));
  EXPECT_TRUE(IsValidUtf8("\xC2\x80"));                  // first 2-byte
  EXPECT_TRUE(IsValidUtf8("\xE0\xA0\x80"));              // first 3-byte
  EXPECT_TRUE(IsValidUtf8("\xF0\x90\x80\x80"));          // first 4-byte
  EXPECT_TRUE(IsValidUtf8("\x7F\xDF\xBF\xEF\xBF\xBF"));  // last 1, 2, 3-byte
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));          // U+10FFFF
  EXPECT_TRUE(IsValidUtf8("\xED\x9F\xBF\xEE\x80\x80"));  // around the surrogates
  EXPECT_TRUE(IsValidUtf8("\xEF\xBF\xBE"));              // U+FFFE is a noncharacter, not invalid
}

TEST(Utf8Test, RejectsKuhnStressCases) {
  const std::vector<std::string> invalid = {
      "\x80",
      "\xBF",
      "\x80\xBF\x80",  // 3.1 unexpected continuation bytes
      "\xC0 ",
      "\xE0 ",
      "\xF0 ",
      "\xF8 ",  // 3.2 lonely start characters
      "\xC2",
      "\xE0\xA0",
      "\xF0\x90\x80",  // 3.3 sequences missing their last byte
      "\xFE",
      "\xFF",
      "\xFE\xFE\xFF\xFF",  // 3.5 impossible bytes
      "\xC0\xAF",
      "\xE0\x80\xAF",
      "\xF0\x80\x80\xAF",  // 4.1 overlong '/'
      "\xC1\xBF",
      "\xE0\x9F\xBF",
      "\xF0\x8F\xBF\xBF",  // 4.2 maximum overlongs
      "\xC0\x80",
      "\xE0\x80\x80",  // 4.3 overlong NUL
      "\xED\xA0\x80",
      "\xED\xBF\xBF",              // 5.1 single surrogates
      "\xED\xA0\x80\xED\xB0\x80",  // 5.2 paired surrogates
      "\xF4\x90\x80\x80",
      "\xF7\xBF\xBF\xBF",  // above U+10FFFF
      "\xF8\x88\x80\x80\x80",
      "\xFC\x84\x80\x80\x80\x80",  // 5- and 6-byte forms
      "a\xE2\x82",                 // truncated at end
      "\xE2\x28\xA1",              // bad second byte
  };
  for (const std::string& text : invalid) {
    EXPECT_FALSE(IsValidUtf8(text)) << ::testing::PrintToString(text);
  }
}

TEST(Utf8Test, DecodesAndAdvances) {
  std::string text = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";  // a é € 😀
  size_t offset = 0;
  EXPECT_EQ(DecodeUtf8(text, offset), U'a');
  EXPECT_EQ(offset, 1u);
  EXPECT_EQ(DecodeUtf8(text, offset), U'\u00E9');
  EXPECT_EQ(offset, 3u);
  EXPECT_EQ(DecodeUtf8(text, offset), U'\u20AC');
  EXPECT_EQ(offset, 6u);
  EXPECT_EQ(DecodeUtf8(text, offset), U'\U0001F600');
  EXPECT_EQ(offset, 10u);
  EXPECT_EQ(DecodeUtf8(text, offset), std::nullopt);
  EXPECT_EQ(offset, 10u);
}

TEST(Utf8Test, DecodeSkipsOneByteOnInvalidInput) {
  std::string text = "\xC0\xAFx\xE2\x82";
  size_t offset = 0;
  EXPECT_EQ(DecodeUtf8(text, offset), std::nullopt);
  EXPECT_EQ(offset, 1u);
  EXPECT_EQ(DecodeUtf8(text, offset), std::nullopt);
  EXPECT_EQ(offset, 2u);
  EXPECT_EQ(DecodeUtf8(text, offset), U'x');
  EXPECT_EQ(DecodeUtf8(text, offset), std::nullopt);  // truncated
  EXPECT_EQ(offset, 4u);
}

TEST(Utf8Test, AppendRoundTripsThroughDecode) {
  for (char32_t codepoint : {U'\0', U'A', U'\u007F', U'\u0080', U'\u07FF', U'\u0800', U'\uD7FF',
                             U'\uE000', U'\uFFFF', U'\U00010000', U'\U0010FFFF'}) {
    std::string encoded;
    AppendUtf8(encoded, codepoint);
    EXPECT_TRUE(IsValidUtf8(encoded));
    size_t offset = 0;
    EXPECT_EQ(DecodeUtf8(encoded, offset), codepoint);
    EXPECT_EQ(offset, encoded.size());
  }
  std::string euro;
  AppendUtf8(euro, U'\u20AC');
  EXPECT_EQ(euro, "\xE2\x82\xAC");
}

TEST(Utf8Test, AppendReplacesUnencodableValues) {
  std::string out;
  AppendUtf8(out, 0xD800);
  AppendUtf8(out, 0x110000);
  EXPECT_EQ(out, kReplacement + kReplacement);
}

TEST(Utf8Test, SanitizeReplacesEachInvalidByte) {
  EXPECT_EQ(SanitizeUtf8("fine é"), "fine é");
  EXPECT_EQ(SanitizeUtf8("a\xFF"
                         "b"),
            "a" + kReplacement + "b");
  EXPECT_EQ(SanitizeUtf8("\xC0\xAF"), kReplacement + kReplacement);
  EXPECT_EQ(SanitizeUtf8("\xED\xA0\x80z"), kReplacement + kReplacement + kReplacement + "z");
  EXPECT_EQ(SanitizeUtf8("x\xE2\x82"), "x" + kReplacement + kReplacement);
  EXPECT_EQ(SanitizeUtf8("\xE2\x82\xAC\x80"), "\xE2\x82\xAC" + kReplacement);
  EXPECT_TRUE(IsValidUtf8(SanitizeUtf8("\xF8\x88\x80\x80\x80\xFE")));
}

TEST(Utf8Test, ReplaceInvalidReplacesEachMaximalSubpart) {
  EXPECT_EQ(ReplaceInvalidUtf8("fine é"), "fine é");
  EXPECT_EQ(ReplaceInvalidUtf8("a\xFF"
                               "b"),
            "a" + kReplacement + "b");
  EXPECT_EQ(ReplaceInvalidUtf8("x\xE2\x82"), "x" + kReplacement);          // truncated at the end
  EXPECT_EQ(ReplaceInvalidUtf8("\xE2\x82z"), kReplacement + "z");          // cut by a letter
  EXPECT_EQ(ReplaceInvalidUtf8("\xF0\x9F\x98z"), kReplacement + "z");      // 3 of 4 bytes
  EXPECT_EQ(ReplaceInvalidUtf8("\xC0\xAF"), kReplacement + kReplacement);  // overlong: no subpart
  EXPECT_EQ(ReplaceInvalidUtf8("\xED\xA0\x80z"),                           // surrogate
            kReplacement + kReplacement + kReplacement + "z");
  EXPECT_EQ(ReplaceInvalidUtf8("\xF4\x90\x80\x80"),
            kReplacement + kReplacement + kReplacement + kReplacement);  // above U+10FFFF
  EXPECT_EQ(ReplaceInvalidUtf8("\xE2\x82\xAC\x80"), "\xE2\x82\xAC" + kReplacement);
  EXPECT_EQ(ReplaceInvalidUtf8("\xE2\x82\xE2\x82\xAC"), kReplacement + "\xE2\x82\xAC");
}

TEST(Utf8Test, CompletePrefixHoldsBackIncompleteTail) {
  EXPECT_EQ(CompleteUtf8PrefixLength(""), 0u);
  EXPECT_EQ(CompleteUtf8PrefixLength("abc"), 3u);
  EXPECT_EQ(CompleteUtf8PrefixLength("ab\xE2"), 2u);
  EXPECT_EQ(CompleteUtf8PrefixLength("ab\xE2\x82"), 2u);
  EXPECT_EQ(CompleteUtf8PrefixLength("ab\xE2\x82\xAC"), 5u);
  EXPECT_EQ(CompleteUtf8PrefixLength("\xF0\x9F\x98"), 0u);
  EXPECT_EQ(CompleteUtf8PrefixLength("\xF0\x9F\x98\x80"), 4u);
  EXPECT_EQ(CompleteUtf8PrefixLength("\xC3"), 0u);
}

TEST(Utf8Test, CompletePrefixKeepsInvalidTail) {
  EXPECT_EQ(CompleteUtf8PrefixLength("a\x80"), 2u);      // stray continuation
  EXPECT_EQ(CompleteUtf8PrefixLength("a\xE0\x80"), 3u);  // overlong can never complete
  EXPECT_EQ(CompleteUtf8PrefixLength("a\xED\xA0"), 3u);  // surrogate can never complete
  EXPECT_EQ(CompleteUtf8PrefixLength("a\xFF"), 2u);
  EXPECT_EQ(CompleteUtf8PrefixLength("\x80\x80\x80\x80"), 4u);
}

TEST(Utf8Test, StreamingByteByByteReassemblesText) {
  std::string text = "héllo, 世界 😀!";
  std::string emitted;
  std::string pending;
  for (char byte : text) {
    pending.push_back(byte);
    size_t ready = CompleteUtf8PrefixLength(pending);
    EXPECT_TRUE(IsValidUtf8(pending.substr(0, ready)));
    emitted += pending.substr(0, ready);
    pending.erase(0, ready);
  }
  EXPECT_TRUE(pending.empty());
  EXPECT_EQ(emitted, text);
}

TEST(Utf8Test, TruncateNeverSplitsCharacter) {
  std::string text =
      "a\xE2\x82\xAC"
      "b";  // a € b
  EXPECT_EQ(TruncateUtf8(text, 10), text);
  EXPECT_EQ(TruncateUtf8(text, 5), text);
  EXPECT_EQ(TruncateUtf8(text, 4), "a\xE2\x82\xAC");
  EXPECT_EQ(TruncateUtf8(text, 3), "a");
  EXPECT_EQ(TruncateUtf8(text, 2), "a");
  EXPECT_EQ(TruncateUtf8(text, 1), "a");
  EXPECT_EQ(TruncateUtf8(text, 0), "");
  EXPECT_EQ(TruncateUtf8("\xF0\x9F\x98\x80", 3), "");
}

}  // namespace
}  // namespace fathom::base
