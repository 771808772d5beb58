// The report pipe between a launched command's first process and fathom: fixed-size records, each
// written with one write(2) (atomic on a pipe), saying that setup failed, that exec failed, or how
// the command ended. Writing is async-signal-safe (for forked children); reading is plain parsing.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace fathom::sandbox::linux {

enum class ReportKind : char {
  kSetupFailed = 'E',  // value: errno; text: the step that failed
  kExecFailed = 'X',   // value: errno; text: the program
  kExited = 'S',       // value: the command's wait status
};

// Writes one record to `fd`; `text` is cut to fit. Only system calls: safe after fork.
void WriteReport(int fd, ReportKind kind, int value, const char* text) noexcept;

// What the records read back say; a field is set by the last record of its kind.
struct InitReport {
  std::optional<std::string> setup_error;  // "mount proc on /newroot/proc: Operation not permitted"
  std::optional<std::string> exec_error;   // "cannot run 'foo': No such file or directory"
  std::optional<int> exec_errno;
  std::optional<int> wait_status;  // as waitpid(2) reports it
};

// Parses everything read from the pipe; a trailing partial record is ignored.
InitReport ParseReports(std::string_view bytes);

}  // namespace fathom::sandbox::linux
