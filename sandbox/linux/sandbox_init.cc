// RunSandboxInit: the init reads the seccomp program before forking, so the command only makes
// system calls between fork and exec.
#include "sandbox/linux/sandbox_init.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "sandbox/linux/child_exec.h"
#include "sandbox/linux/init_report.h"
#include "sandbox/linux/sandbox_setup.h"
#include "sandbox/linux/seccomp_install.h"

extern char** environ;

namespace fathom::sandbox::linux {

namespace {

constexpr int kUsageExit = 125;

void ForwardTermination(int) { kill(-1, SIGTERM); }

// The BPF program in the memfd; empty when it cannot be read.
std::vector<sock_filter> ReadProgram(int fd) {
  struct stat info {};
  if (fstat(fd, &info) != 0 || info.st_size <= 0 || info.st_size % sizeof(sock_filter) != 0) {
    return {};
  }
  std::vector<sock_filter> program(static_cast<size_t>(info.st_size) / sizeof(sock_filter));
  const ssize_t got = pread(fd, program.data(), static_cast<size_t>(info.st_size), 0);
  if (got != info.st_size) return {};
  return program;
}

[[noreturn]] void Fail(const char* step, int error) {
  WriteReport(kReportDescriptor, ReportKind::kSetupFailed, error, step);
  _exit(kUsageExit);
}

[[noreturn]] void RunCommand(const LaunchPlan& plan, const std::vector<sock_filter>& program,
                             int last_capability) {
  ResetSignals();
  if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) Fail("prctl(PR_SET_PDEATHSIG)", errno);
  if (int error = DropCapabilities(last_capability); error != 0) {
    Fail("drop capabilities", error);
  }
  if (int error = InstallSeccompInstructions(program.data(), program.size()); error != 0) {
    Fail("install the seccomp filter", error);
  }
  ExecCommand(plan, kReportDescriptor);
}

}  // namespace

int RunSandboxInit(int argc, char** argv) {
  if (argc < 4 || std::strcmp(argv[2], "--") != 0) return kUsageExit;
  close(kInitProgramDescriptor);
  fcntl(kReportDescriptor, F_SETFD, FD_CLOEXEC);
  const std::vector<sock_filter> program = ReadProgram(kSeccompDescriptor);
  close(kSeccompDescriptor);
  if (program.empty()) Fail("read the seccomp program", EINVAL);
  const int last_capability = std::atoi(argv[1]);
  const LaunchPlan plan(std::vector<std::string>(argv + 3, argv + argc), ParseEnvironment(environ));
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);

  struct sigaction forward {};
  forward.sa_handler = ForwardTermination;
  sigaction(SIGTERM, &forward, nullptr);
  const pid_t command = fork();
  if (command < 0) Fail("fork the command", errno);
  if (command == 0) RunCommand(plan, program, last_capability);
  for (int fd = 0; fd <= 2; ++fd) close(fd);
  while (true) {
    int status = 0;
    const pid_t pid = waitpid(-1, &status, __WALL);
    if (pid == command) {
      WriteReport(kReportDescriptor, ReportKind::kExited, status, "");
      _exit(0);
    }
    if (pid < 0 && errno == ECHILD) _exit(kUsageExit);
  }
}

}  // namespace fathom::sandbox::linux
