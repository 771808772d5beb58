// Adversarial end-to-end tests of the sandbox's process, network and kernel isolation (spec A6
// items 9-13, 15-19, 22-27 and 29): each escape attempt runs as a real sandboxed command, often the
// raw sandbox_probe, and must fail; the host is then checked for listeners that accepted,
// injected terminal input, and processes of the run left alive (found by a unique marker).
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "sandbox/cgroup_hierarchies.h"
#include "tests/sandbox/sandbox_test_util.h"

namespace fathom::sandbox {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr char kProbe[] = SANDBOX_PROBE;

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

std::string Trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

std::string ShellQuote(const std::string& word) {
  std::string quoted = "'";
  for (char c : word) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

std::string Join(const std::vector<std::string>& words) {
  std::string joined;
  for (const std::string& word : words) joined += (joined.empty() ? "" : " ") + word;
  return joined;
}

bool ProgramExists(const std::string& name) {
  for (const char* directory : {"/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin"}) {
    if (access((std::string(directory) + "/" + name).c_str(), X_OK) == 0) return true;
  }
  return false;
}

// Every host process (other than this one) whose command line contains `marker`.
std::vector<pid_t> ProcessesWithMarker(const std::string& marker) {
  std::vector<pid_t> found;
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator("/proc", error)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    const pid_t pid = static_cast<pid_t>(std::stol(name));
    if (pid == getpid()) continue;
    std::string cmdline = ReadAll(entry.path() / "cmdline");
    for (char& c : cmdline) {
      if (c == '\0') c = ' ';
    }
    if (cmdline.find(marker) != std::string::npos) found.push_back(pid);
  }
  return found;
}

std::string DescribeProcesses(const std::vector<pid_t>& pids) {
  std::string text;
  for (pid_t pid : pids) {
    std::string cmdline = ReadAll("/proc/" + std::to_string(pid) + "/cmdline");
    for (char& c : cmdline) {
      if (c == '\0') c = ' ';
    }
    text += "\n  pid " + std::to_string(pid) + ": " + cmdline;
  }
  return text;
}

bool WaitFor(const std::function<bool()>& condition, milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!condition()) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(milliseconds(10));
  }
  return true;
}

// The parent pid of `pid` as this process sees it, or -1.
pid_t ParentOf(pid_t pid) {
  const std::string status = ReadAll("/proc/" + std::to_string(pid) + "/status");
  const size_t at = status.find("\nPPid:");
  if (at == std::string::npos) return -1;
  return static_cast<pid_t>(std::atol(status.c_str() + at + 6));
}

// The probe's line for `attempt` in ProbeAll's answer; "<missing>" when the shell printed none.
std::string Line(const std::map<std::string, std::string>& lines, const std::string& attempt) {
  const auto found = lines.find(attempt);
  return found == lines.end() ? "<missing>" : found->second;
}

// The pid namespace of `pid` ("pid:[4026531836]"), or "" when it cannot be read.
std::string PidNamespaceOf(pid_t pid) {
  std::error_code error;
  const fs::path target = fs::read_symlink("/proc/" + std::to_string(pid) + "/ns/pid", error);
  return error ? "" : target.string();
}

// A listening socket owned by the test; closed on destruction.
class Listener {
 public:
  Listener() = default;
  explicit Listener(int fd) : fd_(fd) {}
  Listener(Listener&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Listener& operator=(Listener&& other) noexcept {
    std::swap(fd_, other.fd_);
    return *this;
  }
  ~Listener() {
    if (fd_ >= 0) close(fd_);
  }
  bool valid() const { return fd_ >= 0; }
  int fd() const { return fd_; }

  // True when nobody connected: a non-blocking accept finds nothing (EAGAIN).
  bool NeverAccepted() const {
    const int accepted = accept4(fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (accepted >= 0) {
      close(accepted);
      return false;
    }
    return errno == EAGAIN || errno == EWOULDBLOCK;
  }

 private:
  int fd_ = -1;
};

Listener ListenTcp4(int& port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      listen(fd, 8) != 0 || getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    if (fd >= 0) close(fd);
    return Listener();
  }
  port = ntohs(address.sin_port);
  return Listener(fd);
}

Listener ListenTcp6(int& port) {
  const int fd = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  sockaddr_in6 address{};
  address.sin6_family = AF_INET6;
  address.sin6_addr = in6addr_loopback;
  socklen_t length = sizeof address;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      listen(fd, 8) != 0 || getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    if (fd >= 0) close(fd);
    return Listener();
  }
  port = ntohs(address.sin6_port);
  return Listener(fd);
}

// A unix listener on `name`: a path, or an abstract name when `abstract`.
Listener ListenUnix(const std::string& name, bool abstract) {
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const size_t offset = abstract ? 1 : 0;
  memcpy(address.sun_path + offset, name.data(), name.size());
  const socklen_t length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + offset +
                                                  name.size() + (abstract ? 0 : 1));
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      listen(fd, 8) != 0) {
    if (fd >= 0) close(fd);
    return Listener();
  }
  return Listener(fd);
}

class SandboxEscapeProcessTest : public SandboxRunFixture {
 protected:
  void SetUp() override {
    SandboxRunFixture::SetUp();
    static std::optional<bool> available;
    if (!available.has_value()) {
      const CommandResult result = RunShell("true");
      available = !skipped_ && result.exit_code == 0;
    }
    if (!*available) GTEST_SKIP() << "this machine cannot start the sandbox";
    ASSERT_EQ(access(kProbe, X_OK), 0) << kProbe;
  }

  // Runs sandbox_probe once in the sandbox and returns its one line ("ok", "errno=EPERM").
  std::string Probe(const std::vector<std::string>& attempt) {
    std::vector<std::string> argv = {kProbe};
    argv.insert(argv.end(), attempt.begin(), attempt.end());
    const CommandResult result = Run(argv);
    EXPECT_EQ(result.exit_code, 0) << Join(attempt) << ": " << result.Summary() << "\n"
                                   << result.stderr_text;
    return Trim(result.stdout_text);
  }

