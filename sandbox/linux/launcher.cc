// Launching: pipes, then clone with CLONE_VM | CLONE_VFORK on a stack of its own, as
// posix_spawn does, so that fathom's address space (an engine's gigabytes) is never copied: the
// launching thread sleeps until the child has executed the sandbox's init (or the command, for
// --sandbox=off) or failed. Signals stay blocked around the clone so no handler of fathom's runs
// on the child's stack.
#include "sandbox/linux/launcher.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include "sandbox/linux/child_exec.h"
#include "sandbox/linux/init_report.h"
#include "sandbox/linux/sandbox_setup.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

namespace fathom::sandbox::linux {

namespace {

constexpr int kNamespaceFlags =
    CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS;
constexpr size_t kChildStackBytes = size_t{1} << 20;

struct Pipe {
  base::UniqueFd read;
  base::UniqueFd write;
};

base::Result<Pipe> MakePipe(const char* what) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return base::ErrnoError(std::string("pipe2 for ") + what, errno);
  return Pipe{base::UniqueFd(fds[0]), base::UniqueFd(fds[1])};
}

// The pipes of one launch and the stdin the child gets.
struct LaunchPipes {
  Pipe output;
  Pipe errors;
  Pipe report;
  base::UniqueFd null_stdin;
  int stdin_fd = -1;
};

base::Result<LaunchPipes> MakeLaunchPipes(int stdin_fd) {
  LaunchPipes pipes;
  FATHOM_ASSIGN_OR_RETURN(pipes.output, MakePipe("stdout"));
  FATHOM_ASSIGN_OR_RETURN(pipes.errors, MakePipe("stderr"));
  FATHOM_ASSIGN_OR_RETURN(pipes.report, MakePipe("the report"));
  if (stdin_fd < 0) {
    pipes.null_stdin.reset(open("/dev/null", O_RDONLY | O_CLOEXEC));
    if (!pipes.null_stdin.valid()) return base::ErrnoError("open /dev/null", errno);
    stdin_fd = pipes.null_stdin.get();
  }
  pipes.stdin_fd = stdin_fd;
  return pipes;
}

// A memfd holding the BPF program, for the sandbox's init to read.
base::Result<base::UniqueFd> SeccompMemfd(const SeccompProgram& program) {
  base::UniqueFd fd(memfd_create("fathom-seccomp", MFD_CLOEXEC));
  if (!fd.valid()) return base::ErrnoError("memfd_create for the seccomp program", errno);
  const auto& instructions = program.instructions();
  const size_t bytes = instructions.size() * sizeof(instructions[0]);
  if (write(fd.get(), instructions.data(), bytes) != static_cast<ssize_t>(bytes)) {
    return base::ErrnoError("writing the seccomp program", errno);
  }
  return fd;
}

// Runs `entry(argument)` in a child that shares this address space until it executes or exits;
// returns its pid (or -1 with errno) and stores its pidfd.
pid_t CloneAndWait(int (*entry)(void*), void* argument, int flags, int* pidfd) {
  void* stack = mmap(nullptr, kChildStackBytes, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (stack == MAP_FAILED) return -1;
  sigset_t all;
  sigset_t previous;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &previous);
  const pid_t pid = clone(entry, static_cast<char*>(stack) + kChildStackBytes,
                          flags | CLONE_VM | CLONE_VFORK | CLONE_PIDFD | SIGCHLD, argument, pidfd);
  const int error = errno;
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
#if defined(__SANITIZE_ADDRESS__)
  __asan_unpoison_memory_region(stack, kChildStackBytes);
#endif
  munmap(stack, kChildStackBytes);
  errno = error;
  return pid;
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

// The unsandboxed child: a new session, rlimits, then the command.
struct HostArguments {
  const LaunchPlan* plan = nullptr;
  int descriptors[4] = {-1, -1, -1, -1};  // stdin stdout stderr report
  int above = 0;
};

int RunHostChild(void* arguments) noexcept {
  const HostArguments& host = *static_cast<const HostArguments*>(arguments);
  prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  if (ArrangeDescriptors(host.descriptors, 4, host.above) != 0) _exit(125);
  fcntl(kReportDescriptor, F_SETFD, FD_CLOEXEC);
  if (setsid() < 0) _exit(125);
  ResetSignals();
  errno = ApplyLimits(host.plan->limits);
  if (errno != 0) {
    WriteReport(kReportDescriptor, ReportKind::kSetupFailed, errno, "setrlimit");
    _exit(125);
  }
  if (chdir(host.plan->working_directory.c_str()) != 0) {
    WriteReport(kReportDescriptor, ReportKind::kSetupFailed, errno,
                "chdir to the working directory");
    _exit(125);
  }
  ExecCommand(*host.plan, kReportDescriptor);
}

}  // namespace

base::Result<LaunchedProcess> LaunchInSandbox(const LaunchPlan& plan, int stdin_fd) {
  FATHOM_ASSIGN_OR_RETURN(LaunchPipes pipes, MakeLaunchPipes(stdin_fd));
  FATHOM_ASSIGN_OR_RETURN(base::UniqueFd seccomp, SeccompMemfd(*plan.seccomp));
  base::UniqueFd init(open(plan.init_program.c_str(), O_PATH | O_CLOEXEC));
  if (!init.valid()) {
    return base::ErrnoError("sandbox: the init program " + plan.init_program, errno);
  }
  SetupArguments arguments;
  arguments.plan = &plan;
  const int sources[6] = {pipes.stdin_fd,
                          pipes.output.write.get(),
                          pipes.errors.write.get(),
                          pipes.report.write.get(),
                          seccomp.get(),
                          init.get()};
  std::copy(std::begin(sources), std::end(sources), arguments.descriptors);
  arguments.above = *std::max_element(std::begin(sources), std::end(sources)) + 1;
  const int flags = plan.share_host_network ? kNamespaceFlags & ~CLONE_NEWNET : kNamespaceFlags;
  int pidfd = -1;
  const pid_t pid = CloneAndWait(RunSandboxSetup, &arguments, flags, &pidfd);
  if (pid < 0) {
    const int error = errno;
    return base::FailedPreconditionError(
        std::string("the sandbox cannot start, so the command did not run: the kernel refused "
                    "new user, mount, pid, network, ipc and uts namespaces (clone: ") +
        std::strerror(error) +
        "); user namespaces may be disabled (kernel.unprivileged_userns_clone, "
        "user.max_user_namespaces, AppArmor's restrict_unprivileged_userns). Run `fathom "
        "doctor`; running without the sandbox takes the host option --sandbox=off");
  }
  return Finish(pid, pidfd, pipes);
}

base::Result<LaunchedProcess> LaunchOnHost(const LaunchPlan& plan, int stdin_fd) {
  FATHOM_ASSIGN_OR_RETURN(LaunchPipes pipes, MakeLaunchPipes(stdin_fd));
  HostArguments arguments;
  arguments.plan = &plan;
  const int sources[4] = {pipes.stdin_fd, pipes.output.write.get(), pipes.errors.write.get(),
                          pipes.report.write.get()};
  std::copy(std::begin(sources), std::end(sources), arguments.descriptors);
  arguments.above = *std::max_element(std::begin(sources), std::end(sources)) + 1;
  int pidfd = -1;
  const pid_t pid = CloneAndWait(RunHostChild, &arguments, 0, &pidfd);
  if (pid < 0) return base::ErrnoError("clone", errno);
  return Finish(pid, pidfd, pipes);
}

}  // namespace fathom::sandbox::linux
