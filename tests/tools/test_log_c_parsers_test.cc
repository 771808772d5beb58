// parse_log_jq, parse_log_redis and parse_log_micropython_test on captured logs (testdata/):
// an automake `make check`, redis/valkey runner output and micropython run-tests output.
#include <gtest/gtest.h>

#include "tests/tools/test_log_test_util.h"
#include "tools/test_log/test_log_parser.h"

namespace fathom::tools {
namespace {

using testdata::Parse;
using testdata::ParseLogFile;
using testdata::ReadLog;
using testdata::WithCrlf;

TEST(AutomakeLogTest, ReadsOnlyPassAndFailLines) {
  // SKIP:, XFAIL: and ERROR: lines and the "# PASS:  1" summary are not results to the official
  // parser.
  EXPECT_EQ(ParseLogFile("parse_log_jq", "automake_make_check.log"),
            (TestStatusMap{{"tests/addtest", TestStatus::kPassed},
                           {"tests/subtest", TestStatus::kFailed}}));
}

TEST(AutomakeLogTest, CrlfLinesParseTheSame) {
  const std::string log = ReadLog("automake_make_check.log");
  EXPECT_EQ(Parse("parse_log_jq", WithCrlf(log)), Parse("parse_log_jq", log));
}

TEST(RedisLogTest, OkLinesLoseTheirDuration) {
  EXPECT_EQ(ParseLogFile("parse_log_redis", "redis_tairdoc_readme.log"),
            (TestStatusMap{{"json.arrpush/json.arrpop master-slave", TestStatus::kPassed},
                           {"json.arrinsert/json.arrtrim", TestStatus::kPassed},
                           {"Check for memory leaks (pid 57468)", TestStatus::kPassed},
                           {"Check for memory leaks (pid 57456)", TestStatus::kPassed}}));
}

TEST(RedisLogTest, ErrLinesLoseTheirFileAndIgnoreLinesAreSkipped) {
  const TestStatusMap statuses = ParseLogFile("parse_log_redis", "redis_issue_11868.log");
  EXPECT_EQ(statuses.size(), 10u);
  EXPECT_EQ(statuses.at("Active defrag"), TestStatus::kFailed);
  EXPECT_EQ(statuses.at("Test LPUSH and LPOP on plain nodes over 4GB: large memory flag not "
                        "provided"),
            TestStatus::kSkipped);
  EXPECT_EQ(statuses.at("SETBIT values larger than UINT32_MAX and lzf_compress/lzf_decompress "
                        "correctly: large memory flag not provided"),
            TestStatus::kSkipped);
}

TEST(RedisLogTest, SkipLinesKeepTheirFile) {
  EXPECT_EQ(ParseLogFile("parse_log_redis", "valkey_pr_2714_skip.log"),
            (TestStatusMap{{"PING dummy in tests/unit/introspection.tcl: Not supported",
                            TestStatus::kSkipped}}));
}

TEST(RedisLogTest, LinesWithAPrefixAreNotResults) {
  // CI timestamps in front, and the "*** [err]: ..." recap.
  EXPECT_TRUE(ParseLogFile("parse_log_redis", "valkey_issue_3832_ci.log").empty());
}

TEST(RedisLogTest, CrlfLinesParseTheSame) {
  const std::string log = ReadLog("redis_issue_11868.log");
  EXPECT_EQ(Parse("parse_log_redis", WithCrlf(log)), Parse("parse_log_redis", log));
}

TEST(MicropythonLogTest, ReadsPassFailAndSkipLines) {
  const TestStatusMap statuses =
      ParseLogFile("parse_log_micropython_test", "micropython_pycom_issue_58.log");
  EXPECT_EQ(statuses.size(), 42u);  // result lines in the file
  EXPECT_EQ(statuses.at("basics/0prelim.py"), TestStatus::kFailed);
  EXPECT_EQ(statuses.at("basics/andor.py"), TestStatus::kPassed);
  EXPECT_EQ(statuses.at("basics/array_construct_endian.py"), TestStatus::kSkipped);
  EXPECT_EQ(statuses.at("basics/builtin_ellipsis.py"), TestStatus::kPassed);
  EXPECT_EQ(statuses.at("basics/builtin_pow.py"), TestStatus::kFailed);
}

TEST(MicropythonLogTest, SummaryLinesAreNotResults) {
  EXPECT_EQ(ParseLogFile("parse_log_micropython_test", "micropython_issue_3796.log"),
            (TestStatusMap{{"unix/ffi_callback.py", TestStatus::kPassed},
                           {"unix/ffi_float.py", TestStatus::kPassed},
                           {"unix/ffi_float2.py", TestStatus::kPassed}}));
}

}  // namespace
}  // namespace fathom::tools
