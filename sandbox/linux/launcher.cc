// Launching: pipes, clone3 with CLONE_PIDFD, and for the sandbox the parent's half of the
// handshake (setgroups deny, uid_map, gid_map, cgroup membership, then the go byte).
#include "sandbox/linux/launcher.h"

#include <fcntl.h>
#include <linux/sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "sandbox/linux/child_exec.h"
#include "sandbox/linux/init_report.h"
#include "sandbox/linux/sandbox_init.h"

namespace fathom::sandbox::linux {

namespace {

constexpr uint64_t kNamespaceFlags =
    CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS;

struct Pipe {
  base::UniqueFd read;
  base::UniqueFd write;
};

base::Result<Pipe> MakePipe(const char* what) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return base::ErrnoError(std::string("pipe2 for ") + what, errno);
  return Pipe{base::UniqueFd(fds[0]), base::UniqueFd(fds[1])};
}

// The pipes of one launch, and the stdin the child gets.
struct LaunchPipes {
  Pipe output;
  Pipe errors;
  Pipe report;
  Pipe go;
  base::UniqueFd null_stdin;
  int stdin_fd = -1;

  int HighestDescriptor() const {
    return std::max({output.read.get(), output.write.get(), errors.read.get(), errors.write.get(),
                     report.read.get(), report.write.get(), go.read.get(), go.write.get(),
                     stdin_fd});
  }
  InitDescriptors ChildDescriptors() const {
    return {go.read.get(), stdin_fd, output.write.get(), errors.write.get(), report.write.get()};
  }
};

base::Result<LaunchPipes> MakeLaunchPipes(int stdin_fd) {
  LaunchPipes pipes;
  FATHOM_ASSIGN_OR_RETURN(pipes.output, MakePipe("stdout"));
  FATHOM_ASSIGN_OR_RETURN(pipes.errors, MakePipe("stderr"));
  FATHOM_ASSIGN_OR_RETURN(pipes.report, MakePipe("the report"));
  FATHOM_ASSIGN_OR_RETURN(pipes.go, MakePipe("the go-ahead"));
  if (stdin_fd < 0) {
    pipes.null_stdin.reset(open("/dev/null", O_RDONLY | O_CLOEXEC));
    if (!pipes.null_stdin.valid()) return base::ErrnoError("open /dev/null", errno);
    stdin_fd = pipes.null_stdin.get();
  }
  pipes.stdin_fd = stdin_fd;
  return pipes;
}

// clone3 without a new stack: the child continues on a copy of this stack, like fork().
pid_t Clone(uint64_t flags, int* pidfd) {
  clone_args args{};
  args.flags = flags | CLONE_PIDFD;
  args.pidfd = reinterpret_cast<uint64_t>(pidfd);
  args.exit_signal = SIGCHLD;
  return static_cast<pid_t>(syscall(SYS_clone3, &args, sizeof(args)));
}

LaunchedProcess Finish(pid_t pid, int pidfd, LaunchPipes& pipes) {
  LaunchedProcess process;
  process.pid = pid;
  process.pidfd.reset(pidfd);
  process.stdout_read = std::move(pipes.output.read);
  process.stderr_read = std::move(pipes.errors.read);
  process.report_read = std::move(pipes.report.read);
  return process;
}

base::Status WriteProcFile(pid_t pid, const char* name, const std::string& content) {
  const std::string path = "/proc/" + std::to_string(pid) + "/" + name;
  base::UniqueFd fd(open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd.valid()) return base::ErrnoError("user namespace: open " + path, errno);
  if (write(fd.get(), content.data(), content.size()) != static_cast<ssize_t>(content.size())) {
    return base::ErrnoError("user namespace: write " + path, errno);
  }
  return base::Ok();
}

// The parent's half of the handshake: id maps and cgroup membership.
base::Status PrepareChild(pid_t pid, RunCgroup& cgroup) {
  FATHOM_TRY(WriteProcFile(pid, "setgroups", "deny"));
  FATHOM_TRY(WriteProcFile(pid, "uid_map",
                           std::to_string(geteuid()) + " " + std::to_string(geteuid()) + " 1\n"));
  FATHOM_TRY(WriteProcFile(pid, "gid_map",
                           std::to_string(getegid()) + " " + std::to_string(getegid()) + " 1\n"));
  return cgroup.AddProcess(pid);
}

// Where the kernel finds this process's command line and environment (/proc/self/stat fields
// 48-51); zeros when unreadable, and then nothing is hidden.
ProcessStrings ReadProcessStrings() {
  ProcessStrings strings;
  base::Result<std::string> stat = base::ReadFileToString("/proc/self/stat");
  if (!stat.ok()) return strings;
  // Fields after the command name, which may hold spaces, start after its closing parenthesis.
  const size_t name_end = stat->rfind(')');
  if (name_end == std::string::npos) return strings;
  std::istringstream fields(stat->substr(name_end + 2));
  std::vector<std::string> values{std::istream_iterator<std::string>(fields), {}};
  constexpr size_t kFirstField = 3;  // the state, field 3
  auto field = [&values](size_t number) -> uintptr_t {
    return number - kFirstField < values.size()
               ? static_cast<uintptr_t>(std::stoull(values[number - kFirstField]))
               : 0;
  };
  strings = {field(48), field(49), field(50), field(51)};
  return strings;
}

const ProcessStrings& OwnProcessStrings() {
  static const ProcessStrings strings = ReadProcessStrings();
  return strings;
}

void KillAndReap(int pidfd) {
  syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, nullptr, 0);
  siginfo_t info{};
  while (waitid(P_PIDFD, static_cast<id_t>(pidfd), &info, WEXITED) != 0 && errno == EINTR) {
  }
}

}  // namespace

