// RunCgroup on this machine's real cgroups (v2, or v1 memory and pids): directories and limits,
// membership, the pids and memory limits enforced on forked children, KillAll against a tree that
// ignores SIGTERM and leaves its session, cleanup; skipped where ProbeCgroups finds no usable
// hierarchy. Children only make async-signal-safe calls after fork.
#include "sandbox/linux/run_cgroup.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sandbox/cgroup_hierarchies.h"
#include "sandbox/kernel_features.h"
#include "sandbox/system_files.h"

namespace fathom::sandbox::linux {
namespace {

namespace fs = std::filesystem;

constexpr uint64_t kMemoryLimit = uint64_t{64} << 20;
constexpr RunCgroupLimits kLimits = {.memory_bytes = kMemoryLimit, .max_processes = 64};

// A forked child blocked on a gate pipe until Release(), so it can join a cgroup before it does
// anything; then it runs `body(report_fd)` and exits with what that returns.
class GatedChild {
 public:
  GatedChild(int (*body)(int report_fd), int report_fd) {
    int gate[2];
    if (pipe2(gate, O_CLOEXEC) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      close(gate[1]);
      char byte = 0;
      if (read(gate[0], &byte, 1) != 1) _exit(100);
      _exit(body(report_fd));
    }
    close(gate[0]);
    gate_ = gate[1];
  }
  ~GatedChild() {
    if (gate_ >= 0) close(gate_);
    if (pid_ > 0 && !reaped_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }

  pid_t pid() const { return pid_; }
  void Release() {
    EXPECT_EQ(write(gate_, "x", 1), 1);
    close(gate_);
    gate_ = -1;
  }
  // The wait status once the child ends.
  int Wait() {
    int status = 0;
    EXPECT_EQ(waitpid(pid_, &status, 0), pid_);
    reaped_ = true;
    return status;
  }

 private:
  pid_t pid_ = -1;
  int gate_ = -1;
  bool reaped_ = false;
};

int PauseForever(int) {
  for (;;) pause();
}

// Forks up to 50 children that stay alive; 0 when a fork failed with EAGAIN, 2 when none failed.
int ForkUntilRefused(int) {
  for (int i = 0; i < 50; ++i) {
    const pid_t pid = fork();
    if (pid == 0) PauseForever(0);
    if (pid < 0) return errno == EAGAIN ? 0 : 3;
  }
  return 2;
}

// Touches 512 MiB page by page; 0 when that succeeds.
int TouchHalfAGibibyte(int) {
  constexpr size_t kSize = size_t{512} << 20;
  void* memory = mmap(nullptr, kSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED) return 4;
  volatile char* bytes = static_cast<volatile char*>(memory);
  for (size_t offset = 0; offset < kSize; offset += 4096) bytes[offset] = 1;
  return 0;
}

constexpr int kStubbornGrandchildren = 4;

// Ignores SIGTERM and forks grandchildren that start their own sessions and report their pids to
// `report_fd`: half of them pause, half fork and reap short-lived children without end.
int SpawnStubbornTree(int report_fd) {
  signal(SIGTERM, SIG_IGN);
  for (int i = 0; i < kStubbornGrandchildren; ++i) {
    if (fork() != 0) continue;
    setsid();
    const pid_t self = getpid();
    if (write(report_fd, &self, sizeof(self)) != sizeof(self)) _exit(5);
    if (i % 2 == 0) PauseForever(0);
    for (;;) {
      const pid_t child = fork();
      if (child == 0) _exit(0);
      if (child > 0) waitpid(child, nullptr, 0);
    }
  }
  PauseForever(0);
  return 0;
}

// Whether `pid` has ended: no such process, or a zombie waiting for its new parent to reap it.
bool HasEnded(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;
  const size_t name_end = line.rfind(')');
  return name_end != std::string::npos && line.substr(name_end + 2, 1) == "Z";
}

std::vector<std::string> ListedProcesses(const fs::path& directory) {
  base::Result<std::string> procs = ReadTrimmedFile(directory / "cgroup.procs");
  return procs.ok() ? SplitWords(*procs) : std::vector<std::string>();
}

class RunCgroupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const CgroupSupport support = ProbeCgroups();
    if (!support.available) GTEST_SKIP() << "no usable cgroup hierarchy: " << support.detail;
  }

  // Unique across tests and concurrently running test processes.
  static std::string UniqueName() {
    static int counter = 0;
    return "fathom-test-" + std::to_string(getpid()) + "-" + std::to_string(++counter);
  }

