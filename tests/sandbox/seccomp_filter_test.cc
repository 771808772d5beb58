// The seccomp filter denies what spec A6 lists and leaves ordinary work alone. Every check runs in
// a forked child that installs the filter and reports the call's errno through a pipe; the parent
// also reports how the child ended, for the calls that must kill it. Skips where seccomp is absent.
#include "sandbox/linux/seccomp_filter.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/io_uring.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <string>
#include <thread>

#include "sandbox/kernel_features.h"

namespace fathom::sandbox::linux {
namespace {

constexpr uint64_t kHighBit = uint64_t{1} << 32;
constexpr long kX32SyscallBit = 0x40000000;

// How a child ended: the errno its check reported (0 for success), or the signal that killed it.
struct Outcome {
  bool reported = false;
  int error = -1;
  int signal = 0;
};

// Runs `check` (which returns 0 or an errno) in a forked child, under the filter for `options`
// when `filtered`. The program is built in the parent, as the launcher will do.
Outcome RunInChild(const SeccompFilterOptions& options, const std::function<int()>& check,
                   bool filtered = true) {
  base::Result<SeccompProgram> program = SeccompProgram::Build(options);
  EXPECT_TRUE(program.ok()) << program.error();
  if (!program.ok()) return {};
  int fds[2];
  EXPECT_EQ(pipe2(fds, O_CLOEXEC), 0);
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    int result = filtered ? program->InstallRaw() : 0;
    if (result == 0) result = check();
    [[maybe_unused]] const ssize_t written = write(fds[1], &result, sizeof result);
    _exit(0);
  }
  close(fds[1]);
  Outcome outcome;
  int value = 0;
  ssize_t got = 0;
  while ((got = read(fds[0], &value, sizeof value)) < 0 && errno == EINTR) {
  }
  close(fds[0]);
  if (got == sizeof value) {
    outcome.reported = true;
    outcome.error = value;
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status)) outcome.signal = WTERMSIG(status);
  return outcome;
}

// 0 when the call returned a non-negative value, else errno.
int ErrnoOf(long result) { return result >= 0 ? 0 : errno; }

// Like ErrnoOf, closing the descriptor a successful call returned.
int ErrnoClosing(long fd) {
  if (fd < 0) return errno;
  close(static_cast<int>(fd));
  return 0;
}

class SandboxSeccompFilterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static const SeccompSupport support = ProbeSeccomp();
    if (!support.available) GTEST_SKIP() << "seccomp unavailable: " << support.detail;
  }

  // The errno `check` reports under the filter (network off unless asked).
  static int DeniedWith(const std::function<int()>& check, bool allow_network = false) {
    const Outcome outcome = RunInChild(SeccompFilterOptions{allow_network}, check);
    EXPECT_TRUE(outcome.reported) << "the child was killed by signal " << outcome.signal;
    return outcome.error;
  }
};

TEST_F(SandboxSeccompFilterTest, BuildsForBothNetworkSettings) {
  for (bool allow_network : {false, true}) {
    base::Result<SeccompProgram> program = SeccompProgram::Build({allow_network});
    ASSERT_TRUE(program.ok()) << program.error();
    EXPECT_FALSE(program->instructions().empty());
  }
}

TEST_F(SandboxSeccompFilterTest, InstallSeccompFilterSetsNoNewPrivs) {
  const Outcome outcome = RunInChild(
      {},
      [] {
        if (!InstallSeccompFilter({}).ok()) return EINVAL;
        if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1) return EINVAL;
        return ErrnoOf(ptrace(PTRACE_TRACEME, 0, nullptr, nullptr));
      },
      /*filtered=*/false);
  ASSERT_TRUE(outcome.reported);
  EXPECT_EQ(outcome.error, EPERM);
}

TEST_F(SandboxSeccompFilterTest, DeniesPtrace) {
  EXPECT_EQ(DeniedWith([] { return ErrnoOf(ptrace(PTRACE_TRACEME, 0, nullptr, nullptr)); }), EPERM);
  // The target is a sibling, not the test runner, so a broken filter cannot stop the runner.
  EXPECT_EQ(DeniedWith([] {
              const pid_t target = fork();
              if (target == 0) {
                pause();
                _exit(0);
              }
              const int error = ErrnoOf(ptrace(PTRACE_ATTACH, target, nullptr, nullptr));
              kill(target, SIGKILL);
              waitpid(target, nullptr, 0);
              return error;
            }),
            EPERM);
  EXPECT_EQ(
      DeniedWith([] { return ErrnoOf(syscall(SYS_process_vm_readv, getppid(), 0, 0, 0, 0, 0)); }),
      EPERM);
}

