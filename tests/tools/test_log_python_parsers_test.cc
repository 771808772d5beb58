// parse_log_pytest and parse_log_sympy on captured logs (testdata/): a pytest suite run with
// `pytest -rA` (and `-rA -v`) and a sympy test file run with `bin/test -C --verbose`.
#include <gtest/gtest.h>

#include "tests/tools/test_log_test_util.h"
#include "tools/test_log/test_log_parser.h"

namespace fathom::tools {
namespace {

using testdata::Parse;
using testdata::ParseLogFile;
using testdata::ReadLog;
using testdata::WithCrlf;

TEST(PytestLogTest, ReadsTheShortSummary) {
  // Quirks of the official parser, all visible in this log: an id with a space is cut there
  // ("[a - b]" -> "[a", and "[x y]" -> "[x" after " - " is replaced on FAILED lines); the
  // "SKIPPED [1] file:line" summaries and XPASS are not recorded; the test's printed
  // "PASSED fake/line.py::test_printed" counts; and the section rule
  // "__________________ ERROR at setup of ..." reads as the test "__________________".
  EXPECT_EQ(ParseLogFile("parse_log_pytest", "pytest_rA.log"),
            (TestStatusMap{
                {"fake/line.py::test_printed", TestStatus::kPassed},
                {"tests/test_shapes.py::test_area_of_square", TestStatus::kPassed},
                {"tests/test_shapes.py::test_area_table[1-1-1]", TestStatus::kPassed},
                {"tests/test_shapes.py::test_area_table[2-5-10]", TestStatus::kPassed},
                {"tests/test_shapes.py::test_text_ids[a", TestStatus::kPassed},
                {"tests/test_shapes.py::TestGroup::test_method", TestStatus::kPassed},
                {"tests/test_shapes.py::test_rounding", TestStatus::kXfail},
                {"tests/test_shapes.py::test_uses_broken_fixture", TestStatus::kError},
                {"tests/test_shapes.py::test_area_is_wrong", TestStatus::kFailed},
                {"tests/test_shapes.py::test_area_table[3-3-10]", TestStatus::kFailed},
                {"tests/test_shapes.py::test_text_ids[x", TestStatus::kFailed},
                {"__________________", TestStatus::kError},
            }));
}

TEST(PytestLogTest, ReadsVerboseNameStatusLines) {
  const TestStatusMap statuses = ParseLogFile("parse_log_pytest", "pytest_rA_verbose.log");
  // Only the -v lines name these two skipped tests.
  EXPECT_EQ(statuses.at("tests/test_shapes.py::test_perimeter"), TestStatus::kSkipped);
  EXPECT_EQ(statuses.at("tests/test_shapes.py::TestGroup::test_skip_inside"), TestStatus::kSkipped);
  EXPECT_EQ(statuses.at("tests/test_shapes.py::test_area_is_wrong"), TestStatus::kFailed);
  EXPECT_EQ(statuses.at("tests/test_shapes.py::test_rounding"), TestStatus::kXfail);
  EXPECT_FALSE(statuses.contains("tests/test_shapes.py::test_xpass"));
}

TEST(PytestLogTest, FailedLineWithNoNameLeftIsAnError) {
  // The official parser takes line.replace(" - ", " ").split()[1] and raises IndexError.
  const base::Result<TestStatusMap> statuses =
      ParseTestLog("parse_log_pytest", ReadLog("pytest_rA.log") + "FAILED - \n");
  ASSERT_FALSE(statuses.ok());
  EXPECT_EQ(statuses.error().code(), base::ErrorCode::kInvalidArgument);
}

TEST(PytestLogTest, RepositoryAliasesParseAsPytest) {
  const std::string log = ReadLog("pytest_rA.log");
  EXPECT_EQ(Parse("parse_log_flask", log), Parse("parse_log_pytest", log));
}

TEST(PytestLogTest, CrlfLinesParseTheSame) {
  const std::string log = ReadLog("pytest_rA_verbose.log");
  EXPECT_EQ(Parse("parse_log_pytest", WithCrlf(log)), Parse("parse_log_pytest", log));
}

TEST(SympyLogTest, ReadsTestLinesAndFailureHeaders) {
  const TestStatusMap statuses = ParseLogFile("parse_log_sympy", "sympy_verbose.log");
  // 34 "test_x ok|F" lines and 3 failure headers; "test_deliberate_error E [FAIL]" (the last
  // test of the file) does not end in " E", so only its header records it.
  EXPECT_EQ(statuses.size(), 37u);
  EXPECT_EQ(statuses.at("test_str_repr"), TestStatus::kPassed);
  EXPECT_EQ(statuses.at("test_physics_constant"), TestStatus::kPassed);
  EXPECT_EQ(statuses.at("test_abbrev"), TestStatus::kFailed);
  EXPECT_EQ(statuses.at("test_deliberate_failure"), TestStatus::kFailed);
  EXPECT_FALSE(statuses.contains("test_deliberate_error"));
  EXPECT_EQ(statuses.at("sympy/physics/units/tests/test_quantities.py:test_deliberate_error"),
            TestStatus::kFailed);
  EXPECT_EQ(statuses.at("sympy/physics/units/tests/test_quantities.py::test_abbrev"),
            TestStatus::kFailed);
  EXPECT_EQ(statuses.at("sympy/physics/units/tests/test_quantities.py::test_deliberate_failure"),
            TestStatus::kFailed);
}

TEST(SympyLogTest, ErrorLinesAreErrors) {
  // The same log with one more test after the erroring one, so its line ends in " E".
  std::string log = ReadLog("sympy_verbose.log");
  const std::string last = "test_deliberate_error E";
  const size_t at = log.find(last);
  ASSERT_NE(at, std::string::npos);
  log.replace(at, log.find('\n', at) - at, last + "\ntest_after ok");
  const TestStatusMap statuses = Parse("parse_log_sympy", log);
  EXPECT_EQ(statuses.at("test_deliberate_error"), TestStatus::kError);
  EXPECT_EQ(statuses.at("test_after"), TestStatus::kPassed);
}

TEST(SympyLogTest, CrlfLinesParseTheSame) {
  const std::string log = ReadLog("sympy_verbose.log");
  EXPECT_EQ(Parse("parse_log_sympy", WithCrlf(log)), Parse("parse_log_sympy", log));
}

}  // namespace
}  // namespace fathom::tools