  static RunCgroup CreateOrDie(const RunCgroupLimits& limits = kLimits) {
    base::Result<RunCgroup> cgroup = RunCgroup::Create(UniqueName(), limits);
    EXPECT_TRUE(cgroup.ok()) << cgroup.error();
    return std::move(cgroup).value();
  }
};

TEST_F(RunCgroupTest, CreatesDirectoriesAndWritesLimits) {
  const RunCgroup cgroup = CreateOrDie({.memory_bytes = kMemoryLimit, .max_processes = 8});
  SCOPED_TRACE(cgroup.Describe());
  ASSERT_FALSE(cgroup.directories().empty());
  bool memory_seen = false;
  bool pids_seen = false;
  for (const fs::path& directory : cgroup.directories()) {
    EXPECT_TRUE(fs::is_directory(directory)) << directory;
    EXPECT_NE(cgroup.Describe().find(directory.string()), std::string::npos);
    for (const char* memory_file :
         {"memory.limit_in_bytes", "memory.memsw.limit_in_bytes", "memory.max"}) {
      if (!fs::exists(directory / memory_file)) continue;
      memory_seen = true;
      EXPECT_EQ(ReadIntegerFile(directory / memory_file), int64_t{kMemoryLimit}) << memory_file;
    }
    if (fs::exists(directory / "pids.max")) {
      pids_seen = true;
      EXPECT_EQ(ReadIntegerFile(directory / "pids.max"), 8);
    }
  }
  EXPECT_TRUE(memory_seen);
  EXPECT_TRUE(pids_seen);
  EXPECT_TRUE(cgroup.Empty());
  EXPECT_EQ(cgroup.OomKills(), 0u);
}

TEST_F(RunCgroupTest, AddedProcessIsListedInEveryHierarchy) {
  RunCgroup cgroup = CreateOrDie();
  GatedChild child(PauseForever, -1);
  ASSERT_GT(child.pid(), 0);
  ASSERT_TRUE(cgroup.AddProcess(child.pid()).ok());
  for (const fs::path& directory : cgroup.directories()) {
    const std::vector<std::string> listed = ListedProcesses(directory);
    EXPECT_NE(std::find(listed.begin(), listed.end(), std::to_string(child.pid())), listed.end())
        << directory;
  }
  EXPECT_FALSE(cgroup.Empty());
  cgroup.KillAll();
  EXPECT_TRUE(cgroup.Empty());
  const int status = child.Wait();
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;
}

TEST_F(RunCgroupTest, PidsLimitRefusesForks) {
  RunCgroup cgroup = CreateOrDie({.memory_bytes = kMemoryLimit, .max_processes = 8});
  GatedChild child(ForkUntilRefused, -1);
  ASSERT_TRUE(cgroup.AddProcess(child.pid()).ok());
  child.Release();
  const int status = child.Wait();
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0) << "2: all 50 forks succeeded; 3: a fork failed otherwise";
}

TEST_F(RunCgroupTest, MemoryLimitKillsTheRun) {
  RunCgroup cgroup = CreateOrDie();
  GatedChild child(TouchHalfAGibibyte, -1);
  ASSERT_TRUE(cgroup.AddProcess(child.pid()).ok());
  child.Release();
  const int status = child.Wait();
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;
  EXPECT_GE(cgroup.OomKills(), 1u);
  const std::optional<uint64_t> peak = cgroup.PeakMemoryBytes();
  if (peak.has_value()) {
    EXPECT_GT(*peak, 0u);
    EXPECT_LE(*peak, kMemoryLimit);
  }
}

TEST_F(RunCgroupTest, KillAllKillsATreeThatIgnoresSigtermAndLeavesItsSession) {
  RunCgroup cgroup = CreateOrDie();
  int report[2];
  ASSERT_EQ(pipe2(report, O_CLOEXEC), 0);
  GatedChild child(SpawnStubbornTree, report[1]);
  close(report[1]);
  ASSERT_TRUE(cgroup.AddProcess(child.pid()).ok());
  child.Release();
  std::vector<pid_t> grandchildren(kStubbornGrandchildren);
  const ssize_t wanted = static_cast<ssize_t>(grandchildren.size() * sizeof(pid_t));
  ssize_t received = 0;
  while (received < wanted) {
    const ssize_t count = read(report[0], reinterpret_cast<char*>(grandchildren.data()) + received,
                               wanted - received);
    ASSERT_GT(count, 0) << "the child ended before all grandchildren reported";
    received += count;
  }
  close(report[0]);
  cgroup.KillAll();
  EXPECT_TRUE(cgroup.Empty());
  const int status = child.Wait();
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;
  for (pid_t grandchild : grandchildren) EXPECT_TRUE(HasEnded(grandchild)) << grandchild;
}