  // Runs each attempt with sandbox_probe in one sandboxed shell; the probe's line per attempt,
  // keyed by the attempt's words joined with spaces ("" when the probe printed nothing).
  std::map<std::string, std::string> ProbeAll(
      const std::vector<std::vector<std::string>>& attempts) {
    std::string script;
    for (const std::vector<std::string>& attempt : attempts) {
      std::string call = ShellQuote(kProbe);
      for (const std::string& word : attempt) call.append(" ").append(ShellQuote(word));
      script.append("printf '%s=%s\\n' ").append(ShellQuote(Join(attempt)));
      script.append(" \"$(").append(call).append(")\"\n");
    }
    const CommandResult result = RunShell(script);
    EXPECT_EQ(result.exit_code, 0) << result.Summary() << "\n" << result.stderr_text;
    std::map<std::string, std::string> lines;
    std::istringstream out(result.stdout_text);
    for (std::string line; std::getline(out, line);) {
      const size_t equals = line.find('=');
      if (equals != std::string::npos) lines[line.substr(0, equals)] = line.substr(equals + 1);
    }
    return lines;
  }

  // A unique number usable as `sleep` duration that also marks the run's processes on the host:
  // every process of the run that carries it in its command line is found by ProcessesWithMarker.
  static std::string UniqueSleep() {
    static int counter = 0;
    return "1000." + std::to_string(getpid()) + "0" + std::to_string(++counter) + "7";
  }

  // Expects that no host process carries `marker` (right now, no waiting).
  static void ExpectNoProcessWith(const std::string& marker) {
    const std::vector<pid_t> left = ProcessesWithMarker(marker);
    EXPECT_TRUE(left.empty()) << "processes of the run are still alive:" << DescribeProcesses(left);
    for (pid_t pid : left) kill(pid, SIGKILL);  // do not leak them into the next test
  }
};

// --- A6.9: no network, failing fast ----------------------------------------------------------

TEST_F(SandboxEscapeProcessTest, RawNetworkSocketsAreRefusedByTheFilter) {
  const auto lines = ProbeAll({{"socket-unix"},
                               {"tcp4", "1.1.1.1", "80"},
                               {"udp4", "1.1.1.1", "53"},
                               {"udp4", "127.0.0.53", "53"},
                               {"tcp6", "2606:4700:4700::1111", "80"},
                               {"socket-inet6"},
                               {"socket-inet-raw"}});
  if (skipped_) GTEST_SKIP();
  EXPECT_EQ(Line(lines, "socket-unix"), "ok");  // the probe works; unix sockets are allowed
  for (const char* attempt : {"tcp4 1.1.1.1 80", "udp4 1.1.1.1 53", "udp4 127.0.0.53 53",
                              "tcp6 2606:4700:4700::1111 80", "socket-inet6", "socket-inet-raw"}) {
    EXPECT_EQ(Line(lines, attempt), "errno=EPERM") << attempt;
  }
}

TEST_F(SandboxEscapeProcessTest, NetworkToolsFailFast) {
  struct Tool {
    std::string program;
    std::vector<std::string> argv;
  };
  const std::vector<Tool> tools = {
      {"bash", {"bash", "-c", "echo x > /dev/tcp/1.1.1.1/80"}},
      {"bash", {"bash", "-c", "echo x > /dev/udp/1.1.1.1/53"}},
      {"getent", {"getent", "hosts", "example.com"}},
      {"getent", {"getent", "ahostsv6", "example.com"}},
      {"curl", {"curl", "-sS", "-m", "4", "http://1.1.1.1/"}},
      {"curl", {"curl", "-sS", "-m", "4", "http://example.com/"}},
      {"curl", {"curl", "-sS", "-6", "-m", "4", "http://[2606:4700:4700::1111]/"}},
      {"wget", {"wget", "-q", "-T", "4", "-t", "1", "-O", "-", "http://1.1.1.1/"}},
      {"wget", {"wget", "-q", "-T", "4", "-t", "1", "-O", "-", "http://example.com/"}},
      {"ping", {"ping", "-c", "1", "-W", "2", "1.1.1.1"}},
      {"ping", {"ping", "-6", "-c", "1", "-W", "2", "2606:4700:4700::1111"}},
  };
  int ran = 0;
  for (const Tool& tool : tools) {
    if (!ProgramExists(tool.program)) {
      std::printf("[ SKIPPED  ] %s is not installed\n", tool.program.c_str());
      continue;
    }
    SCOPED_TRACE(Join(tool.argv));
    FATHOM_RUN_OR_SKIP(result, Run(tool.argv));
    ++ran;
    EXPECT_FALSE(result.timed_out);
    EXPECT_TRUE(result.exit_code.has_value() && *result.exit_code != 0) << result.Summary();
    EXPECT_LT(result.wall_time.count(), 5000);
  }
  EXPECT_GT(ran, 0);
}

// --- A6.10: host loopback services ------------------------------------------------------------

