// Rendering of `fathom doctor` results: an aligned text table for people and a JSON object for
// tools, both built from the same CheckResults. Stateless functions, thread-safe.
#pragma once

#include <cstdint>
#include <ostream>
#include <span>
#include <string>

#include "base/json.h"
#include "cli/doctor/check_result.h"

namespace fathom::cli {

// "1.5 GiB", "512.0 MiB", "100 B".
std::string FormatBytes(uint64_t bytes);

// The worst status among `results`.
CheckStatus OverallStatus(std::span<const CheckResult> results);

// True when no required check failed.
bool RequiredChecksPassed(std::span<const CheckResult> results);

// One row per check (name, status, summary), further lines indented under the summary; long
// lines are wrapped at word boundaries.
void RenderTable(std::span<const CheckResult> results, std::ostream& out);

// {"status": ..., "required_checks_passed": ..., "checks": {name: {status, required, summary,
// details, ...facts}}}.
base::Json RenderJson(std::span<const CheckResult> results);

}  // namespace fathom::cli
