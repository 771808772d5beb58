// RunSandboxInit: the staging dance follows bubblewrap's: a tmpfs over /tmp becomes a temporary
// root with the host's root at /oldroot, the sandbox's root is assembled at /newroot from binds of
// /oldroot, and a second pivot_root makes /newroot the root and detaches everything else.
#include "sandbox/linux/sandbox_init.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "sandbox/linux/child_exec.h"
#include "sandbox/linux/init_report.h"

namespace fathom::sandbox::linux {

namespace {

constexpr int kSetupFailedExit = 125;

[[noreturn]] void Fail(const char* step) noexcept {
  WriteReport(kReportDescriptor, ReportKind::kSetupFailed, errno, step);
  _exit(kSetupFailedExit);
}

void Check(bool ok, const char* step) noexcept {
  if (!ok) Fail(step);
}

int PivotRoot(const char* new_root, const char* put_old) noexcept {
  return static_cast<int>(syscall(SYS_pivot_root, new_root, put_old));
}

int BindMount(const MountStep& step) noexcept {
  unsigned int flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC;
  if (step.recursive) flags |= AT_RECURSIVE;
  if (!step.follow_symlink) flags |= AT_SYMLINK_NOFOLLOW;
  const int tree = static_cast<int>(syscall(SYS_open_tree, AT_FDCWD, step.source.c_str(), flags));
  if (tree < 0) return -1;
  mount_attr attributes{};
  attributes.attr_set = step.set_attributes;
  attributes.attr_clr = step.clear_attributes;
  int result = static_cast<int>(syscall(SYS_mount_setattr, tree, "",
                                        AT_EMPTY_PATH | (step.recursive ? AT_RECURSIVE : 0),
                                        &attributes, sizeof(attributes)));
  if (result == 0) {
    result = static_cast<int>(
        syscall(SYS_move_mount, tree, "", AT_FDCWD, step.target.c_str(), MOVE_MOUNT_F_EMPTY_PATH));
  }
  const int saved = errno;
  close(tree);
  errno = saved;
  return result;
}

int RunMountStep(const MountStep& step) noexcept {
  switch (step.kind) {
    case MountStep::Kind::kBind:
      return BindMount(step);
    case MountStep::Kind::kFilesystem:
      return mount(step.source.c_str(), step.target.c_str(), step.source.c_str(), step.flags,
                   step.data.empty() ? nullptr : step.data.c_str());
    case MountStep::Kind::kMakeDirectory:
      return mkdir(step.target.c_str(), 0755) == 0 || errno == EEXIST ? 0 : -1;
    case MountStep::Kind::kMakeFile: {
      const int fd = open(step.target.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0444);
      return fd < 0 ? -1 : close(fd);
    }
    case MountStep::Kind::kSymlink:
      return symlink(step.source.c_str(), step.target.c_str());
    case MountStep::Kind::kSetAttributes: {
      mount_attr attributes{};
      attributes.attr_set = step.set_attributes;
      return static_cast<int>(syscall(SYS_mount_setattr, AT_FDCWD, step.target.c_str(), 0,
                                      &attributes, sizeof(attributes)));
    }
  }
  errno = EINVAL;
  return -1;
}

// Builds the root described by the plan and makes it the root of this mount namespace.
void BuildRoot(const LaunchPlan& plan) noexcept {
  Check(mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0,
        "make the mount namespace private (mount --make-rprivate /)");
  Check(mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700") == 0,
        "mount the staging tmpfs on /tmp");
  Check(chdir("/tmp") == 0, "chdir /tmp");
  Check(mkdir("newroot", 0755) == 0 && mkdir("oldroot", 0755) == 0, "mkdir in the staging root");
  Check(PivotRoot("/tmp", "oldroot") == 0, "pivot_root into the staging root");
  Check(chdir("/") == 0, "chdir / in the staging root");
  const int empty = open(kEmptyFile, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0444);
  Check(empty >= 0 && close(empty) == 0, "create the empty file for hidden files");
  for (size_t i = 0; i < plan.mounts.size(); ++i) {
    if (RunMountStep(plan.mounts[i]) != 0) Fail(plan.mount_descriptions[i].c_str());
  }
  Check(chdir(kNewRoot) == 0, "chdir /newroot");
  Check(PivotRoot(".", ".") == 0, "pivot_root into the sandbox root");
  Check(umount2(".", MNT_DETACH) == 0, "detach the host root");
  Check(chdir("/") == 0, "chdir / in the sandbox root");
}

void ForwardTermination(int) { kill(-1, SIGTERM); }

// Overwrites [start, end) of this process's memory: the init's command line reads as its name.
void Overwrite(uintptr_t start, uintptr_t end, const char* text) noexcept {
  if (start == 0 || end <= start) return;
  volatile char* bytes = reinterpret_cast<volatile char*>(start);
  const size_t size = end - start;
  size_t i = 0;
  for (; text != nullptr && text[i] != '\0' && i + 1 < size; ++i) bytes[i] = text[i];
  for (; i < size; ++i) bytes[i] = '\0';
}

[[noreturn]] void RunCommand(const LaunchPlan& plan) noexcept {
  ResetSignals();
  Check(prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) == 0, "prctl(PR_SET_PDEATHSIG)");
  errno = ApplyLimits(plan.limits);
  Check(errno == 0, "setrlimit");
  errno = DropCapabilities(plan.last_capability);
  Check(errno == 0, "drop capabilities");
  errno = plan.seccomp->InstallRaw();
  Check(errno == 0, "install the seccomp filter");
  ExecCommand(plan, kReportDescriptor);
}

}  // namespace

