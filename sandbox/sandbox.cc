// Sandbox::Run: resolve the policy, build the launch plan, start the command (sandboxed or not),
// monitor it, then make sure nothing of it is left and describe how it ended.
#include "sandbox/sandbox.h"

#include <signal.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <memory>
#include <set>

#include "base/log.h"
#include "sandbox/environment.h"
#include "sandbox/linux/init_report.h"
#include "sandbox/linux/launcher.h"
#include "sandbox/linux/run_cgroup.h"
#include "sandbox/nested_repositories.h"
#include "sandbox/policy_validation.h"
#include "sandbox/system_files.h"

extern char** environ;

namespace fathom::sandbox {

namespace {

namespace fs = std::filesystem;

constexpr char kHostname[] = "fathom-sandbox";
constexpr char kInitName[] = "fathom-sandbox-init";

// Unique per run; the random part keeps a later process with a recycled pid from colliding with
// the directories of one that was killed before it could remove them.
std::string CgroupName() {
  static std::atomic<uint64_t> counter{0};
  uint64_t random = 0;
  if (getrandom(&random, sizeof(random), 0) != sizeof(random)) random = 0;
  char suffix[17];
  std::snprintf(suffix, sizeof(suffix), "%016llx", static_cast<unsigned long long>(random));
  return "fathom-" + std::to_string(getpid()) + "-" + std::to_string(counter++) + "-" + suffix;
}

bool Exists(const fs::path& path) {
  struct stat info {};
  return lstat(path.c_str(), &info) == 0;
}

// `policy` plus the hooks and config of every repository nested in a writable root (its .git
// entries go to `nested`).
SandboxPolicy WithNestedRepositories(SandboxPolicy policy, std::set<fs::path>& nested) {
  for (const fs::path& root : policy.writable_roots) {
    for (const fs::path& git : FindNestedGitEntries(root)) {
      nested.insert(git);
      for (const char* part : {"hooks", "config"}) {
        policy.protected_subpaths.push_back(git.lexically_relative(root) / part);
      }
    }
  }
  return policy;
}

// The .git entries below the writable roots that were not there before the run.
std::vector<fs::path> NewNestedRepositories(const SandboxPolicy& policy,
                                            const std::set<fs::path>& before) {
  std::vector<fs::path> created;
  for (const fs::path& root : policy.writable_roots) {
    for (const fs::path& git : FindNestedGitEntries(root)) {
      if (!before.contains(git)) created.push_back(git);
    }
  }
  return created;
}

std::vector<fs::path> MissingProtectedPaths(const ResolvedPolicy& resolved) {
  std::vector<fs::path> missing;
  for (const ProtectedPath& path : resolved.protected_paths) {
    if (!path.exists) missing.push_back(path.path);
  }
  return missing;
}

base::Result<fs::path> WorkingDirectory(const CommandRequest& request,
                                        const SandboxPolicy& policy) {
  if (request.working_directory.empty()) return policy.writable_roots.front();
  if (!request.working_directory.is_absolute()) {
    return base::InvalidArgumentError("working directory must be absolute: " +
                                      request.working_directory.string());
  }
  return request.working_directory;
}

base::Status CheckRequest(const CommandRequest& request) {
  if (request.argv.empty() || request.argv[0].empty()) {
    return base::InvalidArgumentError("no command to run");
  }
  return base::Ok();
}

linux::ProcessLimits ProcessLimitsOf(const SandboxLimits& limits) {
  return {limits.cpu_time_seconds, limits.file_size_bytes, limits.open_files};
}

MonitorOptions MonitorOptionsOf(const CommandRequest& request, const SandboxLimits& limits) {
  MonitorOptions options;
  options.wall_time = std::chrono::milliseconds(limits.wall_time_ms);
  options.stdout_limit = limits.output_bytes / 2;
  options.stderr_limit = limits.output_bytes - options.stdout_limit;
  options.on_output = request.on_output;
  options.stop = request.stop;
  return options;
}

// fathom-sandbox-init: beside the running executable (an installed fathom), else where this
// build put it.
base::Result<fs::path> FindInitProgram() {
  std::error_code error;
  const fs::path beside = fs::read_symlink("/proc/self/exe", error).parent_path() / kInitName;
  if (!error && access(beside.c_str(), X_OK) == 0) return beside;
  if (access(FATHOM_SANDBOX_INIT_PATH, X_OK) == 0) return fs::path(FATHOM_SANDBOX_INIT_PATH);
  return base::FailedPreconditionError(
      std::string("the sandbox cannot start, so the command did not run: its init program ") +
      kInitName + " is neither beside " + beside.parent_path().string() + " nor at " +
      FATHOM_SANDBOX_INIT_PATH);
}

std::string SignalName(int signal) {
  const char* abbreviation = sigabbrev_np(signal);
  return abbreviation == nullptr ? "signal " + std::to_string(signal)
                                 : std::string("SIG") + abbreviation;
}

// Fills the result's exit fields and captures from the monitor and the init's report.
CommandResult Describe(const MonitorOutcome& outcome, const linux::InitReport& report,
                       Isolation isolation) {
  CommandResult result;
  result.isolation = isolation;
  result.timed_out = outcome.timed_out;
  result.cancelled = outcome.cancelled;
  result.wall_time = outcome.wall_time;
  int code = outcome.wait_code;
  int status = outcome.wait_status;
  if (report.wait_status.has_value()) {  // the sandbox's init saw the command itself end
    code = WIFEXITED(*report.wait_status) ? CLD_EXITED : CLD_KILLED;
    status = WIFEXITED(*report.wait_status) ? WEXITSTATUS(*report.wait_status)
                                            : WTERMSIG(*report.wait_status);
  } else if (isolation == Isolation::kSandboxed && code == CLD_EXITED) {
    code = CLD_KILLED;  // the init exited without seeing the command end: it was killed
    status = SIGKILL;
  }
  if (code == CLD_EXITED) {
    result.exit_code = status;
  } else {
    result.signal = status;
  }
  result.stdout_text = outcome.stdout_capture.Text();
  result.stderr_text = outcome.stderr_capture.Text();
  if (report.exec_error.has_value()) {
    result.exec_error = report.exec_error;
    result.stderr_text = "fathom: " + *report.exec_error + "\n";
  }
  result.stdout_bytes = outcome.stdout_capture.total_bytes();
  result.stderr_bytes = outcome.stderr_capture.total_bytes();
  result.output_truncated =
      outcome.stdout_capture.truncated() || outcome.stderr_capture.truncated();
  return result;
}

}  // namespace

std::string CommandResult::Summary() const {
  std::string text = exit_code.has_value() ? "exited with " + std::to_string(*exit_code)
                                           : "killed by " + SignalName(signal.value_or(0));
  if (timed_out) text += ": wall-time limit reached";
  if (cancelled) text += ": cancelled";
  if (memory_limit_hit) text += ": memory limit reached (OOM kill)";
  return text;
}

Sandbox::Sandbox(SandboxPolicy policy, fs::path home, Isolation isolation,
                 std::optional<linux::SeccompProgram> seccomp, int last_capability,
                 fs::path init_program)
    : policy_(std::move(policy)),
      home_(std::move(home)),
      isolation_(isolation),
      seccomp_(std::move(seccomp)),
      last_capability_(last_capability),
      init_program_(std::move(init_program)) {}

base::Result<Sandbox> Sandbox::Create(SandboxPolicy policy, fs::path home, Isolation isolation) {
  FATHOM_ASSIGN_OR_RETURN(ResolvedPolicy resolved, ResolvePolicy(policy, home));
  if (isolation == Isolation::kUnsandboxed) {
    FATHOM_LOG(Warning) << "SANDBOX OFF (--sandbox=off): commands run with your full access to "
                           "this machine, its files, credentials and network; only the time, "
                           "file-size and open-file limits apply";
    return Sandbox(std::move(resolved.policy), std::move(home), isolation, std::nullopt, 0, {});
  }
  FATHOM_ASSIGN_OR_RETURN(
      linux::SeccompProgram seccomp,
      linux::SeccompProgram::Build({.allow_network = policy.network == NetworkAccess::kOn}));
  FATHOM_ASSIGN_OR_RETURN(fs::path init_program, FindInitProgram());
  const std::optional<int64_t> last_capability = ReadIntegerFile("/proc/sys/kernel/cap_last_cap");
  if (!last_capability.has_value()) {
    return base::FailedPreconditionError(
        "sandbox: cannot read /proc/sys/kernel/cap_last_cap, so capabilities cannot be dropped");
  }
  return Sandbox(std::move(resolved.policy), std::move(home), isolation, std::move(seccomp),
                 static_cast<int>(*last_capability), std::move(init_program));
}

base::Result<CommandResult> Sandbox::Run(const CommandRequest& request) const {
  FATHOM_TRY(CheckRequest(request));
  return isolation_ == Isolation::kSandboxed ? RunSandboxed(request) : RunUnsandboxed(request);
}

std::unique_ptr<linux::LaunchPlan> Sandbox::SandboxPlan(const CommandRequest& request,
                                                        const ResolvedPolicy& resolved,
                                                        const fs::path& working_directory,
                                                        const linux::RunCgroup& cgroup) const {
  Environment environment = EffectiveEnvironment(policy_, ParseEnvironment(environ));
  environment["TMPDIR"] = "/tmp";
  auto owned = std::make_unique<linux::LaunchPlan>(request.argv, environment);
  linux::LaunchPlan& plan = *owned;
  plan.working_directory = working_directory.string();
  plan.limits = ProcessLimitsOf(policy_.limits);
  plan.share_host_network = policy_.network == NetworkAccess::kOn;
  plan.mounts = linux::BuildMountPlan(resolved, {.tmp_size_bytes = policy_.limits.memory_bytes / 2,
                                                 .share_host_network = plan.share_host_network});
  for (const linux::MountStep& step : plan.mounts) {
    plan.mount_descriptions.push_back(step.Describe());
  }
  plan.hostname = kHostname;
  plan.seccomp = seccomp_;
  plan.last_capability = last_capability_;
  const std::string uid = std::to_string(geteuid());
  const std::string gid = std::to_string(getegid());
  plan.uid_map = uid + " " + uid + " 1\n";
  plan.gid_map = gid + " " + gid + " 1\n";
  for (const fs::path& directory : cgroup.directories()) {
    plan.cgroup_procs_files.push_back((directory / "cgroup.procs").string());
  }
  plan.init_program = init_program_.string();
  std::vector<std::string> init_argv = {init_program_.string(), std::to_string(last_capability_),
                                        "--"};
  init_argv.insert(init_argv.end(), request.argv.begin(), request.argv.end());
  plan.init_argv = std::make_unique<linux::CStringArray>(std::move(init_argv));
  return owned;
}

base::Result<CommandResult> Sandbox::RunSandboxed(const CommandRequest& request) const {
  std::set<fs::path> nested;
  FATHOM_ASSIGN_OR_RETURN(ResolvedPolicy resolved,
                          ResolvePolicy(WithNestedRepositories(policy_, nested), home_));
  FATHOM_ASSIGN_OR_RETURN(fs::path working_directory, WorkingDirectory(request, policy_));
  FATHOM_ASSIGN_OR_RETURN(
      linux::RunCgroup cgroup,
      linux::RunCgroup::Create(CgroupName(), {.memory_bytes = policy_.limits.memory_bytes,
                                              .max_processes = policy_.limits.max_processes}));
  const std::unique_ptr<linux::LaunchPlan> plan =
      SandboxPlan(request, resolved, working_directory, cgroup);
  const std::vector<fs::path> missing = MissingProtectedPaths(resolved);
  FATHOM_ASSIGN_OR_RETURN(linux::LaunchedProcess process,
                          linux::LaunchInSandbox(*plan, request.stdin_fd));
  const int pidfd = process.pidfd.get();
  MonitorOptions options = MonitorOptionsOf(request, policy_.limits);
  options.signal_tree = [pidfd](int signal) {
    syscall(SYS_pidfd_send_signal, pidfd, signal, nullptr, 0);
  };
  const MonitorOutcome outcome = MonitorProcess(std::move(process), options);
  cgroup.KillAll();
  const linux::InitReport report = linux::ParseReports(outcome.report);
  if (report.setup_error.has_value()) {
    return base::FailedPreconditionError("sandbox setup failed, so the command did not run: " +
                                         *report.setup_error);
  }
  const bool init_exited_silently = outcome.wait_code == CLD_EXITED &&
                                    !report.wait_status.has_value() &&
                                    !report.exec_error.has_value() && !outcome.timed_out &&
                                    !outcome.cancelled;
  if (init_exited_silently) {
    return base::InternalError("the sandbox's setup ended with exit code " +
                               std::to_string(outcome.wait_status) +
                               " before it could report; the command may not have run");
  }
  CommandResult result = Describe(outcome, report, isolation_);
  result.memory_limit_hit = cgroup.OomKills() > 0;
  for (const fs::path& path : missing) {
    if (Exists(path)) result.created_protected_paths.push_back(path);
  }
  for (fs::path& git : NewNestedRepositories(policy_, nested)) {
    result.created_protected_paths.push_back(std::move(git));
  }
  return result;
}

base::Result<CommandResult> Sandbox::RunUnsandboxed(const CommandRequest& request) const {
  Environment environment = ParseEnvironment(environ);
  linux::LaunchPlan plan(request.argv, environment);
  FATHOM_ASSIGN_OR_RETURN(fs::path working_directory, WorkingDirectory(request, policy_));
  plan.working_directory = working_directory.string();
  plan.limits = ProcessLimitsOf(policy_.limits);
  FATHOM_LOG(Warning) << "SANDBOX OFF: running " << request.argv[0] << " without isolation";
  FATHOM_ASSIGN_OR_RETURN(linux::LaunchedProcess process,
                          linux::LaunchOnHost(plan, request.stdin_fd));
  const pid_t group = process.pid;
  MonitorOptions options = MonitorOptionsOf(request, policy_.limits);
  options.signal_tree = [group](int signal) { kill(-group, signal); };
  const MonitorOutcome outcome = MonitorProcess(std::move(process), options);
  kill(-group, SIGKILL);
  const linux::InitReport report = linux::ParseReports(outcome.report);
  if (report.setup_error.has_value()) {
    return base::FailedPreconditionError("the command did not run: " + *report.setup_error);
  }
  return Describe(outcome, report, isolation_);
}

}  // namespace fathom::sandbox