TEST_F(RunCgroupTest, DestructorKillsAndRemovesDirectories) {
  std::vector<fs::path> directories;
  GatedChild child(PauseForever, -1);
  {
    RunCgroup cgroup = CreateOrDie();
    ASSERT_TRUE(cgroup.AddProcess(child.pid()).ok());
    directories = cgroup.directories();
  }
  for (const fs::path& directory : directories) EXPECT_FALSE(fs::exists(directory)) << directory;
  const int status = child.Wait();
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;
}

TEST_F(RunCgroupTest, AbandonedRunCgroupsOfDeadProcessesAreRemoved) {
  const pid_t dead = fork();
  if (dead == 0) _exit(0);
  ASSERT_GT(dead, 0);
  ASSERT_EQ(waitpid(dead, nullptr, 0), dead);
  const RunCgroup first = CreateOrDie();
  std::vector<fs::path> abandoned;
  for (const fs::path& directory : first.directories()) {
    abandoned.push_back(directory.parent_path() / ("fathom-" + std::to_string(dead) + "-0-0"));
    ASSERT_EQ(mkdir(abandoned.back().c_str(), 0755), 0) << abandoned.back();
  }
  const fs::path live = first.directories().front().parent_path() /
                        ("fathom-" + std::to_string(getpid()) + "-999-0");
  ASSERT_EQ(mkdir(live.c_str(), 0755), 0);
  const RunCgroup second = CreateOrDie();
  for (const fs::path& directory : abandoned) EXPECT_FALSE(fs::exists(directory)) << directory;
  EXPECT_TRUE(fs::exists(live)) << "a live process's cgroup must stay";
  rmdir(live.c_str());
}

TEST_F(RunCgroupTest, MoveTransfersOwnership) {
  RunCgroup first = CreateOrDie();
  const std::vector<fs::path> directories = first.directories();
  RunCgroup second = std::move(first);
  EXPECT_TRUE(first.directories().empty());  // NOLINT(bugprone-use-after-move): documented state
  EXPECT_EQ(second.directories(), directories);
  for (const fs::path& directory : directories) EXPECT_TRUE(fs::exists(directory)) << directory;
}

// An existing name is refused, not shared: two runs must never share a cgroup, and the existing
// one is left intact.
TEST_F(RunCgroupTest, ExistingNameIsRefused) {
  const std::string name = UniqueName();
  base::Result<RunCgroup> first = RunCgroup::Create(name, kLimits);
  ASSERT_TRUE(first.ok()) << first.error();
  base::Result<RunCgroup> second = RunCgroup::Create(name, kLimits);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code(), base::ErrorCode::kAlreadyExists) << second.error();
  EXPECT_NE(second.error().message().find(name), std::string::npos) << second.error();
  for (const fs::path& directory : first->directories()) {
    EXPECT_TRUE(fs::exists(directory)) << directory;
  }
}

TEST_F(RunCgroupTest, InvalidRequestsAreRefused) {
  for (const char* name : {"", ".", "..", "a/b"}) {
    base::Result<RunCgroup> cgroup = RunCgroup::Create(name, kLimits);
    ASSERT_FALSE(cgroup.ok()) << name;
    EXPECT_EQ(cgroup.error().code(), base::ErrorCode::kInvalidArgument) << name;
  }
  base::Result<RunCgroup> unlimited =
      RunCgroup::Create(UniqueName(), {.memory_bytes = 0, .max_processes = 8});
  EXPECT_FALSE(unlimited.ok());
}

// Where run cgroups go, decided from the mounted hierarchies alone (no cgroup is touched).
TEST(RunCgroupParentsTest, NamesWhatIsMissingAndFallsBackToV1) {
  CgroupHierarchies hierarchies;
  hierarchies.v1_mounts["memory"] = "/mounts/memory";
  base::Result<RunCgroupParents> parents = FindRunCgroupParents(hierarchies);
  ASSERT_FALSE(parents.ok());
  EXPECT_EQ(parents.error().code(), base::ErrorCode::kFailedPrecondition);
  EXPECT_EQ(parents.error().message(),
            "cgroup: no usable memory and pids controllers (no cgroup2 mount; v1 memory mounted, "
            "pids not mounted)");

  hierarchies.v1_mounts["pids"] = "/mounts/pids";
  parents = FindRunCgroupParents(hierarchies);
  ASSERT_TRUE(parents.ok()) << parents.error();
  EXPECT_FALSE(parents->unified);
  EXPECT_TRUE(parents->memory.string().starts_with("/mounts/memory")) << parents->memory;
  EXPECT_TRUE(parents->pids.string().starts_with("/mounts/pids")) << parents->pids;
}

}  // namespace
}  // namespace fathom::sandbox::linux