TEST_F(SandboxSeccompFilterTest, DeniesIoUring) {
  const int error = DeniedWith([] {
    io_uring_params params{};
    return ErrnoClosing(syscall(SYS_io_uring_setup, 4, &params));
  });
  EXPECT_TRUE(error == EPERM || error == ENOSYS) << error;
}

TEST_F(SandboxSeccompFilterTest, DeniesOtherSocketFamilies) {
  for (bool allow_network : {false, true}) {
    for (int family : {AF_NETLINK, AF_PACKET, AF_VSOCK, AF_UNSPEC, AF_BLUETOOTH, AF_ALG}) {
      EXPECT_EQ(
          DeniedWith([family] { return ErrnoClosing(socket(family, SOCK_RAW, 0)); }, allow_network),
          EPERM)
          << "family " << family;
    }
    // The kernel reads an int; a family with high bits set must not slip past the filter.
    EXPECT_EQ(
        DeniedWith(
            [] { return ErrnoClosing(syscall(SYS_socket, kHighBit | AF_NETLINK, SOCK_RAW, 0)); },
            allow_network),
        EPERM);
    EXPECT_EQ(DeniedWith(
                  [] {
                    int pair[2];
                    return ErrnoOf(socketpair(AF_NETLINK, SOCK_RAW, 0, pair));
                  },
                  allow_network),
              EPERM);
  }
}

TEST_F(SandboxSeccompFilterTest, InternetSocketsFollowTheNetworkOption) {
  for (int family : {AF_INET, AF_INET6}) {
    auto open_socket = [family] { return ErrnoClosing(socket(family, SOCK_STREAM, 0)); };
    EXPECT_EQ(DeniedWith(open_socket, /*allow_network=*/false), EPERM) << "family " << family;
    const int error = DeniedWith(open_socket, /*allow_network=*/true);
    // EAFNOSUPPORT: a kernel built without IPv6; the filter let the call through.
    EXPECT_TRUE(error == 0 || error == EAFNOSUPPORT) << "family " << family << ": " << error;
  }
}

TEST_F(SandboxSeccompFilterTest, AllowsUnixSockets) {
  for (bool allow_network : {false, true}) {
    EXPECT_EQ(
        DeniedWith([] { return ErrnoClosing(socket(AF_UNIX, SOCK_STREAM, 0)); }, allow_network), 0);
    EXPECT_EQ(DeniedWith(
                  [] {
                    int pair[2];
                    if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) != 0) return errno;
                    close(pair[0]);
                    close(pair[1]);
                    return 0;
                  },
                  allow_network),
              0);
  }
}

TEST_F(SandboxSeccompFilterTest, DeniesTerminalInjection) {
  for (unsigned long request : {TIOCSTI, TIOCLINUX}) {
    EXPECT_EQ(DeniedWith([request] {
                char byte = 'x';
                return ErrnoOf(ioctl(0, request, &byte));
              }),
              EPERM);
    // The kernel reads the low 32 bits of the request; high bits must not bypass the filter.
    EXPECT_EQ(DeniedWith([request] {
                char byte = 'x';
                return ErrnoOf(syscall(SYS_ioctl, 0, kHighBit | request, &byte));
              }),
              EPERM);
  }
}

