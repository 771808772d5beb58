#include "cli/doctor/report.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <string_view>

namespace fathom::cli {

namespace {

constexpr size_t kLineWidth = 100;
constexpr size_t kStatusWidth = 6;

// `text` broken into lines of at most `width` characters at spaces (a longer word stays whole).
std::vector<std::string> Wrap(std::string_view text, size_t width) {
  std::vector<std::string> lines(1);
  size_t position = 0;
  while (position < text.size()) {
    size_t end = text.find(' ', position);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view word = text.substr(position, end - position);
    if (!lines.back().empty() && lines.back().size() + 1 + word.size() > width)
      lines.emplace_back();
    if (!lines.back().empty()) lines.back() += ' ';
    lines.back() += word;
    position = end + 1;
  }
  return lines;
}

void WriteWrapped(std::string_view text, size_t indent, std::ostream& out) {
  const size_t width = kLineWidth > indent + 20 ? kLineWidth - indent : 20;
  for (const std::string& line : Wrap(text, width)) {
    out << std::string(indent, ' ') << line << '\n';
  }
}

}  // namespace

std::string FormatBytes(uint64_t bytes) {
  constexpr std::array<const char*, 5> kUnits = {"KiB", "MiB", "GiB", "TiB", "PiB"};
  if (bytes < 1024) return std::to_string(bytes) + " B";
  double value = static_cast<double>(bytes) / 1024;
  size_t unit = 0;
  while (value >= 1024 && unit + 1 < kUnits.size()) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof(text), "%.1f %s", value, kUnits[unit]);
  return text;
}

CheckStatus OverallStatus(std::span<const CheckResult> results) {
  CheckStatus worst = CheckStatus::kOk;
  for (const CheckResult& result : results) worst = std::max(worst, result.status);
  return worst;
}

bool RequiredChecksPassed(std::span<const CheckResult> results) {
  return std::none_of(results.begin(), results.end(), [](const CheckResult& result) {
    return result.required && result.status == CheckStatus::kFail;
  });
}

void RenderTable(std::span<const CheckResult> results, std::ostream& out) {
  size_t name_width = std::string_view("CHECK").size();
  for (const CheckResult& result : results) name_width = std::max(name_width, result.name.size());
  const size_t summary_column = name_width + 2 + kStatusWidth + 2;
  auto pad = [](std::string_view text, size_t width) {
    return std::string(text) + std::string(width - text.size() + 2, ' ');
  };
  out << pad("CHECK", name_width) << pad("STATUS", kStatusWidth) << "DETAIL\n";
  for (const CheckResult& result : results) {
    out << pad(result.name, name_width) << pad(CheckStatusName(result.status), kStatusWidth);
    std::vector<std::string> lines = Wrap(result.summary, kLineWidth - summary_column);
    out << lines.front() << '\n';
    for (size_t i = 1; i < lines.size(); ++i) {
      out << std::string(summary_column, ' ') << lines[i] << '\n';
    }
    for (const std::string& detail : result.details) {
      WriteWrapped(detail, summary_column + 2, out);
    }
  }
  out << "\noverall: " << CheckStatusName(OverallStatus(results))
      << (RequiredChecksPassed(results) ? "" : " (a check fathom's core needs failed)") << '\n';
}

base::Json RenderJson(std::span<const CheckResult> results) {
  base::Json checks = base::Json::object();
  for (const CheckResult& result : results) {
    base::Json check = result.facts;
    check["status"] = CheckStatusName(result.status);
    check["required"] = result.required;
    check["summary"] = result.summary;
    check["details"] = result.details;
    checks[result.name] = std::move(check);
  }
  return base::Json{
      {"status", CheckStatusName(OverallStatus(results))},
      {"required_checks_passed", RequiredChecksPassed(results)},
      {"checks", std::move(checks)},
  };
}

}  // namespace fathom::cli
