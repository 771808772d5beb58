// sandbox_probe ATTEMPT [ARGS]: makes one raw escape attempt from inside the sandbox and prints
// "ok" or "errno=<NAME>" (exit 0 either way; a call the filter kills ends the process with SIGSYS
// and prints nothing). Only libc and kernel headers, so it runs anywhere the sandbox can see it.
// Used by sandbox_escape_process_test; `sandbox_probe list` prints the attempts.
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/io_uring.h>
#include <linux/keyctl.h>
#include <linux/netlink.h>
#include <linux/perf_event.h>
#include <linux/sched.h>
#include <linux/tiocl.h>
#include <linux/vm_sockets.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace {

constexpr uint64_t kHighBits = 0xffffffff00000000ULL;
constexpr long kX32Bit = 0x40000000;

using Args = std::vector<std::string>;

// The result of one attempt: >= 0 success, < 0 failure with errno set.
using Attempt = std::function<long(const Args&)>;

const std::string& Arg(const Args& args, size_t index) {
  if (index >= args.size()) {
    std::fprintf(stderr, "sandbox_probe: missing argument %zu\n", index + 1);
    std::exit(2);
  }
  return args[index];
}

int Port(const Args& args, size_t index) { return std::atoi(Arg(args, index).c_str()); }

long Socket(int family, int type, int protocol) {
  const int fd = socket(family, type, protocol);
  if (fd >= 0) close(fd);
  return fd;
}

// socket() with the family passed as a full 64-bit register: the kernel reads only the low 32
// bits, so a filter that compares all 64 must still deny it.
long SocketHigh(int family, int type) {
  const long fd = syscall(SYS_socket, kHighBits | static_cast<uint64_t>(family), type, 0);
  if (fd >= 0) close(static_cast<int>(fd));
  return fd;
}

long Connect(int fd, const sockaddr* address, socklen_t length) {
  if (fd < 0) return -1;
  const int result = connect(fd, address, length);
  const int saved = errno;
  close(fd);
  errno = saved;
  return result;
}

// The IPv4 address ARG0, port ARG1; false (errno EINVAL) when ARG0 is not an address.
bool Ipv4Address(const Args& args, sockaddr_in& address) {
  address = sockaddr_in{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(Port(args, 1)));
  if (inet_pton(AF_INET, Arg(args, 0).c_str(), &address.sin_addr) == 1) return true;
  errno = EINVAL;
  return false;
}

long ConnectTcp4(const Args& args) {
  sockaddr_in address;
  if (!Ipv4Address(args, address)) return -1;
  return Connect(socket(AF_INET, SOCK_STREAM, 0), reinterpret_cast<sockaddr*>(&address),
                 sizeof address);
}

long ConnectTcp6(const Args& args) {
  sockaddr_in6 address{};
  address.sin6_family = AF_INET6;
  address.sin6_port = htons(static_cast<uint16_t>(Port(args, 1)));
  if (inet_pton(AF_INET6, Arg(args, 0).c_str(), &address.sin6_addr) != 1) {
    errno = EINVAL;
    return -1;
  }
  return Connect(socket(AF_INET6, SOCK_STREAM, 0), reinterpret_cast<sockaddr*>(&address),
                 sizeof address);
}

long SendUdp4(const Args& args) {
  sockaddr_in address;
  if (!Ipv4Address(args, address)) return -1;
  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) return -1;
  const long sent = sendto(fd, "q", 1, 0, reinterpret_cast<sockaddr*>(&address), sizeof address);
  const int saved = errno;
  close(fd);
  errno = saved;
  return sent;
}

long ConnectUnix(const std::string& name, bool abstract) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (name.size() + 1 >= sizeof address.sun_path) {
    errno = ENAMETOOLONG;
    return -1;
  }
  const size_t offset = abstract ? 1 : 0;  // abstract: a leading NUL, no terminator
  memcpy(address.sun_path + offset, name.data(), name.size());
  const socklen_t length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + offset +
                                                  name.size() + (abstract ? 0 : 1));
  return Connect(socket(AF_UNIX, SOCK_STREAM, 0), reinterpret_cast<sockaddr*>(&address), length);
}

pid_t PidArg(const Args& args) {
  const pid_t pid = static_cast<pid_t>(std::atoi(Arg(args, 0).c_str()));
  return pid == 0 ? getppid() : pid;
}

long PtraceAttach(pid_t pid) {
  const long result = ptrace(PTRACE_ATTACH, pid, nullptr, nullptr);
  if (result == 0) {
    const int saved = errno;
    waitpid(pid, nullptr, __WALL);
    ptrace(PTRACE_DETACH, pid, nullptr, nullptr);
    errno = saved;
  }
  return result;
}

long PtraceChild() {
  const pid_t child = fork();
  if (child < 0) return -1;
  if (child == 0) {
    pause();
    _exit(0);
  }
  const long result = PtraceAttach(child);
  const int saved = errno;
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  errno = saved;
  return result;
}

