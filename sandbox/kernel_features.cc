#include "sandbox/kernel_features.h"

#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "sandbox/system_files.h"

namespace fathom::sandbox {

namespace {

// A probe child's exit code: 0 for success, an errno value for a failed call, or kNotEnforced
// when every call succeeded but had no effect. An Error when it could not be run or was killed.
using ChildOutcome = base::Result<int>;

constexpr int kNotEnforced = 255;

// Runs `body` in a forked child and returns its exit code. The child calls only system calls
// (and, for seccomp, libseccomp's loader) before _exit, so the parent's threads cannot deadlock it.
template <typename Body>
ChildOutcome RunInChild(Body body) {
  const pid_t pid = fork();
  if (pid < 0) return base::ErrnoError("fork", errno);
  if (pid == 0) _exit(body());
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return base::ErrnoError("waitpid", errno);
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  const int signal = WTERMSIG(status);
  return base::InternalError("the probe child was killed by signal " + std::to_string(signal) +
                             " (" + strsignal(signal) + ")");
}

// Why a failed child failed, for a detail message: "unshare(...): Operation not permitted".
std::string DescribeFailure(std::string_view call, const ChildOutcome& outcome) {
  if (!outcome.ok()) return std::string(call) + ": " + outcome.error().message();
  if (*outcome == kNotEnforced) return std::string(call) + " succeeded but had no effect";
  return std::string(call) + ": " + strerror(*outcome);
}

bool Succeeded(const ChildOutcome& outcome) { return outcome.ok() && *outcome == 0; }

ChildOutcome UnshareInChild(int flags) {
  return RunInChild([flags] { return unshare(flags) == 0 ? 0 : errno; });
}

// Known reasons a kernel refuses unprivileged user namespaces, from its sysctls.
std::string UserNamespaceHints(const UserNamespaceSupport& support) {
  std::string hints;
  if (support.unprivileged_userns_clone == 0) hints += "; kernel.unprivileged_userns_clone is 0";
  if (support.max_user_namespaces == 0) hints += "; user.max_user_namespaces is 0";
  if (support.apparmor_restrict_unprivileged_userns == 1) {
    hints += "; kernel.apparmor_restrict_unprivileged_userns is 1";
  }
  return hints;
}

// Actions a sandbox filter returns; a kernel lacking one cannot enforce fathom's policy.
constexpr std::string_view kRequiredSeccompActions[] = {"allow", "errno", "kill_process"};

// The errno the probe filter makes getppid() fail with; getppid() itself never fails.
constexpr int kSeccompProbeErrno = ESRCH;

struct SeccompContextDeleter {
  void operator()(void* context) const { seccomp_release(context); }
};
using SeccompContext = std::unique_ptr<void, SeccompContextDeleter>;

// Installs, in a child, a filter that makes getppid() fail, and checks that it does.
std::string TrySeccompFilter() {
  SeccompContext context(seccomp_init(SCMP_ACT_ALLOW));
  if (context == nullptr) return "seccomp_init failed";
  int result = seccomp_attr_set(context.get(), SCMP_FLTATR_API_SYSRAWRC, 1);
  if (result == 0) {
    result =
        seccomp_rule_add(context.get(), SCMP_ACT_ERRNO(kSeccompProbeErrno), SCMP_SYS(getppid), 0);
  }
  if (result != 0) return std::string("building the probe filter: ") + strerror(-result);
  const ChildOutcome outcome = RunInChild([&context] {
    const int load_result = seccomp_load(context.get());
    if (load_result != 0) return -load_result;
    const long parent = syscall(SYS_getppid);
    return parent == -1 && errno == kSeccompProbeErrno ? 0 : kNotEnforced;
  });
  if (Succeeded(outcome)) return "";
  return DescribeFailure("seccomp_load", outcome);
}

}  // namespace

UserNamespaceSupport ProbeUserNamespaces() {
  UserNamespaceSupport support;
  support.unprivileged_userns_clone = ReadIntegerFile("/proc/sys/kernel/unprivileged_userns_clone");
  support.max_user_namespaces = ReadIntegerFile("/proc/sys/user/max_user_namespaces");
  support.apparmor_restrict_unprivileged_userns =
      ReadIntegerFile("/proc/sys/kernel/apparmor_restrict_unprivileged_userns");
  constexpr std::string_view kCall = "unshare(CLONE_NEWUSER|CLONE_NEWNS|CLONE_NEWPID|CLONE_NEWNET)";
  const ChildOutcome outcome =
      UnshareInChild(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET);
  const std::string uid = " (uid " + std::to_string(getuid()) + ")";
  if (Succeeded(outcome)) {
    support.available = true;
    support.detail = std::string(kCall) + " works in a child process" + uid;
    return support;
  }
  support.detail = DescribeFailure(kCall, outcome) + uid;
  if (outcome.ok() && Succeeded(UnshareInChild(CLONE_NEWUSER))) {
    support.detail +=
        "; a user namespace alone works, so mount, pid or network namespaces are "
        "refused inside it";
  }
  support.detail += UserNamespaceHints(support);
  return support;
}

SeccompSupport ProbeSeccomp() {
  SeccompSupport support;
  support.mode = prctl(PR_GET_SECCOMP, 0, 0, 0, 0);
  if (support.mode < 0) {
    support.detail = std::string("prctl(PR_GET_SECCOMP): ") + strerror(errno) +
                     " (kernel built without CONFIG_SECCOMP?)";
    return support;
  }
  base::Result<std::string> actions = ReadTrimmedFile("/proc/sys/kernel/seccomp/actions_avail");
  if (!actions.ok()) {
    support.detail = "no seccomp filter support: " + actions.error().message();
    return support;
  }
  support.actions = SplitWords(*actions);
  std::vector<std::string> missing;
  for (std::string_view action : kRequiredSeccompActions) {
    if (std::find(support.actions.begin(), support.actions.end(), action) ==
        support.actions.end()) {
      missing.emplace_back(action);
    }
  }
  if (!missing.empty()) {
    support.detail = "the kernel lacks seccomp actions: " + JoinOrNone(missing);
    return support;
  }
  const std::string failure = TrySeccompFilter();
  support.available = failure.empty();
  support.detail =
      support.available ? "a filter installed in a child process is enforced" : failure;
  support.detail += "; actions: " + *actions;
  if (support.mode == SECCOMP_MODE_FILTER) {
    support.detail += "; this process already runs under a seccomp filter (filters stack)";
  }
  return support;
}

NoNewPrivsSupport ProbeNoNewPrivs() {
  NoNewPrivsSupport support;
  const int current = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
  if (current < 0) {
    support.detail = std::string("prctl(PR_GET_NO_NEW_PRIVS): ") + strerror(errno);
    return support;
  }
  support.set_in_this_process = current == 1;
  const ChildOutcome outcome = RunInChild([] {
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return errno;
    return prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 ? 0 : kNotEnforced;
  });
  support.available = Succeeded(outcome);
  support.detail = support.available ? "prctl(PR_SET_NO_NEW_PRIVS) works in a child process"
                                     : DescribeFailure("prctl(PR_SET_NO_NEW_PRIVS)", outcome);
  if (support.set_in_this_process) support.detail += "; already set for this process";
  return support;
}

KernelFeatures ProbeKernelFeatures() {
  KernelFeatures features;
  features.user_namespaces = ProbeUserNamespaces();
  features.seccomp = ProbeSeccomp();
  features.no_new_privs = ProbeNoNewPrivs();
  features.cgroups = ProbeCgroups();
  return features;
}

}  // namespace fathom::sandbox
