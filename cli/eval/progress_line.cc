#include "cli/eval/progress_line.h"

#include <unistd.h>

namespace fathom::cli {

std::string FormatDuration(std::chrono::seconds duration) {
  const long long total = duration.count();
  char text[32];
  if (total >= 3600) {
    std::snprintf(text, sizeof text, "%lldh%02lldm", total / 3600, total % 3600 / 60);
  } else if (total >= 60) {
    std::snprintf(text, sizeof text, "%lldm%02llds", total / 60, total % 60);
  } else {
    std::snprintf(text, sizeof text, "%llds", total);
  }
  return text;
}

ProgressLine::ProgressLine(std::FILE* out)
    : out_(out), terminal_(isatty(fileno(out)) != 0), started_(std::chrono::steady_clock::now()) {}

void ProgressLine::Update(const evals::RunProgress& progress) {
  const evals::InstanceOutcome& outcome = *progress.outcome;
  switch (outcome.status) {
    case evals::InstanceStatus::kResolved:
      ++resolved_;
      break;
    case evals::InstanceStatus::kUnresolved:
      ++unresolved_;
      break;
    case evals::InstanceStatus::kEmptyPatch:
      ++empty_;
      break;
    case evals::InstanceStatus::kError:
      ++errors_;
      break;
  }
  if (!progress.reused) ++graded_;
  const auto elapsed =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_);
  std::string eta = "?";
  if (graded_ > 0) {
    const size_t remaining = progress.total - progress.done;
    eta = FormatDuration(std::chrono::seconds(elapsed.count() * static_cast<long long>(remaining) /
                                              static_cast<long long>(graded_)));
  }
  const std::string status(evals::InstanceStatusName(outcome.status));
  if (!terminal_) {
    std::fprintf(out_, "[%zu/%zu] %s %s%s (%.1f s)%s%s\n", progress.done, progress.total,
                 outcome.instance_id.c_str(), status.c_str(), progress.reused ? " (recorded)" : "",
                 static_cast<double>(outcome.total_time.count()) / 1000.0,
                 outcome.error.empty() ? "" : ": ", outcome.error.c_str());
    std::fflush(out_);
    return;
  }
  constexpr int kWidth = 24;
  const int filled = static_cast<int>(kWidth * progress.done / std::max<size_t>(progress.total, 1));
  std::string bar(static_cast<size_t>(filled), '=');
  bar.resize(kWidth, ' ');
  std::fprintf(out_,
               "\r\033[K[%s] %zu/%zu  resolved %zu  unresolved %zu  empty %zu  error %zu  "
               "elapsed %s  ETA %s  last: %s %s",
               bar.c_str(), progress.done, progress.total, resolved_, unresolved_, empty_, errors_,
               FormatDuration(elapsed).c_str(), eta.c_str(), outcome.instance_id.c_str(),
               status.c_str());
  std::fflush(out_);
}

void ProgressLine::Finish() {
  if (terminal_) std::fprintf(out_, "\n");
}

}  // namespace fathom::cli
