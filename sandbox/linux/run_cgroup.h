// RunCgroup: the cgroup of one sandboxed run, which limits its memory and process count and kills
// its whole process tree. Owns its cgroup directories (v2: one; v1: one in the memory and one in
// the pids hierarchy) and removes them when destroyed. Move-only; not thread-safe (one owner, the
// launcher, drives it).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace fathom::sandbox::linux {

struct RunCgroupLimits {
  uint64_t memory_bytes = 0;   // memory the run may use; swap cannot extend it
  uint64_t max_processes = 0;  // processes and threads alive at once
};

class RunCgroup {
 public:
  // Creates the cgroup `name` (one path component, e.g. "fathom-<pid>-<n>") under this process's
  // own cgroup and writes the limits. Where, as sandbox::FindRunCgroupParents decides: cgroup v2
  // when this process's v2 cgroup offers memory and pids (enabled in its cgroup.subtree_control
  // when they are not yet: memory.max, memory.swap.max = 0 when present, pids.max); otherwise the
  // v1 memory and pids hierarchies (memory.limit_in_bytes, memory.memsw.limit_in_bytes when
  // present, pids.max). Errors: FailedPrecondition naming the missing controllers when neither
  // works; AlreadyExists when a cgroup `name` exists already (it is left alone: names must be
  // unique per run); otherwise the failed system call with the file and errno. Nothing is left
  // behind on failure.
  static base::Result<RunCgroup> Create(std::string_view name, const RunCgroupLimits& limits);

  RunCgroup(RunCgroup&& other) noexcept;
  RunCgroup& operator=(RunCgroup&& other) noexcept;
  RunCgroup(const RunCgroup&) = delete;
  RunCgroup& operator=(const RunCgroup&) = delete;
  // KillAll(), then removes the directories (retrying briefly while the kernel tears down the
  // killed processes); failures are logged.
  ~RunCgroup();

  // Moves process `pid` (all its threads) into the cgroup: writes it to cgroup.procs of every
  // hierarchy used.
  base::Status AddProcess(pid_t pid);

  // SIGKILLs every process in the cgroup, including those forked meanwhile, and waits (up to about
  // a second) until none is left. v2 writes cgroup.kill when the kernel has it; otherwise, and on
  // v1, it signals the members of cgroup.procs round after round through pidfds (a pid is
  // signalled only while it is still listed, so a reused pid is never hit).
  void KillAll();

  // Whether no process is left in any hierarchy used (zombies do not count).
  bool Empty() const;

  // Processes the kernel's OOM killer killed in this cgroup: v2 memory.events "oom_kill"; v1
  // memory.oom_control "oom_kill", or 1 when that is absent and memory.failcnt is not 0.
  uint64_t OomKills() const;

  // The most memory the cgroup used: v1 memory.max_usage_in_bytes, v2 memory.peak (kernels 5.19+);
  // nullopt when the kernel does not report it.
  std::optional<uint64_t> PeakMemoryBytes() const;

  // "cgroup v2 /sys/fs/cgroup/a/run" or "cgroup v1 memory:/sys/fs/cgroup/memory/a/run
  // pids:/sys/fs/cgroup/pids/run".
  std::string Describe() const;

  // The cgroup directories: v2 one, v1 the memory one then the pids one; empty once moved from.
  const std::vector<std::filesystem::path>& directories() const { return directories_; }

 private:
  explicit RunCgroup(bool unified) : unified_(unified) {}

  const std::filesystem::path& memory_directory() const;  // checks it was not moved from
  base::Status WriteLimits(const RunCgroupLimits& limits) const;
  std::vector<pid_t> Members() const;
  void SignalStillListed(const std::vector<pid_t>& listed) const;
  void RemoveDirectories();

  bool unified_ = false;
  std::vector<std::filesystem::path> directories_;
};

}  // namespace fathom::sandbox::linux