int ArrangeDescriptors(const InitDescriptors& descriptors, int above) noexcept {
  const int sources[4] = {descriptors.stdin_fd, descriptors.stdout_fd, descriptors.stderr_fd,
                          descriptors.report};
  int moved[4];
  for (int i = 0; i < 4; ++i) {
    moved[i] = fcntl(sources[i], F_DUPFD, above);
    if (moved[i] < 0) return errno;
  }
  for (int i = 0; i < 4; ++i) {
    if (dup2(moved[i], i) < 0) return errno;
  }
  if (fcntl(kReportDescriptor, F_SETFD, FD_CLOEXEC) != 0) return errno;
  if (syscall(SYS_close_range, kReportDescriptor + 1, ~0U, 0) != 0) return errno;
  return 0;
}

void RunSandboxInit(const LaunchPlan& plan, const InitDescriptors& descriptors, int above,
                    const ProcessStrings& strings) noexcept {
  if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) _exit(kSetupFailedExit);
  Overwrite(strings.arg_start, strings.arg_end, "fathom-sandbox-init");
  Overwrite(strings.env_start, strings.env_end, nullptr);
  char go = 0;
  while (read(descriptors.go, &go, 1) < 0 && errno == EINTR) {
  }
  if (go != 'g') _exit(kSetupFailedExit);  // the parent gave up or died
  if (int error = ArrangeDescriptors(descriptors, above); error != 0) _exit(kSetupFailedExit);
  Check(setsid() >= 0, "setsid");
  Check(prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == 0, "prctl(PR_SET_DUMPABLE)");
  BuildRoot(plan);
  Check(sethostname(plan.hostname.data(), plan.hostname.size()) == 0, "sethostname");
  Check(chdir(plan.working_directory.c_str()) == 0, "chdir to the working directory");

  struct sigaction forward {};
  forward.sa_handler = ForwardTermination;
  sigaction(SIGTERM, &forward, nullptr);
  const pid_t command = static_cast<pid_t>(syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0));
  Check(command >= 0, "fork the command");
  if (command == 0) RunCommand(plan);
  for (int fd = 0; fd <= 2; ++fd) close(fd);
  while (true) {
    int status = 0;
    const pid_t pid = waitpid(-1, &status, __WALL);
    if (pid == command) {
      WriteReport(kReportDescriptor, ReportKind::kExited, status, "");
      _exit(0);
    }
    if (pid < 0 && errno == ECHILD) _exit(kSetupFailedExit);
  }
}

}  // namespace fathom::sandbox::linux