long VmReadv(pid_t pid) {
  char buffer[8];
  iovec local{buffer, sizeof buffer};
  iovec remote{reinterpret_cast<void*>(0x400000), sizeof buffer};
  return syscall(SYS_process_vm_readv, pid, &local, 1, &remote, 1, 0);
}

long OpenProcMem(pid_t pid, int flags) {
  const std::string path = "/proc/" + std::to_string(pid) + "/mem";
  const int fd = open(path.c_str(), flags | O_CLOEXEC);
  if (fd >= 0) close(fd);
  return fd;
}

long Ioctl(unsigned long request, const void* argument) {
  return syscall(SYS_ioctl, 0, request, argument);
}

long TioclinuxPaste(bool high) {
  char subcode = TIOCL_PASTESEL;
  return Ioctl(high ? kHighBits | TIOCLINUX : TIOCLINUX, &subcode);
}

// Makes stdin (a terminal nobody controls) this process's controlling terminal first, so that
// TIOCSTI needs no capability; the filter must still refuse it.
long TiocstiAsController() {
  setsid();
  ioctl(0, TIOCSCTTY, 0);
  const char byte = 'x';
  return Ioctl(TIOCSTI, &byte);
}

long CloneNewUser() {
  const long pid = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
  if (pid == 0) _exit(0);
  if (pid > 0) waitpid(static_cast<pid_t>(pid), nullptr, 0);
  return pid;
}

long Clone3NewUser() {
  clone_args args{};
  args.flags = CLONE_NEWUSER;
  args.exit_signal = SIGCHLD;
  const long pid = syscall(SYS_clone3, &args, sizeof args);
  if (pid == 0) _exit(0);
  if (pid > 0) waitpid(static_cast<pid_t>(pid), nullptr, 0);
  return pid;
}

long Setns() {
  const int fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  const long result = setns(fd, CLONE_NEWNET);
  const int saved = errno;
  close(fd);
  errno = saved;
  return result;
}

long Bpf() {
  bpf_attr attr{};
  attr.map_type = BPF_MAP_TYPE_ARRAY;
  attr.key_size = 4;
  attr.value_size = 4;
  attr.max_entries = 1;
  const long fd = syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof attr);
  if (fd >= 0) close(static_cast<int>(fd));
  return fd;
}

long PerfEventOpen() {
  perf_event_attr attr{};
  attr.type = PERF_TYPE_SOFTWARE;
  attr.size = sizeof attr;
  attr.config = PERF_COUNT_SW_CPU_CLOCK;
  attr.disabled = 1;
  attr.exclude_kernel = 1;
  attr.exclude_hv = 1;
  const long fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
  if (fd >= 0) close(static_cast<int>(fd));
  return fd;
}

long Userfaultfd() {
  const long fd = syscall(SYS_userfaultfd, O_CLOEXEC);
  if (fd >= 0) close(static_cast<int>(fd));
  return fd;
}

long FinitModule() {
  const int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  const long result = syscall(SYS_finit_module, fd, "", 0);
  const int saved = errno;
  if (fd >= 0) close(fd);
  errno = saved;
  return result;
}

long IoUringSetup() {
  io_uring_params params{};
  const long fd = syscall(425, 4, &params);  // io_uring_setup
  if (fd >= 0) close(static_cast<int>(fd));
  return fd;
}

long I386Getpid() {
#if defined(__x86_64__)
  long result = 20;  // getpid in the i386 table
  __asm__ __volatile__("int $0x80" : "+a"(result) : : "memory", "r8", "r9", "r10", "r11");
  if (result < 0 && result > -4096) {
    errno = static_cast<int>(-result);
    return -1;
  }
  return result;
#else
  errno = ENOSYS;
  return -1;
#endif
}

