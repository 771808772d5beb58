// Everything a forked child needs to become the command, prepared in the parent so the child only
// makes system calls: argv and envp as C arrays, the executable paths to try, resource limits, the
// seccomp program and (for the sandbox) the mount steps. Immutable once built; the child reads it
// from its copy of the parent's memory.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sandbox/environment.h"
#include "sandbox/linux/mount_plan.h"
#include "sandbox/linux/seccomp_filter.h"

namespace fathom::sandbox::linux {

// A null-terminated char* array over owned strings, as execve(2) wants.
class CStringArray {
 public:
  explicit CStringArray(std::vector<std::string> strings);
  CStringArray(const CStringArray&) = delete;
  CStringArray& operator=(const CStringArray&) = delete;

  char* const* data() const { return pointers_.data(); }
  const std::vector<std::string>& strings() const { return strings_; }

 private:
  std::vector<std::string> strings_;
  std::vector<char*> pointers_;
};

struct ProcessLimits {
  uint64_t cpu_time_seconds = 0;  // RLIMIT_CPU (soft; the hard limit is one second more)
  uint64_t file_size_bytes = 0;   // RLIMIT_FSIZE; SIGXFSZ is ignored so writes fail with EFBIG
  uint64_t open_files = 0;        // RLIMIT_NOFILE
};

struct LaunchPlan {
  LaunchPlan(std::vector<std::string> argv, const Environment& environment);

  CStringArray argv;
  CStringArray envp;
  // Where execve is tried, in order: argv[0] itself when it holds a '/', otherwise each PATH
  // directory of `environment` joined with it (as execvp does).
  std::vector<std::string> executable_candidates;
  std::string working_directory;
  ProcessLimits limits;
  // Sandbox only (empty/unset for an unsandboxed run):
  std::string uid_map;  // "<euid> <euid> 1": the caller's ids, one to one
  std::string gid_map;
  std::vector<std::string> cgroup_procs_files;  // the run cgroup's cgroup.procs, one per hierarchy
  std::vector<MountStep> mounts;
  std::vector<std::string> mount_descriptions;  // MountStep::Describe() of each, for errors
  std::string hostname;
  std::optional<SeccompProgram> seccomp;
  int last_capability = 0;  // /proc/sys/kernel/cap_last_cap
  // The sandbox's init (sandbox_init.h), executed at the end of the setup with these arguments.
  std::string init_program;
  std::unique_ptr<CStringArray> init_argv;
  // Network on: the host's network namespace instead of a new one with nothing but a loopback
  // device that is down.
  bool share_host_network = false;
};

}  // namespace fathom::sandbox::linux
