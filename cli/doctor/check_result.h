// CheckResult: one finding of `fathom doctor` (a check's verdict, a one-line summary, optional
// further lines, and the facts behind it as JSON). Plain value type.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/json.h"

namespace fathom::cli {

enum class CheckStatus { kOk, kWarn, kFail };

inline std::string_view CheckStatusName(CheckStatus status) {
  switch (status) {
    case CheckStatus::kOk:
      return "ok";
    case CheckStatus::kWarn:
      return "warn";
    case CheckStatus::kFail:
      return "fail";
  }
  return "unknown";
}

struct CheckResult {
  explicit CheckResult(std::string check_name, bool is_required = false)
      : name(std::move(check_name)), required(is_required) {}

  std::string name;  // "cpu", "sqlite", ...: the key in the JSON report
  CheckStatus status = CheckStatus::kOk;
  bool required;  // fathom's core cannot work when this check fails
  std::string summary;
  std::vector<std::string> details;         // further lines, e.g. one per grammar
  base::Json facts = base::Json::object();  // what was measured, for --json
};

}  // namespace fathom::cli
