// Sandbox: runs commands under a SandboxPolicy and reports how they ended. Each Run re-checks the
// policy against the filesystem, starts the command in fresh namespaces and its own cgroup (see
// sandbox/linux/), captures its output, enforces the limits and kills the whole process tree at
// the end. kUnsandboxed exists only for the host-side --sandbox=off option: it keeps the limits
// and output capture, has no isolation, and says so loudly. Run is thread-safe and blocking.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "base/result.h"
#include "sandbox/linux/launch_plan.h"
#include "sandbox/linux/run_cgroup.h"
#include "sandbox/linux/seccomp_filter.h"
#include "sandbox/policy.h"
#include "sandbox/policy_validation.h"
#include "sandbox/process_monitor.h"

namespace fathom::sandbox {

enum class Isolation { kSandboxed, kUnsandboxed };

struct CommandRequest {
  std::vector<std::string> argv;  // argv[0] is looked up in the sandbox's PATH
  // Absolute; empty means the policy's first writable root.
  std::filesystem::path working_directory;
  int stdin_fd = -1;  // the command's stdin (not taken over); -1 means /dev/null
  OutputCallback on_output;
  std::stop_token stop;  // a stop request kills the command's whole tree
};

struct CommandResult {
  Isolation isolation = Isolation::kSandboxed;
  std::optional<int> exit_code;   // set when the command exited
  std::optional<int> signal;      // set when a signal ended it
  bool timed_out = false;         // the wall-time limit ran out
  bool cancelled = false;         // the request's stop token fired
  bool memory_limit_hit = false;  // the kernel OOM-killed a process of the run
  // Head and tail of each stream, with a marker where the middle was cut.
  std::string stdout_text;
  std::string stderr_text;
  uint64_t stdout_bytes = 0;  // everything the command wrote, kept or not
  uint64_t stderr_bytes = 0;
  bool output_truncated = false;
  // Set when the program could not be executed ("cannot run 'x': No such file or directory");
  // stderr_text then holds that message, and the exit code is 127 or 126 as in a shell.
  std::optional<std::string> exec_error;
  std::chrono::milliseconds wall_time{0};
  // Protected paths that did not exist before the run and do now (a `git init`, a new
  // .vscode/), and .git entries of repositories newly nested in the workspace: the host must not
  // trust them.
  std::vector<std::filesystem::path> created_protected_paths;

  // "exited with 0", "killed by SIGKILL: wall-time limit of 10 s", ...
  std::string Summary() const;
};

class Sandbox {
 public:
  // Validates `policy` for the user whose home is `home` (ResolvePolicy) and prepares what every
  // run shares (the seccomp program). kUnsandboxed logs a warning.
  static base::Result<Sandbox> Create(SandboxPolicy policy, std::filesystem::path home,
                                      Isolation isolation = Isolation::kSandboxed);

  // Runs one command to completion. An error means the command did not run (bad request, a
  // sandbox mechanism missing, setup refused); a command that ran, however it ended, is a result.
  base::Result<CommandResult> Run(const CommandRequest& request) const;

  const SandboxPolicy& policy() const { return policy_; }
  Isolation isolation() const { return isolation_; }

 private:
  Sandbox(SandboxPolicy policy, std::filesystem::path home, Isolation isolation,
          std::optional<linux::SeccompProgram> seccomp, int last_capability,
          std::filesystem::path init_program);

  std::unique_ptr<linux::LaunchPlan> SandboxPlan(const CommandRequest& request,
                                                 const ResolvedPolicy& resolved,
                                                 const std::filesystem::path& working_directory,
                                                 const linux::RunCgroup& cgroup) const;

  base::Result<CommandResult> RunSandboxed(const CommandRequest& request) const;
  base::Result<CommandResult> RunUnsandboxed(const CommandRequest& request) const;

  SandboxPolicy policy_;
  std::filesystem::path home_;
  Isolation isolation_;
  std::optional<linux::SeccompProgram> seccomp_;  // kSandboxed only
  int last_capability_ = 0;
  std::filesystem::path init_program_;  // fathom-sandbox-init, kSandboxed only
};

}  // namespace fathom::sandbox
