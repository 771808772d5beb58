// RunSandboxSetup: the staging dance follows bubblewrap's: a tmpfs over /tmp becomes a temporary
// root with the host's root at /oldroot, the sandbox's root is assembled at /newroot from binds of
// /oldroot, and a second pivot_root makes /newroot the root and detaches everything else.
#include "sandbox/linux/sandbox_setup.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
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

// Writes `text` to the file at `path` (a /proc or cgroup interface file). Returns 0 or -1.
int WriteFile(const char* path, const char* text, size_t size) noexcept {
  const int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  const ssize_t written = write(fd, text, size);
  const int saved = errno;
  close(fd);
  errno = saved;
  return written == static_cast<ssize_t>(size) ? 0 : -1;
}

int WriteString(const char* path, const std::string& text) noexcept {
  return WriteFile(path, text.data(), text.size());
}

}  // namespace

int RunSandboxSetup(void* arguments) noexcept {
  const SetupArguments& setup = *static_cast<const SetupArguments*>(arguments);
  const LaunchPlan& plan = *setup.plan;
  if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) _exit(kSetupFailedExit);
  if (ArrangeDescriptors(setup.descriptors, 6, setup.above) != 0) _exit(kSetupFailedExit);
  for (const std::string& procs : plan.cgroup_procs_files) {
    Check(WriteFile(procs.c_str(), "0", 1) == 0, "join the run's cgroup");
  }
  Check(WriteFile("/proc/self/setgroups", "deny", 4) == 0, "write /proc/self/setgroups");
  Check(WriteString("/proc/self/uid_map", plan.uid_map) == 0, "write /proc/self/uid_map");
  Check(WriteString("/proc/self/gid_map", plan.gid_map) == 0, "write /proc/self/gid_map");
  Check(setsid() >= 0, "setsid");
  BuildRoot(plan);
  Check(sethostname(plan.hostname.data(), plan.hostname.size()) == 0, "sethostname");
  Check(chdir(plan.working_directory.c_str()) == 0, "chdir to the working directory");
  errno = ApplyLimits(plan.limits);
  Check(errno == 0, "setrlimit");
  ResetSignals();
  syscall(SYS_execveat, kInitProgramDescriptor, "", plan.init_argv->data(), plan.envp.data(),
          AT_EMPTY_PATH);
  Fail("execute the sandbox's init program");
}

}  // namespace fathom::sandbox::linux
