// Starts a command from a LaunchPlan: in the sandbox (new user, mount, pid, network, ipc and uts
// namespaces; sandbox_setup.h, then the init of sandbox_init.h), or directly on the host for the
// explicit --sandbox=off mode. Returns the pidfd and the read ends of the output and report pipes.
// Thread-safe; the parent-death signal is tied to the calling thread, which must outlive the run.
#pragma once

#include <sys/types.h>

#include "base/file.h"
#include "base/result.h"
#include "sandbox/linux/launch_plan.h"

namespace fathom::sandbox::linux {

struct LaunchedProcess {
  pid_t pid = -1;  // in fathom's pid namespace
  base::UniqueFd pidfd;
  base::UniqueFd stdout_read;
  base::UniqueFd stderr_read;
  base::UniqueFd report_read;  // init_report.h records; EOF once every writer is gone
};

// `stdin_fd` is passed as the command's stdin (the caller keeps ownership); -1 means /dev/null.
// Fails closed: when the kernel refuses a namespace, the error names what is missing and says
// that the command did not run.
// The plan's cgroup_procs_files name the run's cgroup, which the child joins before anything else.
base::Result<LaunchedProcess> LaunchInSandbox(const LaunchPlan& plan, int stdin_fd);

// The command as the caller's own process (new session, rlimits), without any isolation.
base::Result<LaunchedProcess> LaunchOnHost(const LaunchPlan& plan, int stdin_fd);

}  // namespace fathom::sandbox::linux