base::Result<LaunchedProcess> LaunchInSandbox(const LaunchPlan& plan, int stdin_fd,
                                              RunCgroup& cgroup) {
  FATHOM_ASSIGN_OR_RETURN(LaunchPipes pipes, MakeLaunchPipes(stdin_fd));
  const InitDescriptors descriptors = pipes.ChildDescriptors();
  const int above = pipes.HighestDescriptor() + 1;
  int pidfd = -1;
  const uint64_t flags =
      plan.share_host_network ? kNamespaceFlags & ~uint64_t{CLONE_NEWNET} : kNamespaceFlags;
  const ProcessStrings& strings = OwnProcessStrings();
  const pid_t pid = Clone(flags, &pidfd);
  if (pid == 0) RunSandboxInit(plan, descriptors, above, strings);
  if (pid < 0) {
    const int error = errno;
    return base::FailedPreconditionError(
        std::string("the sandbox cannot start, so the command did not run: the kernel refused "
                    "new user, mount, pid, network, ipc and uts namespaces (clone3: ") +
        std::strerror(error) +
        "); user namespaces may be disabled (kernel.unprivileged_userns_clone, "
        "user.max_user_namespaces, AppArmor's restrict_unprivileged_userns). Run `fathom "
        "doctor`; running without the sandbox takes the host option --sandbox=off");
  }
  pipes.go.read.reset();
  pipes.output.write.reset();
  pipes.errors.write.reset();
  pipes.report.write.reset();
  if (base::Status prepared = PrepareChild(pid, cgroup); !prepared.ok()) {
    pipes.go.write.reset();
    KillAndReap(pidfd);
    close(pidfd);
    return prepared.error();
  }
  if (write(pipes.go.write.get(), "g", 1) != 1) {
    const int error = errno;
    KillAndReap(pidfd);
    close(pidfd);
    return base::ErrnoError("sandbox: writing the go-ahead", error);
  }
  pipes.go.write.reset();
  return Finish(pid, pidfd, pipes);
}

base::Result<LaunchedProcess> LaunchOnHost(const LaunchPlan& plan, int stdin_fd) {
  FATHOM_ASSIGN_OR_RETURN(LaunchPipes pipes, MakeLaunchPipes(stdin_fd));
  const InitDescriptors descriptors = pipes.ChildDescriptors();
  const int above = pipes.HighestDescriptor() + 1;
  int pidfd = -1;
  const pid_t pid = Clone(0, &pidfd);
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    if (ArrangeDescriptors(descriptors, above) != 0 || setsid() < 0) _exit(125);
    ResetSignals();
    errno = ApplyLimits(plan.limits);
    if (errno != 0) {
      WriteReport(kReportDescriptor, ReportKind::kSetupFailed, errno, "setrlimit");
      _exit(125);
    }
    if (chdir(plan.working_directory.c_str()) != 0) {
      WriteReport(kReportDescriptor, ReportKind::kSetupFailed, errno,
                  "chdir to the working directory");
      _exit(125);
    }
    ExecCommand(plan, kReportDescriptor);
  }
  if (pid < 0) return base::ErrnoError("clone3", errno);
  pipes.output.write.reset();
  pipes.errors.write.reset();
  pipes.report.write.reset();
  return Finish(pid, pidfd, pipes);
}

}  // namespace fathom::sandbox::linux
