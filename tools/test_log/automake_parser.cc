// parse_log_jq (official c.py): the automake test driver's result lines, "PASS: tests/mantest"
// and "FAIL: tests/jqtest". Only those two: the official pattern `^\s*(PASS|FAIL):\s(.+)$` on the
// stripped line ignores automake's SKIP:, XFAIL:, XPASS: and ERROR: lines.
#include "tools/test_log/framework_parsers.h"
#include "tools/test_log/python_text.h"

namespace fathom::tools::internal {

TestStatusMap ParseAutomakeLog(std::string_view log) {
  TestStatusMap statuses;
  ForEachLine(log, [&](std::string_view raw_line) {
    const std::string_view line = Strip(raw_line);
    TestStatus status;
    if (line.starts_with("PASS:")) {
      status = TestStatus::kPassed;
    } else if (line.starts_with("FAIL:")) {
      status = TestStatus::kFailed;
    } else {
      return;
    }
    // `\s` takes exactly one whitespace character; the name is the (non-empty) rest.
    const size_t colon_end = 5;
    const size_t space = SpaceLengthAt(line, colon_end);
    if (space == 0 || colon_end + space == line.size()) return;
    SetStatus(statuses, line.substr(colon_end + space), status);
  });
  return statuses;
}

}  // namespace fathom::tools::internal
