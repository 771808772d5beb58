// parse_log_redis (official c.py, also used for valkey): the Tcl runner's result lines,
// "[ok]: SET and GET (2 ms)", "[err]: PING in tests/unit/ping.tcl", "[skip]: ..." and
// "[ignore]: ...". Ports `^\[(ok|err|skip|ignore)\]:\s(.+?)(?:\s\((\d+\s*m?s)\))?$` on the
// stripped line, then for [err] re.sub(r"\s+in\s+\S+$", "", name).
#include <array>
#include <utility>

#include "tools/test_log/framework_parsers.h"
#include "tools/test_log/python_text.h"

namespace fathom::tools::internal {

namespace {

// Whether `text` is `\d+\s*m?s`: a duration such as "12 ms", "3ms" or "1 s".
bool IsDuration(std::string_view text) {
  size_t offset = 0;
  while (offset < text.size() && text[offset] >= '0' && text[offset] <= '9') ++offset;
  if (offset == 0) return false;
  offset = SkipSpaces(text, offset);
  const std::string_view unit = text.substr(offset);
  return unit == "ms" || unit == "s";
}

// `rest` (the text after the status and one space) without a trailing " (12 ms)". The lazy name
// stops at the only place the optional group can match: the space before the last "(", when the
// parentheses hold a duration and at least one character precedes the space.
std::string_view WithoutDuration(std::string_view rest) {
  if (!rest.ends_with(')')) return rest;
  const size_t open = rest.rfind('(');
  if (open == std::string_view::npos) return rest;
  const size_t space = SpaceLengthBefore(rest, open);
  if (space == 0 || open - space == 0) return rest;
  if (!IsDuration(rest.substr(open + 1, rest.size() - open - 2))) return rest;
  return rest.substr(0, open - space);
}

// re.sub(r"\s+in\s+\S+$", "", name): drops a trailing " in tests/unit/file.tcl".
std::string_view WithoutFileSuffix(std::string_view name) {
  // The last token, then whitespace, "in" and whitespace before it.
  size_t end = name.size();
  while (end > 0 && SpaceLengthBefore(name, end) == 0) --end;
  if (end == name.size()) return name;  // `\S+` needs a last token
  size_t in_end = end;
  while (size_t length = SpaceLengthBefore(name, in_end)) in_end -= length;
  if (in_end == end || in_end < 2 || name.substr(in_end - 2, 2) != "in") return name;
  size_t start = in_end - 2;
  if (SpaceLengthBefore(name, start) == 0) return name;
  while (size_t length = SpaceLengthBefore(name, start)) start -= length;
  return name.substr(0, start);
}

constexpr std::array<std::pair<std::string_view, TestStatus>, 4> kMarkers = {{
    {"[ok]:", TestStatus::kPassed},
    {"[err]:", TestStatus::kFailed},
    {"[skip]:", TestStatus::kSkipped},
    {"[ignore]:", TestStatus::kSkipped},
}};

}  // namespace

TestStatusMap ParseRedisLog(std::string_view log) {
  TestStatusMap statuses;
  ForEachLine(log, [&](std::string_view raw_line) {
    const std::string_view line = Strip(raw_line);
    for (const auto& [marker, status] : kMarkers) {
      if (!line.starts_with(marker)) continue;
      const size_t space = SpaceLengthAt(line, marker.size());
      if (space == 0 || marker.size() + space == line.size()) return;
      std::string_view name = WithoutDuration(line.substr(marker.size() + space));
      if (status == TestStatus::kFailed) name = WithoutFileSuffix(name);
      SetStatus(statuses, name, status);
      return;
    }
  });
  return statuses;
}

}  // namespace fathom::tools::internal