TEST_F(SandboxEscapeProcessTest, HostLoopbackServicesAreUnreachable) {
  int port4 = 0;
  int port6 = 0;
  Listener tcp4 = ListenTcp4(port4);
  ASSERT_TRUE(tcp4.valid());
  Listener tcp6 = ListenTcp6(port6);  // may fail where IPv6 is off
  const std::string abstract_name = "fathom-test-" + std::to_string(getpid());
  Listener abstract = ListenUnix(abstract_name, /*abstract=*/true);
  ASSERT_TRUE(abstract.valid());
  const std::string tmp_path = "/tmp/fathom-test-" + std::to_string(getpid()) + ".sock";
  unlink(tmp_path.c_str());
  Listener tmp_socket = ListenUnix(tmp_path, /*abstract=*/false);
  ASSERT_TRUE(tmp_socket.valid());
  const std::string run_path = "/run/fathom-test-" + std::to_string(getpid()) + ".sock";
  unlink(run_path.c_str());
  Listener run_socket = ListenUnix(run_path, /*abstract=*/false);  // only where /run is writable

  // Control: unsandboxed, the probe does reach them (so the names and ports are right).
  {
    base::Result<Sandbox> host = Sandbox::Create(policy_, home_, Isolation::kUnsandboxed);
    ASSERT_TRUE(host.ok()) << host.error();
    for (const std::vector<std::string>& attempt :
         {std::vector<std::string>{"tcp4", "127.0.0.1", std::to_string(port4)},
          std::vector<std::string>{"abstract", abstract_name},
          std::vector<std::string>{"unix", tmp_path}}) {
      CommandRequest request;
      request.argv = {kProbe};
      request.argv.insert(request.argv.end(), attempt.begin(), attempt.end());
      base::Result<CommandResult> result = host->Run(request);
      ASSERT_TRUE(result.ok()) << result.error();
      EXPECT_EQ(Trim(result->stdout_text), "ok") << "control " << Join(attempt);
    }
    for (const Listener* listener : {&tcp4, &abstract, &tmp_socket}) {
      const int accepted = accept4(listener->fd(), nullptr, nullptr, SOCK_CLOEXEC);
      if (accepted >= 0) close(accepted);
    }
  }

  std::vector<std::vector<std::string>> attempts = {
      {"tcp4", "127.0.0.1", std::to_string(port4)},
      {"abstract", abstract_name},
      {"unix", tmp_path},
  };
  if (tcp6.valid()) attempts.push_back({"tcp6", "::1", std::to_string(port6)});
  if (run_socket.valid()) attempts.push_back({"unix", run_path});
  const auto lines = ProbeAll(attempts);
  FATHOM_RUN_OR_SKIP(bash,
                     Run({"bash", "-c", "echo x > /dev/tcp/127.0.0.1/" + std::to_string(port4)}));
  unlink(tmp_path.c_str());
  if (run_socket.valid()) unlink(run_path.c_str());

  EXPECT_EQ(Line(lines, "tcp4 127.0.0.1 " + std::to_string(port4)), "errno=EPERM");
  // The sandbox has its own network namespace, so the host's abstract names do not exist there.
  EXPECT_EQ(Line(lines, "abstract " + abstract_name), "errno=ECONNREFUSED");
  EXPECT_EQ(Line(lines, "unix " + tmp_path), "errno=ENOENT");  // a fresh /tmp
  if (tcp6.valid()) {
    EXPECT_EQ(Line(lines, "tcp6 ::1 " + std::to_string(port6)), "errno=EPERM");
  }
  if (run_socket.valid()) {
    EXPECT_EQ(Line(lines, "unix " + run_path), "errno=ENOENT");  // a fresh /run
  } else {
    std::printf("[ SKIPPED  ] /run is not writable here: no /run socket case\n");
  }
  EXPECT_NE(bash.exit_code, 0);
  EXPECT_LT(bash.wall_time.count(), 5000);

  EXPECT_TRUE(tcp4.NeverAccepted());
  EXPECT_TRUE(abstract.NeverAccepted());
  EXPECT_TRUE(tmp_socket.NeverAccepted());
  if (tcp6.valid()) {
    EXPECT_TRUE(tcp6.NeverAccepted());
  }
  if (run_socket.valid()) {
    EXPECT_TRUE(run_socket.NeverAccepted());
  }
}

// --- A6.11, A6.12: other socket families, io_uring ---------------------------------------------

TEST_F(SandboxEscapeProcessTest, NetlinkPacketAndVsockSocketsAreDenied) {
  const auto lines = ProbeAll({{"socket-unix"},
                               {"socket-netlink"},
                               {"socket-packet"},
                               {"socket-vsock"},
                               {"socket-netlink-high"},
                               {"socket-inet-high"}});
  if (skipped_) GTEST_SKIP();
  EXPECT_EQ(Line(lines, "socket-unix"), "ok");
  for (const char* attempt : {"socket-netlink", "socket-packet", "socket-vsock",
                              "socket-netlink-high", "socket-inet-high"}) {
    EXPECT_EQ(Line(lines, attempt), "errno=EPERM") << attempt;
  }
}

TEST_F(SandboxEscapeProcessTest, IoUringIsUnavailable) {
  const std::string line = Probe({"io_uring"});
  if (skipped_) GTEST_SKIP();
  EXPECT_TRUE(line == "errno=EPERM" || line == "errno=ENOSYS") << line;
}

// --- A6.13: host agent sockets ---------------------------------------------------------------

