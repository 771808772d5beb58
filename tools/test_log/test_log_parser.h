// The SWE-bench test-log parsers: turn a test command's output into {test name -> status}, with
// the semantics of the official harness's parsers (swebench/harness/log_parsers/, SWE-bench v5)
// quirks included, so FAIL_TO_PASS/PASS_TO_PASS names match. Pure functions; thread-safe.
#pragma once

#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>

#include "base/result.h"

namespace fathom::tools {

enum class TestStatus { kPassed, kFailed, kSkipped, kError, kXfail };

// "PASSED", "FAILED", "SKIPPED", "ERROR" or "XFAIL", the strings the official harness stores.
std::string_view TestStatusName(TestStatus status);

// Test name -> status. A later line for the same name wins, as in the official dict.
using TestStatusMap = std::map<std::string, TestStatus, std::less<>>;

// Parses `log` (the test command's output) with the parser SWE-bench names `parser_name` (the
// dataset's log_parser field): parse_log_jq, parse_log_googletest, parse_log_doctest,
// parse_log_redis, parse_log_micropython_test, parse_log_pytest (and the repository aliases the
// harness binds to it, such as parse_log_flask) and parse_log_sympy. Lines end at "\n", "\r\n"
// or "\r", as the harness reads the log file in text mode. An unknown name is InvalidArgument, and
// so is a log on which the official parser raises (doctest XML that does not parse, a pytest
// "FAILED - " line).
base::Result<TestStatusMap> ParseTestLog(std::string_view parser_name, std::string_view log);

// Every name ParseTestLog accepts, sorted.
std::span<const std::string_view> TestLogParserNames();

}  // namespace fathom::tools
