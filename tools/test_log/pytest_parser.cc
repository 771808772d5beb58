// parse_log_pytest (official python.py, SWE-bench v5): the `pytest -rA` summary lines
// "PASSED tests/test_a.py::test_x" and "FAILED tests/test_a.py::test_y - assert 1 == 2", and
// the verbose "tests/test_a.py::test_x PASSED [ 50%]". Lines are not stripped. Quirks kept: a
// FAILED line has " - " replaced by " " before it is split, so "FAILED t[a - b] - msg" names
// "t[a"; a parameter id with a space is cut at the space; skip summaries ("SKIPPED [1] f.py:3:
// why") are not tests; and whatever the test printed counts when it looks like a result line.
// A FAILED line left with no name once " - " is replaced ("FAILED - ") makes the official parser
// raise IndexError; here it is an InvalidArgument error.
#include <array>
#include <string>
#include <utility>

#include "tools/test_log/framework_parsers.h"
#include "tools/test_log/python_text.h"

namespace fathom::tools::internal {

namespace {

constexpr std::array<std::pair<std::string_view, TestStatus>, 5> kStatusWords = {{
    {"FAILED", TestStatus::kFailed},
    {"PASSED", TestStatus::kPassed},
    {"SKIPPED", TestStatus::kSkipped},
    {"ERROR", TestStatus::kError},
    {"XFAIL", TestStatus::kXfail},
}};

// The status word `text` starts with, and its length; false when none.
bool StartsWithStatus(std::string_view text, TestStatus& status, size_t& length) {
  for (const auto& [word, word_status] : kStatusWords) {
    if (text.starts_with(word)) {
      status = word_status;
      length = word.size();
      return true;
    }
  }
  return false;
}

// line.replace(" - ", " ").split()[1], for FAILED lines.
std::string SecondTokenWithoutDashes(std::string_view line) {
  std::string replaced;
  replaced.reserve(line.size());
  for (size_t i = 0; i < line.size(); ++i) {
    if (line.substr(i, 3) == " - ") {
      replaced += ' ';
      i += 2;
    } else {
      replaced += line[i];
    }
  }
  size_t offset = 0;
  NextToken(replaced, offset);
  return std::string(NextToken(replaced, offset));
}

// `\[\d+\]` at the start of `token`: the "[1]" count of a skip summary.
bool IsSkipCount(std::string_view token) {
  size_t offset = 1;
  while (offset < token.size() && token[offset] >= '0' && token[offset] <= '9') ++offset;
  return token.starts_with('[') && offset > 1 && offset < token.size() && token[offset] == ']';
}

// `^(STATUS)\s+(\S+)`. Returns false when the line does not have that shape, an error for a
// FAILED line with nothing left to name.
base::Result<bool> ParseStatusFirst(std::string_view line, TestStatusMap& statuses) {
  TestStatus status;
  size_t word_length;
  if (!StartsWithStatus(line, status, word_length)) return false;
  if (SpaceLengthAt(line, word_length) == 0) return false;
  size_t offset = word_length;
  const std::string_view name = NextToken(line, offset);
  if (name.empty()) return false;
  if (status == TestStatus::kFailed) {
    const std::string failed = SecondTokenWithoutDashes(line);
    if (failed.empty()) {
      return base::InvalidArgumentError("pytest log: no test name in \"" + std::string(line) +
                                        "\" once \" - \" is replaced");
    }
    SetStatus(statuses, failed, status);
  } else if (status != TestStatus::kSkipped || !IsSkipCount(name)) {
    SetStatus(statuses, name, status);
  }
  return true;
}

// `^(\S+)\s+(STATUS)(?:\s|$)`.
void ParseTestFirst(std::string_view line, TestStatusMap& statuses) {
  const size_t name_end = SkipNonSpaces(line, 0);
  if (name_end == 0 || SpaceLengthAt(line, name_end) == 0) return;
  const size_t word_start = SkipSpaces(line, name_end);
  TestStatus status;
  size_t word_length;
  if (!StartsWithStatus(line.substr(word_start), status, word_length)) return;
  const size_t word_end = word_start + word_length;
  if (word_end != line.size() && SpaceLengthAt(line, word_end) == 0) return;
  SetStatus(statuses, line.substr(0, name_end), status);
}

}  // namespace

base::Result<TestStatusMap> ParsePytestLog(std::string_view log) {
  TestStatusMap statuses;
  base::Status status;
  ForEachLine(log, [&](std::string_view line) {
    if (!status.ok()) return;
    base::Result<bool> parsed = ParseStatusFirst(line, statuses);
    if (!parsed.ok()) {
      status = std::move(parsed).error();
    } else if (!*parsed) {
      ParseTestFirst(line, statuses);
    }
  });
  FATHOM_TRY(status);
  return statuses;
}

}  // namespace fathom::tools::internal