TEST_F(SandboxEscapeProcessTest, AgentAndDaemonSocketsAreNotReachable) {
  const std::string agent_path = "/tmp/fathom-agent-" + std::to_string(getpid()) + ".sock";
  unlink(agent_path.c_str());
  Listener agent = ListenUnix(agent_path, /*abstract=*/false);
  ASSERT_TRUE(agent.valid());
  setenv("SSH_AUTH_SOCK", agent_path.c_str(), 1);
  setenv("DBUS_SESSION_BUS_ADDRESS", ("unix:path=" + agent_path).c_str(), 1);
  const std::string probe = ShellQuote(kProbe);
  FATHOM_RUN_OR_SKIP(
      result, RunShell("env; echo ---; ls -A /run /var/run; echo ---;"
                       "for p in /var/run/docker.sock /run/docker.sock /run/dbus/system_bus_socket "
                       "/run/dbus /run/user; do test -e $p && echo present:$p; done;"
                       "echo agent=$(" +
                       probe + " unix " + ShellQuote(agent_path) +
                       ");"
                       "echo docker=$(" +
                       probe +
                       " unix /var/run/docker.sock);"
                       "echo dbus=$(" +
                       probe + " unix /run/dbus/system_bus_socket)"));
  unsetenv("SSH_AUTH_SOCK");
  unsetenv("DBUS_SESSION_BUS_ADDRESS");
  unlink(agent_path.c_str());
  ASSERT_EQ(result.exit_code, 0) << result.stderr_text;
  EXPECT_EQ(result.stdout_text.find("SSH_AUTH_SOCK"), std::string::npos) << result.stdout_text;
  EXPECT_EQ(result.stdout_text.find("DBUS_SESSION_BUS_ADDRESS"), std::string::npos);
  EXPECT_EQ(result.stdout_text.find("present:"), std::string::npos) << result.stdout_text;
  EXPECT_NE(result.stdout_text.find("---\n/run:\n\n/var/run:\n---"), std::string::npos)
      << "/run is not empty:\n"
      << result.stdout_text;
  EXPECT_NE(result.stdout_text.find("agent=errno=ENOENT"), std::string::npos) << result.stdout_text;
  EXPECT_NE(result.stdout_text.find("docker=errno=ENOENT"), std::string::npos);
  EXPECT_NE(result.stdout_text.find("dbus=errno=ENOENT"), std::string::npos);
  EXPECT_TRUE(agent.NeverAccepted());
}

// --- A6.15, A6.16: other processes ------------------------------------------------------------

TEST_F(SandboxEscapeProcessTest, PtraceAndProcessMemoryAccessAreDenied) {
  const std::string host_pid = std::to_string(getpid());
  const auto lines = ProbeAll({{"getpid"},
                               {"ptrace", "1"},
                               {"ptrace", "0"},
                               {"ptrace-child"},
                               {"ptrace", host_pid},
                               {"vm-readv", "1"},
                               {"vm-readv", host_pid},
                               {"proc-mem", "1"},
                               {"proc-mem-read", "1"},
                               {"proc-mem", host_pid}});
  if (skipped_) GTEST_SKIP();
  EXPECT_EQ(Line(lines, "getpid"), "ok");
  for (const std::string& attempt :
       std::vector<std::string>{"ptrace 1", "ptrace 0", "ptrace-child", "ptrace " + host_pid,
                                "vm-readv 1", "vm-readv " + host_pid}) {
    EXPECT_EQ(Line(lines, attempt), "errno=EPERM") << attempt;
  }
  // /proc is read-only (EROFS for O_RDWR); reading needs ptrace access, which the init (not
  // dumpable) does not give a command without capabilities.
  EXPECT_TRUE(Line(lines, "proc-mem 1").starts_with("errno=")) << Line(lines, "proc-mem 1");
  EXPECT_EQ(Line(lines, "proc-mem-read 1"), "errno=EACCES");
  EXPECT_EQ(Line(lines, "proc-mem " + host_pid), "errno=ENOENT");
}

TEST_F(SandboxEscapeProcessTest, OnlySandboxPidsAreVisible) {
  const std::string secret = "fathom-host-only-" + std::to_string(getpid());
  setenv("FATHOM_HOST_ONLY_SECRET", secret.c_str(), 1);
  const std::string host_pid = std::to_string(getpid());
  FATHOM_RUN_OR_SKIP(result, RunShell("ls /proc; echo ---; cat /proc/1/environ; echo; "
                                      "cat /proc/1/cmdline /proc/1/maps >/dev/null 2>&1; "
                                      "test -e /proc/" +
                                      host_pid +
                                      " && echo host-pid-visible; "
                                      "cat /proc/" +
                                      host_pid +
                                      "/cmdline 2>/dev/null && echo host-cmdline; "
                                      "kill -0 " +
                                      host_pid +
                                      " 2>/dev/null && echo host-signalable; "
                                      "echo end"));
  unsetenv("FATHOM_HOST_ONLY_SECRET");
  const std::string out = result.stdout_text;
  ASSERT_NE(out.find("end"), std::string::npos) << out << result.stderr_text;
  EXPECT_EQ(out.find(secret), std::string::npos) << "the host environment leaks:\n" << out;
  EXPECT_EQ(result.stderr_text.find(secret), std::string::npos);
  if (getpid() > 16) {
    EXPECT_EQ(out.find("host-pid-visible"), std::string::npos);
    EXPECT_EQ(out.find("host-cmdline"), std::string::npos);
    EXPECT_EQ(out.find("host-signalable"), std::string::npos);
  }
  std::istringstream listing(out.substr(0, out.find("---")));
  std::vector<long> pids;
  for (std::string entry; listing >> entry;) {
    if (entry.find_first_not_of("0123456789") == std::string::npos)
      pids.push_back(std::stol(entry));
  }
  ASSERT_FALSE(pids.empty()) << out;
  for (long pid : pids) EXPECT_LE(pid, 10) << "a pid beyond the sandbox's few: " << pid;
  EXPECT_NE(std::find(pids.begin(), pids.end(), 1), pids.end());
}

// /proc/1 inside is the sandbox's init. Its environment, memory, maps and links are ptrace-gated
// (the init holds capabilities the command lacks and is not dumpable); its command line is not,
// and must not carry the agent's.
TEST_F(SandboxEscapeProcessTest, SandboxInitDoesNotExposeTheAgent) {
  std::string host_cmdline = ReadAll("/proc/self/cmdline");
  std::replace(host_cmdline.begin(), host_cmdline.end(), '\0', ' ');
  host_cmdline = Trim(host_cmdline);
  ASSERT_FALSE(host_cmdline.empty());
  FATHOM_RUN_OR_SKIP(result,
                     RunShell("echo cmdline=$(tr '\\0' ' ' < /proc/1/cmdline); "
                              "for f in environ maps smaps mem; do "
                              "  head -c 1 /proc/1/$f >/dev/null 2>&1 && echo readable:$f; done; "
                              "for l in exe cwd root; do "
                              "  readlink /proc/1/$l >/dev/null 2>&1 && echo readable:$l; done; "
                              "echo end"));
  ASSERT_NE(result.stdout_text.find("end"), std::string::npos) << result.stderr_text;
  EXPECT_EQ(result.stdout_text.find("\nreadable:"), std::string::npos) << result.stdout_text;
  EXPECT_EQ(result.stdout_text.find(host_cmdline), std::string::npos)
      << "the sandbox reads the agent's command line from /proc/1/cmdline:\n"
      << result.stdout_text;
}

