// The progress display of `fathom eval`: on a terminal, one line redrawn in place (bar, counts by
// status, ETA from the instances graded so far); otherwise one plain line per finished instance,
// which is what CI logs want.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

#include "evals/runner.h"

namespace fathom::cli {

class ProgressLine {
 public:
  explicit ProgressLine(std::FILE* out);

  // Called after each instance (from the runner's callback, one call at a time).
  void Update(const evals::RunProgress& progress);
  // Ends the in-place line, if one is drawn.
  void Finish();

 private:
  std::FILE* out_;
  bool terminal_;
  std::chrono::steady_clock::time_point started_;
  size_t graded_ = 0;  // graded in this process (not taken from the run state)
  size_t resolved_ = 0;
  size_t unresolved_ = 0;
  size_t empty_ = 0;
  size_t errors_ = 0;
};

// "1h02m", "3m05s", "12s".
std::string FormatDuration(std::chrono::seconds duration);

}  // namespace fathom::cli
