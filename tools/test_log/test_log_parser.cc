// ParseTestLog: the name table and the status strings; the parsers live in one file each.
#include "tools/test_log/test_log_parser.h"

#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include "tools/test_log/framework_parsers.h"

namespace fathom::tools {

namespace {

using Parser = base::Result<TestStatusMap> (*)(std::string_view log);

template <TestStatusMap (*parse)(std::string_view)>
base::Result<TestStatusMap> Infallible(std::string_view log) {
  return parse(log);
}

// Sorted by name. The pytest aliases are the repositories the official python.py binds to
// parse_log_pytest.
constexpr std::array<std::pair<std::string_view, Parser>, 14> kParsers = {{
    {"parse_log_astroid", &internal::ParsePytestLog},
    {"parse_log_doctest", &internal::ParseDoctestXmlLog},
    {"parse_log_flask", &internal::ParsePytestLog},
    {"parse_log_googletest", &Infallible<internal::ParseGoogleTestLog>},
    {"parse_log_jq", &Infallible<internal::ParseAutomakeLog>},
    {"parse_log_marshmallow", &internal::ParsePytestLog},
    {"parse_log_micropython_test", &Infallible<internal::ParseMicropythonLog>},
    {"parse_log_pvlib", &internal::ParsePytestLog},
    {"parse_log_pytest", &internal::ParsePytestLog},
    {"parse_log_pyvista", &internal::ParsePytestLog},
    {"parse_log_redis", &Infallible<internal::ParseRedisLog>},
    {"parse_log_sqlfluff", &internal::ParsePytestLog},
    {"parse_log_sympy", &Infallible<internal::ParseSympyLog>},
    {"parse_log_xarray", &internal::ParsePytestLog},
}};

constexpr std::array<std::string_view, kParsers.size()> kNames = [] {
  std::array<std::string_view, kParsers.size()> names;
  for (size_t i = 0; i < kParsers.size(); ++i) names[i] = kParsers[i].first;
  return names;
}();

static_assert(std::is_sorted(kNames.begin(), kNames.end()));

}  // namespace

std::string_view TestStatusName(TestStatus status) {
  switch (status) {
    case TestStatus::kPassed:
      return "PASSED";
    case TestStatus::kFailed:
      return "FAILED";
    case TestStatus::kSkipped:
      return "SKIPPED";
    case TestStatus::kError:
      return "ERROR";
    case TestStatus::kXfail:
      return "XFAIL";
  }
  return "UNKNOWN";
}

base::Result<TestStatusMap> ParseTestLog(std::string_view parser_name, std::string_view log) {
  const auto it = std::lower_bound(kNames.begin(), kNames.end(), parser_name);
  if (it == kNames.end() || *it != parser_name) {
    std::string known;
    for (std::string_view name : kNames) known += (known.empty() ? "" : ", ") + std::string(name);
    return base::InvalidArgumentError("unknown test-log parser \"" + std::string(parser_name) +
                                      "\"; known parsers: " + known);
  }
  return kParsers[static_cast<size_t>(it - kNames.begin())].second(log);
}

std::span<const std::string_view> TestLogParserNames() { return kNames; }

namespace internal {

void SetStatus(TestStatusMap& statuses, std::string_view name, TestStatus status) {
  const auto it = statuses.find(name);
  if (it == statuses.end()) {
    statuses.emplace(std::string(name), status);
  } else {
    it->second = status;
  }
}

}  // namespace internal

}  // namespace fathom::tools