// --- A6.17: terminal injection ----------------------------------------------------------------

TEST_F(SandboxEscapeProcessTest, TerminalInjectionIoctlsAreDenied) {
  const auto lines = ProbeAll({{"tiocsti"}, {"tiocsti-high"}, {"tioclinux"}, {"tioclinux-high"}});
  if (skipped_) GTEST_SKIP();
  for (const char* attempt : {"tiocsti", "tiocsti-high", "tioclinux", "tioclinux-high"}) {
    EXPECT_EQ(Line(lines, attempt), "errno=EPERM") << attempt;
  }
}

TEST_F(SandboxEscapeProcessTest, NoInputReachesARealTerminal) {
  const int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  ASSERT_GE(master, 0) << std::strerror(errno);
  ASSERT_EQ(grantpt(master), 0);
  ASSERT_EQ(unlockpt(master), 0);
  const char* slave_name = ptsname(master);
  ASSERT_NE(slave_name, nullptr);
  const int slave = open(slave_name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  ASSERT_GE(slave, 0) << std::strerror(errno);
  // Non-canonical with echo: an injected byte is readable on the slave at once and echoed to the
  // master, so either side shows it.
  termios settings{};
  ASSERT_EQ(tcgetattr(slave, &settings), 0);
  settings.c_lflag &= ~static_cast<tcflag_t>(ICANON);
  settings.c_lflag |= ECHO;
  settings.c_cc[VMIN] = 0;
  settings.c_cc[VTIME] = 0;
  ASSERT_EQ(tcsetattr(slave, TCSANOW, &settings), 0);
  const auto pending_input = [slave] {
    int count = -1;
    return ioctl(slave, FIONREAD, &count) == 0 ? count : -1;
  };
  const auto master_has_output = [master] {
    pollfd entry{master, POLLIN, 0};
    return poll(&entry, 1, 100) > 0 && (entry.revents & POLLIN) != 0;
  };

  // Control: unsandboxed as root (CAP_SYS_ADMIN), TIOCSTI does inject where the kernel still
  // allows it, which shows that the checks below would see an injected byte.
  {
    base::Result<Sandbox> host = Sandbox::Create(policy_, home_, Isolation::kUnsandboxed);
    ASSERT_TRUE(host.ok()) << host.error();
    CommandRequest request;
    request.argv = {kProbe, "tiocsti"};
    request.stdin_fd = slave;
    base::Result<CommandResult> control = host->Run(request);
    ASSERT_TRUE(control.ok()) << control.error();
    if (Trim(control->stdout_text) == "ok") {
      EXPECT_EQ(pending_input(), 1);
      EXPECT_TRUE(master_has_output());
    } else {
      std::printf("[ SKIPPED  ] control: TIOCSTI is off on this host (%s)\n",
                  Trim(control->stdout_text).c_str());
    }
    tcflush(slave, TCIOFLUSH);
    char drain[64];
    while (master_has_output() && read(master, drain, sizeof drain) > 0) {
    }
  }
  ASSERT_EQ(pending_input(), 0);

  base::Result<Sandbox> sandbox = Sandbox::Create(policy_, home_);
  ASSERT_TRUE(sandbox.ok()) << sandbox.error();
  // tiocsti-ctty last: it makes the terminal the probe's controlling terminal first.
  for (const char* attempt :
       {"tiocsti", "tiocsti-high", "tioclinux", "tioclinux-high", "tiocsti-ctty"}) {
    CommandRequest request;
    request.argv = {kProbe, attempt};
    request.stdin_fd = slave;
    base::Result<CommandResult> result = sandbox->Run(request);
    ASSERT_TRUE(result.ok()) << result.error();
    EXPECT_EQ(Trim(result->stdout_text), "errno=EPERM") << attempt << ": " << result->stderr_text;
    EXPECT_EQ(pending_input(), 0) << "input injected into the terminal by " << attempt;
  }
  EXPECT_FALSE(master_has_output()) << "the terminal echoed injected input";
  close(slave);
  close(master);
}

// --- A6.18, A6.19: namespaces, mounts, privileged kernel interfaces --------------------------

TEST_F(SandboxEscapeProcessTest, NewUserNamespacesAreDenied) {
  const auto lines =
      ProbeAll({{"unshare-user"}, {"clone-newuser"}, {"clone3-newuser"}, {"setns"}, {"mount"}});
  if (skipped_) GTEST_SKIP();
  EXPECT_EQ(Line(lines, "unshare-user"), "errno=EPERM");
  EXPECT_EQ(Line(lines, "clone-newuser"), "errno=EPERM");
  // clone3's flags are behind a pointer: the filter refuses the whole call with ENOSYS.
  const std::string clone3 = Line(lines, "clone3-newuser");
  EXPECT_TRUE(clone3 == "errno=ENOSYS" || clone3 == "errno=EPERM") << clone3;
  EXPECT_EQ(Line(lines, "setns"), "errno=EPERM");
  EXPECT_EQ(Line(lines, "mount"), "errno=EPERM");

  if (!ProgramExists("unshare")) GTEST_SKIP() << "util-linux unshare is not installed";
  FATHOM_RUN_OR_SKIP(
      result, RunShell("unshare -Ur true && echo unshared; "
                       "unshare -Ur sh -c 'mount -t tmpfs none /tmp && echo mounted-in-userns'; "
                       "unshare -m true && echo unshared-mount; "
                       "mount -t tmpfs none /tmp && echo mounted; "
                       "mount --bind / /tmp && echo bound; echo end"));
  EXPECT_NE(result.stdout_text.find("end"), std::string::npos) << result.stderr_text;
  for (const char* escaped :
       {"unshared", "mounted-in-userns", "unshared-mount", "mounted", "bound"}) {
    EXPECT_EQ(result.stdout_text.find(escaped), std::string::npos) << result.stdout_text;
  }
  EXPECT_NE(result.stderr_text.find("Operation not permitted"), std::string::npos)
      << result.stderr_text;
}

TEST_F(SandboxEscapeProcessTest, PrivilegedKernelInterfacesAreDenied) {
  const std::vector<std::string> calls = {"mount",
                                          "fsopen",
                                          "pivot_root",
                                          "chroot",
                                          "init_module",
                                          "finit_module",
                                          "kexec_load",
                                          "bpf",
                                          "perf_event_open",
                                          "keyctl",
                                          "add_key",
                                          "userfaultfd",
                                          "open_by_handle_at"};
  std::vector<std::vector<std::string>> attempts;
  for (const std::string& call : calls) attempts.push_back({call});
  const auto lines = ProbeAll(attempts);
  if (skipped_) GTEST_SKIP();
  for (const std::string& call : calls) EXPECT_EQ(Line(lines, call), "errno=EPERM") << call;
}

// --- A6.22: other system call ABIs ------------------------------------------------------------

TEST_F(SandboxEscapeProcessTest, X32SystemCallKillsTheProcess) {
  FATHOM_RUN_OR_SKIP(result, Run({kProbe, "x32-getpid"}));
  EXPECT_EQ(result.signal, SIGSYS) << result.Summary();
  EXPECT_FALSE(result.exit_code.has_value());
  EXPECT_EQ(result.stdout_text, "");
}

TEST_F(SandboxEscapeProcessTest, I386SystemCallKillsTheProcess) {
  // Whether this kernel runs i386 system calls at all (IA32 emulation), asked unsandboxed.
  FILE* host = popen((std::string(kProbe) + " i386-getpid 2>/dev/null").c_str(), "r");
  ASSERT_NE(host, nullptr);
  char line[64] = {};
  const bool got = fgets(line, sizeof line, host) != nullptr;
  const int status = pclose(host);
  if (!got || Trim(line) != "ok") {
    GTEST_SKIP() << "this kernel does not run i386 system calls (probe printed \""
                 << Trim(got ? line : "") << "\", wait status " << status << ")";
  }
  FATHOM_RUN_OR_SKIP(result, Run({kProbe, "i386-getpid"}));
  EXPECT_EQ(result.signal, SIGSYS) << result.Summary() << " " << result.stdout_text;
}

// --- A6.23 - A6.26: resource exhaustion and process lifetime ----------------------------------

TEST_F(SandboxEscapeProcessTest, ForkBombIsCappedAndReaped) {
  policy_.limits.max_processes = 64;
  policy_.limits.wall_time_ms = 3000;
  const std::string marker = UniqueSleep();
  // The host keeps ticking while the bomb runs: record the worst lateness of a 20 ms timer.
  std::atomic<bool> running{true};
  std::atomic<long> worst_lateness_ms{0};
  std::thread ticker([&] {
    while (running) {
      const auto before = Clock::now();
      std::this_thread::sleep_for(milliseconds(20));
      const long late =
          std::chrono::duration_cast<milliseconds>(Clock::now() - before).count() - 20;
      if (late > worst_lateness_ms) worst_lateness_ms = late;
    }
  });
  // `true` and `[` are builtins: once `:` is the bomb, the loop must not fork to keep going.
  CommandResult result = Run({"bash", "-c",
                              ": " + marker +
                                  "; end=$((SECONDS+2)); :(){ :|:& };:; "
                                  "while [ $SECONDS -lt $end ]; do true; done; echo survived"});
  running = false;
  ticker.join();
  if (skipped_) GTEST_SKIP();
  EXPECT_LT(result.wall_time.count(), 5000) << result.Summary();
  EXPECT_NE(result.stderr_text.find("Resource temporarily unavailable"), std::string::npos)
      << "the pids limit never refused a fork:\n"
      << result.stderr_text.substr(0, 500);
  EXPECT_LT(worst_lateness_ms.load(), 1000) << "the host stalled during the fork bomb";
  ExpectNoProcessWith(marker);
  // Still responsive: the next run works.
  policy_.limits = SandboxLimits{};
  FATHOM_RUN_OR_SKIP(after, RunShell("echo alive"));
  EXPECT_EQ(after.stdout_text, "alive\n");
}

TEST_F(SandboxEscapeProcessTest, MemoryBombIsOomKilledInItsCgroup) {
  policy_.limits.memory_bytes = uint64_t{256} << 20;
  policy_.limits.wall_time_ms = 20000;
  // tail keeps the whole last "line" of /dev/zero, which never ends.
  FATHOM_RUN_OR_SKIP(result, Run({"tail", "/dev/zero"}));
  EXPECT_EQ(result.signal, SIGKILL) << result.Summary();
  EXPECT_TRUE(result.memory_limit_hit) << result.Summary();
  EXPECT_FALSE(result.timed_out);
  EXPECT_LT(result.wall_time.count(), 10000);
}

TEST_F(SandboxEscapeProcessTest, FillingTmpEndsWithNoSpace) {
  policy_.limits.memory_bytes = uint64_t{256} << 20;  // /tmp gets half: 128 MiB
  const std::string name = "fathom-fill-" + std::to_string(getpid());
  FATHOM_RUN_OR_SKIP(result, RunShell("dd if=/dev/zero of=/tmp/" + name +
                                      " bs=1M count=200; echo dd=$?; rm -f /tmp/" + name));
  EXPECT_NE(result.stderr_text.find("No space left on device"), std::string::npos)
      << result.Summary() << "\n"
      << result.stderr_text;
  EXPECT_EQ(result.stdout_text.find("dd=0"), std::string::npos) << result.stdout_text;
  EXPECT_FALSE(result.memory_limit_hit);
  EXPECT_FALSE(fs::exists("/tmp/" + name));  // the sandbox's /tmp is not the host's
}

TEST_F(SandboxEscapeProcessTest, OversizedFileEndsWithFileTooLarge) {
  policy_.limits.file_size_bytes = uint64_t{1} << 20;
  FATHOM_RUN_OR_SKIP(result, RunShell("dd if=/dev/zero of=big bs=1M count=4; echo dd=$?"));
  EXPECT_NE(result.stderr_text.find("File too large"), std::string::npos)
      << result.Summary() << "\n"
      << result.stderr_text;
  EXPECT_EQ(result.stdout_text.find("dd=0"), std::string::npos) << result.stdout_text;
  ASSERT_TRUE(fs::exists(workspace_ / "big"));
  EXPECT_LE(fs::file_size(workspace_ / "big"), uint64_t{1} << 20);
}

TEST_F(SandboxEscapeProcessTest, RunawayLoopIsKilledAtTheWallTime) {
  policy_.limits.wall_time_ms = 500;
  const std::string marker = UniqueSleep();
  FATHOM_RUN_OR_SKIP(result, RunShell(": " + marker + "; while :; do :; done"));
  EXPECT_TRUE(result.timed_out) << result.Summary();
  EXPECT_FALSE(result.exit_code.has_value()) << result.Summary();
  EXPECT_TRUE(result.signal.has_value());
  EXPECT_LT(result.wall_time.count(), 2500);
  ExpectNoProcessWith(marker);
}

// Starts daemons the usual ways, then ends (by exiting, or by running into the wall time).
std::string DaemonScript(const std::string& marker, bool then_hang) {
  return "nohup sleep " + marker +
         " >/dev/null 2>&1 & "
         "setsid sleep " +
         marker +
         " & "
         "(sh -c 'sleep " +
         marker + " & : " + marker +
         "' &) ; "
         "(trap '' HUP TERM; exec sleep " +
         marker +
         ") & "
         "sleep 0.2; echo started; " +
         (then_hang ? "sleep " + marker : std::string("exit 0"));
}

TEST_F(SandboxEscapeProcessTest, DaemonsDieWhenTheCommandExits) {
  const std::string marker = UniqueSleep();
  FATHOM_RUN_OR_SKIP(result, RunShell(DaemonScript(marker, /*then_hang=*/false)));
  EXPECT_EQ(result.exit_code, 0) << result.Summary() << result.stderr_text;
  EXPECT_EQ(result.stdout_text, "started\n");
  EXPECT_LT(result.wall_time.count(), 3000);
  ExpectNoProcessWith(marker);
}

TEST_F(SandboxEscapeProcessTest, DaemonsDieWhenTheCommandTimesOut) {
  policy_.limits.wall_time_ms = 600;
  const std::string marker = UniqueSleep();
  FATHOM_RUN_OR_SKIP(result, RunShell(DaemonScript(marker, /*then_hang=*/true)));
  EXPECT_TRUE(result.timed_out) << result.Summary();
  EXPECT_EQ(result.stdout_text, "started\n");
  EXPECT_LT(result.wall_time.count(), 3000);
  ExpectNoProcessWith(marker);
}

TEST_F(SandboxEscapeProcessTest, IgnoringSigtermStillEndsInSigkill) {
  policy_.limits.wall_time_ms = 400;
  const std::string marker = UniqueSleep();
  FATHOM_RUN_OR_SKIP(result, RunShell("trap '' TERM; sleep " + marker + " & : " + marker +
                                      "; while :; do :; done"));
  EXPECT_TRUE(result.timed_out) << result.Summary();
  EXPECT_EQ(result.signal, SIGKILL) << result.Summary();
  EXPECT_GE(result.wall_time.count(), 400);
  EXPECT_LT(result.wall_time.count(), 400 + 2500) << "no SIGKILL escalation";
  ExpectNoProcessWith(marker);
}

// --- A6.27: either side dying -----------------------------------------------------------------

TEST_F(SandboxEscapeProcessTest, KilledSandboxInitTakesTheWholeTreeDown) {
  policy_.limits.wall_time_ms = 5000;  // a bound should the kill below never happen
  const std::string marker = UniqueSleep();
  std::atomic<pid_t> killed_init{-1};
  std::thread killer([&] {
    pid_t shell = -1;
    WaitFor(
        [&] {
          for (pid_t pid : ProcessesWithMarker(marker)) {
            // The shell runs `sleep`; its parent (on the host) is the sandbox's init.
            if (ReadFile("/proc/" + std::to_string(pid) + "/comm") == "sh\n") shell = pid;
          }
          return shell > 0 && ProcessesWithMarker(marker).size() >= 3;
        },
        milliseconds(2000));
    if (shell <= 0) return;
    // Only a process in another pid namespace: never a host process, should the sandbox break.
    const pid_t init = ParentOf(shell);
    if (init <= 1 || PidNamespaceOf(init) == PidNamespaceOf(getpid()) ||
        PidNamespaceOf(init).empty()) {
      return;
    }
    if (kill(init, SIGKILL) == 0) killed_init = init;
  });
  const auto start = Clock::now();
  CommandResult result = RunShell("sleep " + marker + " & sleep " + marker + "; : " + marker);
  killer.join();
  if (skipped_) GTEST_SKIP();
  ASSERT_GT(killed_init.load(), 0) << "never found the sandbox's init";
  EXPECT_FALSE(result.exit_code.has_value()) << result.Summary();
  EXPECT_EQ(result.signal, SIGKILL) << result.Summary();
  EXPECT_LT(std::chrono::duration_cast<milliseconds>(Clock::now() - start).count(), 3000);
  ExpectNoProcessWith(marker);
}

// The leaked cgroups of a run whose owner was killed (they are named fathom-<owner pid>-<n>).
std::vector<fs::path> RunCgroupsOf(pid_t owner) {
  std::vector<fs::path> found;
  base::Result<CgroupHierarchies> hierarchies = FindCgroupHierarchies();
  if (!hierarchies.ok()) return found;
  base::Result<RunCgroupParents> parents = FindRunCgroupParents(*hierarchies);
  if (!parents.ok()) return found;
  const std::string prefix = "fathom-" + std::to_string(owner) + "-";
  for (const fs::path& parent : {parents->memory, parents->pids}) {
    std::error_code error;
    for (const fs::directory_entry& entry : fs::directory_iterator(parent, error)) {
      if (entry.path().filename().string().starts_with(prefix)) found.push_back(entry.path());
    }
  }
  return found;
}

TEST_F(SandboxEscapeProcessTest, KilledAgentTakesTheSandboxDown) {
  policy_.limits.wall_time_ms = 5000;
  const std::string marker = UniqueSleep();
  const pid_t agent = fork();
  ASSERT_GE(agent, 0);
  if (agent == 0) {
    // The "agent": single-threaded, it runs the command and would report how it ended.
    base::Result<Sandbox> sandbox = Sandbox::Create(policy_, home_);
    if (!sandbox.ok()) _exit(2);
    CommandRequest request;
    request.argv = {"/bin/sh", "-c", "sleep " + marker + " & sleep " + marker + "; : " + marker};
    request.working_directory = workspace_;
    base::Result<CommandResult> ignored = sandbox->Run(request);
    _exit(3);
  }
  const bool started =
      WaitFor([&] { return ProcessesWithMarker(marker).size() >= 3; }, milliseconds(2500));
  kill(agent, SIGKILL);
  int status = 0;
  waitpid(agent, &status, 0);
  ASSERT_TRUE(started) << "the sandboxed command never started (agent "
                       << (WIFEXITED(status) ? "exited " + std::to_string(WEXITSTATUS(status))
                                             : "was killed")
                       << ")";
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  const bool gone =
      WaitFor([&] { return ProcessesWithMarker(marker).empty(); }, milliseconds(2000));
  EXPECT_TRUE(gone) << "orphans of the killed agent:"
                    << DescribeProcesses(ProcessesWithMarker(marker));
  ExpectNoProcessWith(marker);
  // The dead agent could not remove its run's cgroup directories; remove them so they do not
  // collide with a later process that gets the same pid (they are empty once the tree is gone).
  for (const fs::path& cgroup : RunCgroupsOf(agent)) {
    WaitFor([&] { return rmdir(cgroup.c_str()) == 0 || errno == ENOENT; }, milliseconds(1000));
  }
}

// --- A6.29: fail closed -----------------------------------------------------------------------

TEST_F(SandboxEscapeProcessTest, RefusesToRunWithoutNamespaces) {
  for (int refusal : {EPERM, ENOSYS}) {
    SCOPED_TRACE(std::string("new namespaces fail with ") + strerrorname_np(refusal));
    const fs::path ran = workspace_ / ("ran-" + std::to_string(refusal));
    int message_pipe[2];
    ASSERT_EQ(pipe2(message_pipe, O_CLOEXEC), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      close(message_pipe[0]);
      const auto report = [&](int code, const std::string& message) {
        [[maybe_unused]] ssize_t written = write(message_pipe[1], message.data(), message.size());
        _exit(code);
      };
      base::Result<Sandbox> sandbox = Sandbox::Create(policy_, home_);
      if (!sandbox.ok()) report(12, sandbox.error().ToString());
      // This kernel "lacks" the namespaces: clone3, and clone with CLONE_NEWUSER, fail the way
      // they would there.
      const uint32_t action = SCMP_ACT_ERRNO(static_cast<uint32_t>(refusal));
      const scmp_arg_cmp new_user{0, SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER};
      scmp_filter_ctx filter = seccomp_init(SCMP_ACT_ALLOW);
      if (filter == nullptr || seccomp_rule_add(filter, action, SCMP_SYS(clone3), 0) != 0 ||
          seccomp_rule_add(filter, action, SCMP_SYS(clone), 1, new_user) != 0 ||
          seccomp_load(filter) != 0) {
        report(11, "cannot install the test's seccomp filter");
      }
      CommandRequest request;
      request.argv = {"/bin/sh", "-c", "touch " + ran.string()};
      request.working_directory = workspace_;
      base::Result<CommandResult> result = sandbox->Run(request);
      if (result.ok()) report(10, "the command ran: " + result->Summary());
      report(0, result.error().ToString());
    }
    close(message_pipe[1]);
    std::string message;
    char buffer[512];
    for (ssize_t got; (got = read(message_pipe[0], buffer, sizeof buffer)) > 0;) {
      message.append(buffer, static_cast<size_t>(got));
    }
    close(message_pipe[0]);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status)) << "the child died: status " << status;
    ASSERT_EQ(WEXITSTATUS(status), 0) << message;
    EXPECT_NE(message.find("the sandbox cannot start"), std::string::npos) << message;
    EXPECT_NE(message.find("did not run"), std::string::npos) << message;
    EXPECT_NE(message.find("namespaces"), std::string::npos) << message;
    EXPECT_NE(message.find("--sandbox=off"), std::string::npos) << message;
    EXPECT_FALSE(fs::exists(ran)) << "the command ran anyway";
  }
}

}  // namespace
}  // namespace fathom::sandbox
