// One parser per test framework, each a port of the official SWE-bench function named beside
// it; test_log_parser.cc dispatches to them by name. Internal to tools/test_log. Pure functions
// on caller-owned text; thread-safe.
#pragma once

#include <string_view>

#include "base/result.h"
#include "tools/test_log/test_log_parser.h"

namespace fathom::tools::internal {

// Records `status` for `name`, replacing an earlier status (Python's dict assignment).
void SetStatus(TestStatusMap& statuses, std::string_view name, TestStatus status);

// The parsers that can fail return the error where the official function raises.
TestStatusMap ParseAutomakeLog(std::string_view log);                  // parse_log_jq
TestStatusMap ParseGoogleTestLog(std::string_view log);                // parse_log_googletest
base::Result<TestStatusMap> ParseDoctestXmlLog(std::string_view log);  // parse_log_doctest
TestStatusMap ParseRedisLog(std::string_view log);                     // parse_log_redis
TestStatusMap ParseMicropythonLog(std::string_view log);               // parse_log_micropython_test
base::Result<TestStatusMap> ParsePytestLog(std::string_view log);      // parse_log_pytest
TestStatusMap ParseSympyLog(std::string_view log);                     // parse_log_sympy

}  // namespace fathom::tools::internal
