// DumpPythonJson against what Python's json.dumps(value, ensure_ascii=False) prints, and the
// ordered, non-throwing ParseOrderedJson.
#include "engine/chat_format/python_json.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

namespace fathom::engine {
namespace {

std::string DumpFloat(double value) { return DumpPythonJson(OrderedJson(value)); }

TEST(ChatFormatPythonJsonTest, FloatsAsPythonRepr) {
  EXPECT_EQ(DumpFloat(1.0), "1.0");
  EXPECT_EQ(DumpFloat(0.1), "0.1");
  EXPECT_EQ(DumpFloat(-0.0), "-0.0");
  EXPECT_EQ(DumpFloat(123.456), "123.456");
  EXPECT_EQ(DumpFloat(1e15), "1000000000000000.0");
  EXPECT_EQ(DumpFloat(1e16), "1e+16");
  EXPECT_EQ(DumpFloat(1.5e300), "1.5e+300");
  EXPECT_EQ(DumpFloat(0.0001), "0.0001");
  EXPECT_EQ(DumpFloat(0.00001), "1e-05");
  EXPECT_EQ(DumpFloat(2.5e-05), "2.5e-05");
  EXPECT_EQ(DumpFloat(5e-324), "5e-324");
  EXPECT_EQ(DumpFloat(1.0 / 3), "0.3333333333333333");
  EXPECT_EQ(DumpFloat(std::numeric_limits<double>::infinity()), "Infinity");
  EXPECT_EQ(DumpFloat(std::numeric_limits<double>::quiet_NaN()), "NaN");
}

TEST(ChatFormatPythonJsonTest, StringsEscapeOnlyWhatPythonEscapes) {
  std::string out;
  AppendPythonJsonString("q\" b\\ \n\r\t\b\f \x01\x1f \x7f ü 你好 \u2028", out);
  EXPECT_EQ(out, "\"q\\\" b\\\\ \\n\\r\\t\\b\\f \\u0001\\u001f \x7f ü 你好 \u2028\"");
}

TEST(ChatFormatPythonJsonTest, ContainersKeepOrderWithPythonSeparators) {
  OrderedJson value = OrderedJson::parse(
      R"({"z": [1, -2, 3.5, true, null, "s"], "a": {}, "m": [], "n": {"k": {"j": false}}})");
  EXPECT_EQ(DumpPythonJson(value),
            R"({"z": [1, -2, 3.5, true, null, "s"], "a": {}, "m": [], "n": {"k": {"j": false}}})");
  EXPECT_EQ(DumpPythonJson(OrderedJson::parse("18446744073709551615")), "18446744073709551615");
}

TEST(ChatFormatPythonJsonTest, ParseKeepsOrderAndReportsErrors) {
  base::Result<OrderedJson> parsed = ParseOrderedJson(R"({"b": 1, "a": 2})");
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_EQ(parsed->begin().key(), "b");
  base::Result<OrderedJson> bad = ParseOrderedJson(R"({"b": })");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("byte offset 7"), std::string::npos) << bad.error();
  EXPECT_FALSE(ParseOrderedJson("").ok());
  EXPECT_FALSE(ParseOrderedJson("{} x").ok());
}

TEST(ChatFormatPythonJsonTest, RejectsDeepNesting) {
  std::string deep = std::string(600, '[') + std::string(600, ']');
  base::Result<OrderedJson> parsed = ParseOrderedJson(deep);
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().message().find("nested deeper"), std::string::npos);
  std::string brackets_in_string = "\"" + std::string(600, '[') + "\"";
  EXPECT_TRUE(ParseOrderedJson(brackets_in_string).ok());
}

}  // namespace
}  // namespace fathom::engine