TEST_F(SandboxSeccompFilterTest, DeniesNamespaces) {
  EXPECT_EQ(DeniedWith([] { return ErrnoOf(unshare(CLONE_NEWUSER)); }), EPERM);
  EXPECT_EQ(DeniedWith([] { return ErrnoOf(setns(0, 0)); }), EPERM);
  for (uint64_t flags : {uint64_t{CLONE_NEWUSER}, uint64_t{CLONE_NEWNET}, uint64_t{CLONE_NEWNS},
                         kHighBit | CLONE_NEWPID}) {
    EXPECT_EQ(DeniedWith([flags] {
                const long pid = syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);
                if (pid == 0) _exit(0);
                if (pid > 0) waitpid(static_cast<pid_t>(pid), nullptr, 0);
                return ErrnoOf(pid);
              }),
              EPERM)
        << "flags " << flags;
  }
  EXPECT_EQ(DeniedWith([] {
              // struct clone_args, version 0: flags, pidfd, child_tid, parent_tid, exit_signal, ...
              uint64_t args[8] = {CLONE_NEWUSER, 0, 0, 0, SIGCHLD};
              const long pid = syscall(SYS_clone3, args, sizeof args);
              if (pid == 0) _exit(0);
              return ErrnoOf(pid);
            }),
            ENOSYS);
}

TEST_F(SandboxSeccompFilterTest, DeniesMountsAndKernelInterfaces) {
  EXPECT_EQ(DeniedWith([] { return ErrnoOf(mount("none", "/tmp", "tmpfs", 0, nullptr)); }), EPERM);
  EXPECT_EQ(DeniedWith([] { return ErrnoOf(umount2("/tmp", 0)); }), EPERM);
  EXPECT_EQ(DeniedWith([] { return ErrnoOf(chroot("/")); }), EPERM);
  EXPECT_EQ(DeniedWith([] { return ErrnoOf(syscall(SYS_pivot_root, "/", "/")); }), EPERM);
  EXPECT_EQ(DeniedWith([] { return ErrnoClosing(syscall(SYS_fsopen, "tmpfs", 0)); }), EPERM);
  EXPECT_EQ(DeniedWith([] { return ErrnoClosing(syscall(SYS_bpf, 0, nullptr, 0)); }), EPERM);
  EXPECT_EQ(
      DeniedWith([] { return ErrnoClosing(syscall(SYS_perf_event_open, nullptr, 0, -1, -1, 0)); }),
      EPERM);
  EXPECT_EQ(DeniedWith([] { return ErrnoOf(syscall(SYS_keyctl, 0, 0, 0, 0, 0)); }), EPERM);
  EXPECT_EQ(DeniedWith([] { return ErrnoClosing(syscall(SYS_userfaultfd, 0)); }), EPERM);
  EXPECT_EQ(DeniedWith([] { return ErrnoOf(syscall(SYS_init_module, nullptr, 0, "")); }), EPERM);
  EXPECT_EQ(DeniedWith([] { return ErrnoOf(syscall(SYS_kexec_load, 0, 0, nullptr, 0)); }), EPERM);
  EXPECT_EQ(DeniedWith([] { return ErrnoClosing(syscall(SYS_open_by_handle_at, -1, nullptr, 0)); }),
            EPERM);
}

TEST_F(SandboxSeccompFilterTest, KillsX32SystemCalls) {
  auto x32_getpid = [] { return ErrnoOf(syscall(SYS_getpid | kX32SyscallBit)); };
  // Without the filter the call returns (ENOSYS on kernels without x32), so SIGSYS is the filter's.
  const Outcome unfiltered = RunInChild({}, x32_getpid, /*filtered=*/false);
  EXPECT_TRUE(unfiltered.reported) << "killed by signal " << unfiltered.signal;
  const Outcome outcome = RunInChild({}, x32_getpid);
  EXPECT_FALSE(outcome.reported) << "the x32 call returned errno " << outcome.error;
  EXPECT_EQ(outcome.signal, SIGSYS);
}

#if defined(__x86_64__)
// getpid through the i386 entry point: int 0x80 with the i386 number 20.
int I386Getpid() {
  long result = 20;
  asm volatile("int $0x80" : "+a"(result) : : "memory", "r8", "r9", "r10", "r11");
  return result >= 0 ? 0 : static_cast<int>(-result);
}

TEST_F(SandboxSeccompFilterTest, KillsI386SystemCalls) {
  const Outcome unfiltered = RunInChild({}, I386Getpid, /*filtered=*/false);
  if (!unfiltered.reported || unfiltered.error != 0) {
    GTEST_SKIP() << "this kernel does not run i386 system calls (signal " << unfiltered.signal
                 << ", errno " << unfiltered.error << ")";
  }
  const Outcome outcome = RunInChild({}, I386Getpid);
  EXPECT_FALSE(outcome.reported) << "the i386 call returned errno " << outcome.error;
  EXPECT_EQ(outcome.signal, SIGSYS);
}
#endif

