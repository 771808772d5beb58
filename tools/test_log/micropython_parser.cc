// parse_log_micropython_test (official c.py): tests/run-tests.py prints "pass  basics/int1.py",
// "FAIL  extmod/vfs.py" and "skip  basics/async.py"; the official pattern on the stripped line is
// `^(pass|FAIL|skip)\s+(.+)$`. The summary ("3 tests failed: ...") is not read.
#include "tools/test_log/framework_parsers.h"
#include "tools/test_log/python_text.h"

namespace fathom::tools::internal {

TestStatusMap ParseMicropythonLog(std::string_view log) {
  TestStatusMap statuses;
  ForEachLine(log, [&](std::string_view raw_line) {
    const std::string_view line = Strip(raw_line);
    TestStatus status;
    if (line.starts_with("pass")) {
      status = TestStatus::kPassed;
    } else if (line.starts_with("FAIL")) {
      status = TestStatus::kFailed;
    } else if (line.starts_with("skip")) {
      status = TestStatus::kSkipped;
    } else {
      return;
    }
    // At least one whitespace character after the word; the stripped line ends in a
    // non-space, so the name is everything after the run of whitespace.
    const size_t word_end = 4;
    if (SpaceLengthAt(line, word_end) == 0) return;
    SetStatus(statuses, line.substr(SkipSpaces(line, word_end)), status);
  });
  return statuses;
}

}  // namespace fathom::tools::internal
