// parse_log_googletest (official c.py, used for fmt): "[       OK ] Suite.Test (0 ms)" and
// "[  FAILED  ] Suite.Test (3 ms)", with any prefix (ctest -V writes "2: "). Ports
// `^.*\[\s*(OK|FAILED)\s*\]\s(.*)\s\(.*\)$` on the stripped line: the last such bracket wins,
// and the name runs to the last whitespace-and-"(" before the closing ")", so a failed
// parameterized test is named "Inst/Suite.Test/1, where GetParam() = 3".
#include "tools/test_log/framework_parsers.h"
#include "tools/test_log/python_text.h"

namespace fathom::tools::internal {

namespace {

constexpr size_t kNoMatch = std::string_view::npos;

// Where `\s\(.*\)$` can start, rightmost first (what the greedy name leaves): the whitespace
// before the last "(" that still has a character before the final ")". kNoMatch if none.
size_t TimingStart(std::string_view line) {
  if (!line.ends_with(')')) return kNoMatch;
  size_t open = line.size() - 1;
  while ((open = line.rfind('(', open - 1)) != kNoMatch) {
    if (const size_t space = SpaceLengthBefore(line, open)) return open - space;
    if (open == 0) break;
  }
  return kNoMatch;
}

// If `\[\s*(OK|FAILED)\s*\]\s` matches at `open`, the status and where the name starts.
bool MatchBracket(std::string_view line, size_t open, TestStatus& status, size_t& name_start) {
  size_t offset = SkipSpaces(line, open + 1);
  const std::string_view rest = line.substr(offset);
  if (rest.starts_with("OK")) {
    status = TestStatus::kPassed;
    offset += 2;
  } else if (rest.starts_with("FAILED")) {
    status = TestStatus::kFailed;
    offset += 6;
  } else {
    return false;
  }
  offset = SkipSpaces(line, offset);
  if (offset >= line.size() || line[offset] != ']') return false;
  const size_t space = SpaceLengthAt(line, offset + 1);
  if (space == 0) return false;
  name_start = offset + 1 + space;
  return true;
}

}  // namespace

TestStatusMap ParseGoogleTestLog(std::string_view log) {
  TestStatusMap statuses;
  ForEachLine(log, [&](std::string_view raw_line) {
    const std::string_view line = Strip(raw_line);
    const size_t name_end = TimingStart(line);
    if (name_end == kNoMatch) return;
    // The greedy `^.*` tries brackets from the right.
    for (size_t open = line.rfind('[', name_end); open != kNoMatch;
         open = open == 0 ? kNoMatch : line.rfind('[', open - 1)) {
      TestStatus status;
      size_t name_start;
      if (MatchBracket(line, open, status, name_start) && name_start <= name_end) {
        SetStatus(statuses, line.substr(name_start, name_end - name_start), status);
        return;
      }
    }
  });
  return statuses;
}

}  // namespace fathom::tools::internal
