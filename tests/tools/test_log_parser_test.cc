// ParseTestLog's dispatch: the known names, the error for an unknown one, empty logs, and the
// status strings the official harness writes.
#include "tools/test_log/test_log_parser.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace fathom::tools {
namespace {

TEST(TestLogParserTest, KnowsTheParsersTheDatasetsName) {
  const std::span<const std::string_view> names = TestLogParserNames();
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  for (std::string_view name :
       {"parse_log_jq", "parse_log_googletest", "parse_log_doctest", "parse_log_redis",
        "parse_log_micropython_test", "parse_log_pytest", "parse_log_sympy", "parse_log_flask",
        "parse_log_xarray", "parse_log_sqlfluff"}) {
    EXPECT_TRUE(std::binary_search(names.begin(), names.end(), name)) << name;
    EXPECT_TRUE(ParseTestLog(name, "").ok()) << name;
  }
}

TEST(TestLogParserTest, UnknownNameIsAnErrorListingTheKnownNames) {
  base::Result<TestStatusMap> statuses = ParseTestLog("parse_log_django", "test_x ... ok\n");
  ASSERT_FALSE(statuses.ok());
  EXPECT_EQ(statuses.error().code(), base::ErrorCode::kInvalidArgument);
  EXPECT_NE(statuses.error().message().find("parse_log_django"), std::string::npos);
  for (std::string_view name : TestLogParserNames()) {
    EXPECT_NE(statuses.error().message().find(name), std::string::npos) << name;
  }
}

TEST(TestLogParserTest, EmptyLogGivesAnEmptyMap) {
  for (std::string_view name : TestLogParserNames()) {
    base::Result<TestStatusMap> statuses = ParseTestLog(name, "");
    ASSERT_TRUE(statuses.ok()) << name << ": " << statuses.error();
    EXPECT_TRUE(statuses->empty()) << name;
  }
}

TEST(TestLogParserTest, StatusNamesAreTheOfficialStrings) {
  EXPECT_EQ(TestStatusName(TestStatus::kPassed), "PASSED");
  EXPECT_EQ(TestStatusName(TestStatus::kFailed), "FAILED");
  EXPECT_EQ(TestStatusName(TestStatus::kSkipped), "SKIPPED");
  EXPECT_EQ(TestStatusName(TestStatus::kError), "ERROR");
  EXPECT_EQ(TestStatusName(TestStatus::kXfail), "XFAIL");
}

TEST(TestLogParserTest, ALaterLineForTheSameTestWins) {
  base::Result<TestStatusMap> statuses =
      ParseTestLog("parse_log_jq", "FAIL: tests/jqtest\nPASS: tests/jqtest\n");
  ASSERT_TRUE(statuses.ok()) << statuses.error();
  EXPECT_EQ(*statuses, (TestStatusMap{{"tests/jqtest", TestStatus::kPassed}}));
}

}  // namespace
}  // namespace fathom::tools
