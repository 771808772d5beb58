// parse_log_sympy (official python.py): `bin/test -C --verbose` prints "test_foo ok", "test_bar F"
// and "test_baz E" per test, and a failure report under a header such as
// "____ sympy/core/tests/test_x.py:test_baz ____". Headers are FAILED first (re.findall of
// `(_*) (.*)\.py:(.*) (_*)` over the log), then the per-test lines win. Quirks kept: a header
// name keeps the "::" sympy writes for failures ("test_x.py::test_bar"), and the last test of a
// file, whose line ends in "[FAIL]" or "[OK]", is not recorded.
#include "tools/test_log/framework_parsers.h"
#include "tools/test_log/python_text.h"

namespace fathom::tools::internal {

namespace {

// The test named by a failure header: the findall match starts at the line's first space, and
// its groups joined back ("path" + ".py:" + "test") are the text up to the line's last space. It
// matches when that text holds a ".py:". Empty when the line is no header.
std::string_view HeaderTest(std::string_view line) {
  const size_t first_space = line.find(' ');
  if (first_space == std::string_view::npos) return {};
  const size_t last_space = line.rfind(' ');
  if (last_space == first_space) return {};
  const std::string_view test = line.substr(first_space + 1, last_space - first_space - 1);
  return test.find(".py:") == std::string_view::npos ? std::string_view() : test;
}

}  // namespace

TestStatusMap ParseSympyLog(std::string_view log) {
  TestStatusMap statuses;
  ForEachLine(log, [&](std::string_view line) {
    const std::string_view test = HeaderTest(line);
    if (!test.empty()) SetStatus(statuses, test, TestStatus::kFailed);
  });
  ForEachLine(log, [&](std::string_view raw_line) {
    const std::string_view line = Strip(raw_line);
    if (!line.starts_with("test_")) return;
    TestStatus status;
    if (line.ends_with(" E")) {
      status = TestStatus::kError;
    } else if (line.ends_with(" F")) {
      status = TestStatus::kFailed;
    } else if (line.ends_with(" ok")) {
      status = TestStatus::kPassed;
    } else {
      return;
    }
    size_t offset = 0;
    SetStatus(statuses, NextToken(line, offset), status);
  });
  return statuses;
}

}  // namespace fathom::tools::internal
