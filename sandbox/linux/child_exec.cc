// Child-side helpers shared by the sandbox's init and the unsandboxed launcher.
#include "sandbox/linux/child_exec.h"

#include <fcntl.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "sandbox/linux/init_report.h"

namespace fathom::sandbox::linux {

namespace {

// Sets the limit; when raising the hard limit is not allowed, keeps the current hard limit and
// lowers the soft one to fit under it.
int SetLimit(int resource, uint64_t soft, uint64_t hard) noexcept {
  rlimit limit{soft, hard};
  if (setrlimit(resource, &limit) == 0) return 0;
  if (errno != EPERM) return errno;
  rlimit current{};
  if (getrlimit(resource, &current) != 0) return errno;
  limit.rlim_max = hard < current.rlim_max ? hard : current.rlim_max;
  limit.rlim_cur = soft < limit.rlim_max ? soft : limit.rlim_max;
  return setrlimit(resource, &limit) == 0 ? 0 : errno;
}

// errno values after which execvp moves on to the next PATH entry.
bool TryNextCandidate(int error) noexcept {
  return error == ENOENT || error == ENOTDIR || error == EACCES || error == ESTALE ||
         error == ENODEV || error == ETIMEDOUT || error == ELOOP || error == ENAMETOOLONG;
}

}  // namespace

int ArrangeDescriptors(const int* sources, int count, int above) noexcept {
  constexpr int kMaxDescriptors = 8;
  if (count > kMaxDescriptors) return EINVAL;
  int moved[kMaxDescriptors];
  for (int i = 0; i < count; ++i) {
    moved[i] = fcntl(sources[i], F_DUPFD, above);
    if (moved[i] < 0) return errno;
  }
  for (int i = 0; i < count; ++i) {
    if (dup2(moved[i], i) < 0) return errno;
  }
  if (syscall(SYS_close_range, count, ~0U, 0) != 0) return errno;
  return 0;
}

void ResetSignals() noexcept {
  struct sigaction action {};
  action.sa_handler = SIG_DFL;
  for (int signal = 1; signal < NSIG; ++signal) {
    if (signal == SIGKILL || signal == SIGSTOP) continue;
    sigaction(signal, &action, nullptr);
  }
  action.sa_handler = SIG_IGN;
  sigaction(SIGXFSZ, &action, nullptr);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
}

int ApplyLimits(const ProcessLimits& limits) noexcept {
  if (int error = SetLimit(RLIMIT_CPU, limits.cpu_time_seconds, limits.cpu_time_seconds + 1)) {
    return error;
  }
  if (int error = SetLimit(RLIMIT_FSIZE, limits.file_size_bytes, limits.file_size_bytes)) {
    return error;
  }
  if (int error = SetLimit(RLIMIT_NOFILE, limits.open_files, limits.open_files)) return error;
  return SetLimit(RLIMIT_CORE, 0, 0);
}

int DropCapabilities(int last_capability) noexcept {
  const unsigned long locked_bits = SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP |
                                    SECBIT_NO_SETUID_FIXUP_LOCKED | SECBIT_KEEP_CAPS_LOCKED |
                                    SECBIT_NO_CAP_AMBIENT_RAISE |
                                    SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED;
  if (prctl(PR_SET_SECUREBITS, locked_bits, 0, 0, 0) != 0) return errno;
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0) return errno;
  for (int capability = 0; capability <= last_capability; ++capability) {
    if (prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0 && errno != EINVAL) return errno;
  }
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
  if (syscall(SYS_capset, &header, data) != 0) return errno;
  return 0;
}

void ExecCommand(const LaunchPlan& plan, int report_fd) noexcept {
  int error = ENOENT;
  bool saw_access_error = false;
  for (const std::string& candidate : plan.executable_candidates) {
    execve(candidate.c_str(), plan.argv.data(), plan.envp.data());
    error = errno;
    if (error == EACCES) saw_access_error = true;
    if (!TryNextCandidate(error)) break;
  }
  if (saw_access_error && TryNextCandidate(error)) error = EACCES;
  WriteReport(report_fd, ReportKind::kExecFailed, error, plan.argv.data()[0]);
  _exit(error == ENOENT ? 127 : 126);
}

}  // namespace fathom::sandbox::linux