const std::map<std::string, Attempt>& Attempts() {
  static const auto* attempts = new std::map<std::string, Attempt>{
      {"getpid", [](const Args&) { return static_cast<long>(getpid()); }},
      {"socket-unix", [](const Args&) { return Socket(AF_UNIX, SOCK_STREAM, 0); }},
      {"socket-inet", [](const Args&) { return Socket(AF_INET, SOCK_STREAM, 0); }},
      {"socket-inet-udp", [](const Args&) { return Socket(AF_INET, SOCK_DGRAM, 0); }},
      {"socket-inet-raw", [](const Args&) { return Socket(AF_INET, SOCK_RAW, IPPROTO_ICMP); }},
      {"socket-inet6", [](const Args&) { return Socket(AF_INET6, SOCK_STREAM, 0); }},
      {"socket-netlink", [](const Args&) { return Socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE); }},
      {"socket-packet", [](const Args&) { return Socket(AF_PACKET, SOCK_RAW, 0); }},
      {"socket-vsock", [](const Args&) { return Socket(AF_VSOCK, SOCK_STREAM, 0); }},
      {"socket-inet-high", [](const Args&) { return SocketHigh(AF_INET, SOCK_STREAM); }},
      {"socket-netlink-high", [](const Args&) { return SocketHigh(AF_NETLINK, SOCK_RAW); }},
      {"tcp4", ConnectTcp4},  // IP PORT
      {"tcp6", ConnectTcp6},  // IP PORT
      {"udp4", SendUdp4},     // IP PORT
      {"abstract", [](const Args& args) { return ConnectUnix(Arg(args, 0), true); }},
      {"unix", [](const Args& args) { return ConnectUnix(Arg(args, 0), false); }},
      {"io_uring", [](const Args&) { return IoUringSetup(); }},
      {"ptrace", [](const Args& args) { return PtraceAttach(PidArg(args)); }},  // PID, 0: parent
      {"ptrace-child", [](const Args&) { return PtraceChild(); }},
      {"vm-readv", [](const Args& args) { return VmReadv(PidArg(args)); }},
      {"proc-mem", [](const Args& args) { return OpenProcMem(PidArg(args), O_RDWR); }},
      {"proc-mem-read", [](const Args& args) { return OpenProcMem(PidArg(args), O_RDONLY); }},
      {"tiocsti", [](const Args&) { return Ioctl(TIOCSTI, "x"); }},
      {"tiocsti-high", [](const Args&) { return Ioctl(kHighBits | TIOCSTI, "x"); }},
      {"tiocsti-ctty", [](const Args&) { return TiocstiAsController(); }},
      {"tioclinux", [](const Args&) { return TioclinuxPaste(false); }},
      {"tioclinux-high", [](const Args&) { return TioclinuxPaste(true); }},
      {"unshare-user", [](const Args&) { return static_cast<long>(unshare(CLONE_NEWUSER)); }},
      {"clone-newuser", [](const Args&) { return CloneNewUser(); }},
      {"clone3-newuser", [](const Args&) { return Clone3NewUser(); }},
      {"setns", [](const Args&) { return Setns(); }},
      {"mount",
       [](const Args&) { return static_cast<long>(mount("none", "/tmp", "tmpfs", 0, nullptr)); }},
      {"fsopen",
       [](const Args&) {
         const long fd = syscall(SYS_fsopen, "tmpfs", 0);
         if (fd >= 0) close(static_cast<int>(fd));
         return fd;
       }},
      {"pivot_root", [](const Args&) { return syscall(SYS_pivot_root, ".", "."); }},
      {"chroot", [](const Args&) { return static_cast<long>(chroot("/tmp")); }},
      {"init_module", [](const Args&) { return syscall(SYS_init_module, nullptr, 0, ""); }},
      {"finit_module", [](const Args&) { return FinitModule(); }},
      {"kexec_load", [](const Args&) { return syscall(SYS_kexec_load, 0, 0, nullptr, 0); }},
      {"bpf", [](const Args&) { return Bpf(); }},
      {"perf_event_open", [](const Args&) { return PerfEventOpen(); }},
      {"keyctl",
       [](const Args&) {
         return syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 1);
       }},
      {"add_key",
       [](const Args&) {
         return syscall(SYS_add_key, "user", "fathom", "x", 1, KEY_SPEC_PROCESS_KEYRING);
       }},
      {"userfaultfd", [](const Args&) { return Userfaultfd(); }},
      {"open_by_handle_at",
       [](const Args&) { return syscall(SYS_open_by_handle_at, AT_FDCWD, nullptr, O_RDONLY); }},
      {"x32-getpid", [](const Args&) { return syscall(SYS_getpid | kX32Bit); }},
      {"i386-getpid", [](const Args&) { return I386Getpid(); }},
  };
  return *attempts;
}

}  // namespace

// In the asan preset LeakSanitizer's exit-time check stops threads with ptrace, which the sandbox
// forbids; the probe has nothing to leak-check, so it is off (an unused symbol elsewhere).
extern "C" const char* __lsan_default_options() { return "detect_leaks=0"; }

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: sandbox_probe ATTEMPT [ARGS]\n");
    return 2;
  }
  const std::string name = argv[1];
  if (name == "list") {
    for (const auto& [attempt, unused] : Attempts()) std::printf("%s\n", attempt.c_str());
    return 0;
  }
  const auto attempt = Attempts().find(name);
  if (attempt == Attempts().end()) {
    std::fprintf(stderr, "sandbox_probe: unknown attempt %s\n", name.c_str());
    return 2;
  }
  const Args args(argv + 2, argv + argc);
  errno = 0;
  const long result = attempt->second(args);
  if (result >= 0) {
    std::printf("ok\n");
  } else {
    const char* errno_name = strerrorname_np(errno);
    std::printf("errno=%s\n", errno_name != nullptr ? errno_name : std::to_string(errno).c_str());
  }
  return 0;
}
