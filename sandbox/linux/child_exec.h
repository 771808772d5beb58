// The last steps of every launched child, sandboxed or not: default signal dispositions, resource
// limits, dropping capabilities, and execve over the plan's candidates. Async-signal-safe (system
// calls only), for a child forked from a multi-threaded parent.
#pragma once

#include "sandbox/linux/launch_plan.h"

namespace fathom::sandbox::linux {

// The report pipe's descriptor number in every launched child (0-2 are stdio).
inline constexpr int kReportDescriptor = 3;

// Moves `sources[i]` to descriptor i for each of the `count` sources, none close-on-exec, and
// closes every other descriptor. `above` must exceed every source. Returns 0 or an errno.
int ArrangeDescriptors(const int* sources, int count, int above) noexcept;

// Every signal back to its default and unblocked; SIGXFSZ ignored (see ProcessLimits).
void ResetSignals() noexcept;

// RLIMIT_CPU, RLIMIT_FSIZE, RLIMIT_NOFILE from the plan, RLIMIT_CORE 0. Returns 0 or an errno.
int ApplyLimits(const ProcessLimits& limits) noexcept;

// Clears ambient, bounding, inheritable, permitted and effective capabilities and locks the
// securebits so that running as uid 0 or a setuid binary cannot bring them back. Returns 0 or an
// errno.
int DropCapabilities(int last_capability) noexcept;

// Tries each candidate with execve; when all fail, reports the most telling errno on `report_fd`
// and exits 127 (126 when the program exists but cannot be run).
[[noreturn]] void ExecCommand(const LaunchPlan& plan, int report_fd) noexcept;

}  // namespace fathom::sandbox::linux
