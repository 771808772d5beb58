// The sandbox's first process (pid 1 of its pid namespace): waits for the parent's go-ahead, builds
// the root filesystem from the plan's mount steps, pivots into it, then forks the command (which
// drops capabilities, installs the seccomp filter and execs) and reaps until the command exits.
// Its exit kills everything left in the namespace. System calls only: it runs in a child cloned
// from a multi-threaded parent.
#pragma once

#include <cstdint>

#include "sandbox/linux/launch_plan.h"

namespace fathom::sandbox::linux {

// The descriptors the init starts with (numbers in the parent's table, inherited by the clone).
struct InitDescriptors {
  int go = -1;  // read end: one byte once the parent has written the id maps and the cgroup
  int stdin_fd = -1;
  int stdout_fd = -1;
  int stderr_fd = -1;
  int report = -1;  // write end of the report pipe (init_report.h)
};

// The address ranges of the parent's command line and environment strings, which the init's copy
// of the parent's memory still holds: /proc/1/cmdline of the init has no access check, so the init
// overwrites them before the command starts.
struct ProcessStrings {
  uintptr_t arg_start = 0;
  uintptr_t arg_end = 0;
  uintptr_t env_start = 0;
  uintptr_t env_end = 0;
};

// The report pipe's descriptor number inside the sandbox (0-2 are stdio); every other inherited
// descriptor is closed.
inline constexpr int kReportDescriptor = 3;

// Moves `descriptors` to 0, 1, 2 and kReportDescriptor and closes every other descriptor.
// `above` must exceed every number in `descriptors`. Returns 0 or an errno.
int ArrangeDescriptors(const InitDescriptors& descriptors, int above) noexcept;

[[noreturn]] void RunSandboxInit(const LaunchPlan& plan, const InitDescriptors& descriptors,
                                 int above, const ProcessStrings& strings) noexcept;

}  // namespace fathom::sandbox::linux
