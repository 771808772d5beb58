// Watches one launched command to its end on a Boost.Asio event loop: reads stdout, stderr and the
// report pipe as data arrives (head-and-tail capture, optional live callback), waits on the pidfd,
// and enforces the wall-time limit and cancellation (SIGTERM to the whole tree, then SIGKILL after
// a grace period). Blocks the calling thread; one call per process.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <stop_token>
#include <string>
#include <string_view>

#include "sandbox/linux/launcher.h"
#include "sandbox/output_capture.h"

namespace fathom::sandbox {

enum class OutputStream { kStdout, kStderr };

// Receives output as it arrives, on the thread that runs the command.
using OutputCallback = std::function<void(OutputStream, std::string_view)>;

struct MonitorOptions {
  std::chrono::milliseconds wall_time{0};
  std::chrono::milliseconds termination_grace{1000};  // between SIGTERM and SIGKILL
  // How long output may still be read after the command's first process ended (descendants that
  // keep the pipes open are then killed with `signal_tree`).
  std::chrono::milliseconds drain_time{2000};
  uint64_t stdout_limit = 0;
  uint64_t stderr_limit = 0;
  OutputCallback on_output;
  std::stop_token stop;
  // Sends a signal to every process of the command.
  std::function<void(int signal)> signal_tree;
};

struct MonitorOutcome {
  explicit MonitorOutcome(const MonitorOptions& options)
      : stdout_capture(options.stdout_limit), stderr_capture(options.stderr_limit) {}

  int wait_code = 0;    // siginfo si_code of the first process: CLD_EXITED, CLD_KILLED, ...
  int wait_status = 0;  // its si_status: the exit code or the signal
  bool timed_out = false;
  bool cancelled = false;
  HeadTailBuffer stdout_capture;
  HeadTailBuffer stderr_capture;
  std::string report;  // raw bytes of the report pipe
  std::chrono::milliseconds wall_time{0};
};

MonitorOutcome MonitorProcess(linux::LaunchedProcess process, const MonitorOptions& options);

}  // namespace fathom::sandbox
