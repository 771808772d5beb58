// parse_log_googletest and parse_log_doctest on captured logs (testdata/): a GoogleTest binary
// run under `ctest -V` (as for fmt) and a doctest binary run with `-s -r=xml` (as for
// nlohmann/json).
#include <gtest/gtest.h>

#include "tests/tools/test_log_test_util.h"
#include "tools/test_log/test_log_parser.h"

namespace fathom::tools {
namespace {

using testdata::Parse;
using testdata::ParseLogFile;
using testdata::ReadLog;
using testdata::WithCrlf;

TEST(GoogleTestLogTest, ReadsOkAndFailedLinesUnderCtest) {
  // Skipped and disabled tests and the summary lines without a "(N ms)" are not results; a
  // failed parameterized test keeps its ", where GetParam() = 3"; the test's own output line
  // "[ OK ] this is test output, not a result (1 ms)" counts, as it does for the official parser.
  EXPECT_EQ(
      ParseLogFile("parse_log_googletest", "googletest_ctest_verbose.log"),
      (TestStatusMap{{"AddTest.SmallNumbers", TestStatus::kPassed},
                     {"AddTest.Overflowing", TestStatus::kFailed},
                     {"FormatTest.PrintsBrackets", TestStatus::kPassed},
                     {"this is test output, not a result", TestStatus::kPassed},
                     {"Numbers/ParityTest.IsEven/0", TestStatus::kPassed},
                     {"Numbers/ParityTest.IsEven/1, where GetParam() = 3", TestStatus::kFailed},
                     {"Numbers/ParityTest.IsEven/2", TestStatus::kPassed}}));
}

TEST(GoogleTestLogTest, CrlfLinesParseTheSame) {
  const std::string log = ReadLog("googletest_ctest_verbose.log");
  EXPECT_EQ(Parse("parse_log_googletest", WithCrlf(log)), Parse("parse_log_googletest", log));
}

TEST(DoctestLogTest, NamesEachSubcaseAfterItsTestCase) {
  // "parser > nested" appears twice (doctest re-enters the test case for each leaf); the second
  // entry holds the failing leaf and wins. Test cases without subcases are not recorded.
  EXPECT_EQ(ParseLogFile("parse_log_doctest", "doctest_xml.log"),
            (TestStatusMap{{"parser > reads numbers", TestStatus::kPassed},
                           {"parser > rejects <garbage> & \"quotes\"", TestStatus::kFailed},
                           {"parser > nested", TestStatus::kFailed},
                           {"parser > inner passes", TestStatus::kPassed},
                           {"parser > inner fails", TestStatus::kFailed},
                           {"empty subcase > no checks", TestStatus::kPassed}}));
}

TEST(DoctestLogTest, OutputAroundTheXmlIsIgnored) {
  const std::string log = ReadLog("doctest_xml.log");
  EXPECT_EQ(Parse("parse_log_doctest", "+ ./tests/test-json -s -r=xml\n" + WithCrlf(log) +
                                           "<doctest binary=\"second run\">\n"),
            Parse("parse_log_doctest", log));
}

TEST(DoctestLogTest, NoXmlGivesAnEmptyMap) {
  EXPECT_TRUE(Parse("parse_log_doctest", ReadLog("googletest_ctest_verbose.log")).empty());
}

TEST(DoctestLogTest, TruncatedXmlIsAnError) {
  const std::string log = ReadLog("doctest_xml.log");
  const base::Result<TestStatusMap> statuses =
      ParseTestLog("parse_log_doctest", log.substr(0, log.find("</doctest>")));
  ASSERT_FALSE(statuses.ok());
  EXPECT_EQ(statuses.error().code(), base::ErrorCode::kInvalidArgument);
}

TEST(DoctestLogTest, MalformedXmlIsAnError) {
  std::string log = ReadLog("doctest_xml.log");
  log.erase(log.find("</SubCase>"), 10);
  const base::Result<TestStatusMap> statuses = ParseTestLog("parse_log_doctest", log);
  ASSERT_FALSE(statuses.ok());
  EXPECT_NE(statuses.error().message().find("doctest XML"), std::string::npos);
}

}  // namespace
}  // namespace fathom::tools