// A scratch file for one check, removed afterwards; returns `check(path)`.
int WithScratchFile(const std::function<int(const char*)>& check) {
  char path[] = "/tmp/fathom-seccomp-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) return errno;
  close(fd);
  const int result = check(path);
  unlink(path);
  return result;
}

TEST_F(SandboxSeccompFilterTest, DeniesSetuidAndSetgidBits) {
  EXPECT_EQ(DeniedWith([] {
              return WithScratchFile([](const char* p) { return ErrnoOf(chmod(p, 04755)); });
            }),
            EPERM);
  EXPECT_EQ(DeniedWith([] {
              return WithScratchFile([](const char* p) { return ErrnoOf(chmod(p, 02755)); });
            }),
            EPERM);
  EXPECT_EQ(DeniedWith([] {
              return WithScratchFile(
                  [](const char* p) { return ErrnoOf(fchmodat(AT_FDCWD, p, 06755, 0)); });
            }),
            EPERM);
  EXPECT_EQ(DeniedWith([] {
              return WithScratchFile([](const char* p) {
                const int fd = open(p, O_RDONLY);
                const int result = ErrnoOf(fchmod(fd, 04700));
                close(fd);
                return result;
              });
            }),
            EPERM);
  EXPECT_EQ(DeniedWith([] {
              return WithScratchFile([](const char* p) {
                unlink(p);
                return ErrnoClosing(open(p, O_CREAT | O_WRONLY, 04755));
              });
            }),
            EPERM);
  EXPECT_EQ(DeniedWith([] {
              return WithScratchFile([](const char* p) {
                unlink(p);
                return ErrnoClosing(openat(AT_FDCWD, p, O_CREAT | O_WRONLY, 02755));
              });
            }),
            EPERM);
  EXPECT_EQ(DeniedWith([] { return ErrnoOf(syscall(SYS_openat2, AT_FDCWD, "/", nullptr, 0)); }),
            ENOSYS);
}

TEST_F(SandboxSeccompFilterTest, AllowsOrdinaryModes) {
  EXPECT_EQ(DeniedWith([] {
              return WithScratchFile([](const char* p) { return ErrnoOf(chmod(p, 0755)); });
            }),
            0);
  // Without O_CREAT the mode argument is ignored by the kernel, whatever bits it holds.
  EXPECT_EQ(DeniedWith([] {
              return WithScratchFile([](const char* p) {
                return ErrnoClosing(syscall(SYS_openat, AT_FDCWD, p, O_RDONLY, 04755));
              });
            }),
            0);
  EXPECT_EQ(DeniedWith([] {
              return WithScratchFile([](const char* p) {
                unlink(p);
                return ErrnoClosing(open(p, O_CREAT | O_WRONLY, 0644));
              });
            }),
            0);
}

TEST_F(SandboxSeccompFilterTest, AllowsOrdinaryWork) {
  EXPECT_EQ(DeniedWith([] {
              char path[] = "/tmp/fathom-seccomp-XXXXXX";
              const int fd = mkstemp(path);
              if (fd < 0) return errno;
              unlink(path);
              char byte = 'x';
              if (write(fd, &byte, 1) != 1 || pread(fd, &byte, 1, 0) != 1 || byte != 'x') {
                return EIO;
              }
              return ErrnoOf(close(fd));
            }),
            0);
  EXPECT_EQ(DeniedWith([] {
              const pid_t pid = fork();
              if (pid < 0) return errno;
              if (pid == 0) {
                execl("/bin/true", "true", static_cast<char*>(nullptr));
                _exit(127);
              }
              int status = 0;
              if (waitpid(pid, &status, 0) < 0) return errno;
              return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : ECHILD;
            }),
            0);
  // glibc creates threads with clone3 and falls back to clone on ENOSYS.
  EXPECT_EQ(DeniedWith([] {
              int value = 0;
              std::thread thread([&value] { value = 1; });
              thread.join();
              return value == 1 ? 0 : EINVAL;
            }),
            0);
}

}  // namespace
}  // namespace fathom::sandbox::linux
