#include "sandbox/linux/run_cgroup.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <utility>

#include "base/check.h"
#include "base/file.h"
#include "base/log.h"
#include "sandbox/cgroup_hierarchies.h"
#include "sandbox/system_files.h"

namespace fathom::sandbox::linux {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// How long KillAll waits for the cgroup to empty, and the destructor for each rmdir to succeed.
constexpr auto kKillTimeout = std::chrono::seconds(1);
constexpr auto kRemoveTimeout = std::chrono::seconds(1);
constexpr auto kPollInterval = std::chrono::milliseconds(1);

// Writes `value` with one write(2), as cgroup files require; 0 or the errno of the failure.
int WriteInterfaceFile(const fs::path& path, std::string_view value) {
  base::UniqueFd fd(open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd.valid()) return errno;
  const ssize_t written = write(fd.get(), value.data(), value.size());
  if (written < 0) return errno;
  return static_cast<size_t>(written) == value.size() ? 0 : EIO;
}

base::Status WriteCgroupFile(const fs::path& path, std::string_view value) {
  const int error = WriteInterfaceFile(path, value);
  if (error == 0) return base::Ok();
  return base::ErrnoError("cgroup: writing \"" + std::string(value) + "\" to " + path.string(),
                          error);
}

bool FileExists(const fs::path& path) { return access(path.c_str(), F_OK) == 0; }

// The value of the "key value" line `key` of a flat keyed file (memory.events, memory.oom_control).
std::optional<uint64_t> KeyedValue(const fs::path& path, std::string_view key) {
  base::Result<std::string> content = ReadTrimmedFile(path);
  if (!content.ok()) return std::nullopt;
  for (const std::string& line : SplitWords(*content, "\n")) {
    const std::vector<std::string> fields = SplitWords(line);
    if (fields.size() != 2 || fields[0] != key) continue;
    uint64_t value = 0;
    const char* end = fields[1].data() + fields[1].size();
    auto [parsed_end, error] = std::from_chars(fields[1].data(), end, value);
    if (error == std::errc() && parsed_end == end) return value;
  }
  return std::nullopt;
}

// The pids in `directory`'s cgroup.procs; none when it cannot be read (the cgroup is gone).
std::vector<pid_t> ListedProcesses(const fs::path& directory) {
  std::vector<pid_t> pids;
  base::Result<std::string> content = ReadTrimmedFile(directory / "cgroup.procs");
  if (!content.ok()) return pids;
  for (const std::string& word : SplitWords(*content)) {
    pid_t pid = 0;
    auto [end, error] = std::from_chars(word.data(), word.data() + word.size(), pid);
    if (error == std::errc() && end == word.data() + word.size()) pids.push_back(pid);
  }
  return pids;
}

// Enables memory and pids for the children of the v2 cgroup `parent` where they are not yet.
base::Status EnableRunControllers(const fs::path& parent) {
  const fs::path control = parent / "cgroup.subtree_control";
  FATHOM_ASSIGN_OR_RETURN(const std::string enabled, ReadTrimmedFile(control));
  const std::vector<std::string> words = SplitWords(enabled);
  for (const std::string controller : {"memory", "pids"}) {
    if (std::find(words.begin(), words.end(), controller) != words.end()) continue;
    const int error = WriteInterfaceFile(control, "+" + controller);
    if (error == 0) continue;
    std::string what = "cgroup: enabling " + controller + " in " + control.string();
    if (error == EBUSY) {
      what += " (cgroup v2 refuses while " + parent.string() +
              " holds processes itself; run fathom in a cgroup whose subtree_control enables "
              "memory and pids)";
    }
    return base::ErrnoError(what, error);
  }
  return base::Ok();
}

base::Status ValidateRequest(std::string_view name, const RunCgroupLimits& limits) {
  if (name.empty() || name == "." || name == ".." || name.find('/') != std::string_view::npos) {
    return base::InvalidArgumentError("cgroup: the name must be one path component, not \"" +
                                      std::string(name) + "\"");
  }
  if (limits.memory_bytes == 0 || limits.max_processes == 0) {
    return base::InvalidArgumentError("cgroup: the memory and process limits must be positive");
  }
  return base::Ok();
}

// Removes the empty run cgroups ("fathom-<pid>-...") that a fathom process killed before it could
// clean up left in `parent`; cgroups of live processes and non-empty ones are left alone.
void RemoveAbandonedRunCgroups(const fs::path& parent) {
  std::error_code error;
  for (fs::directory_iterator it(parent, error), end; !error && it != end; it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (!name.starts_with("fathom-")) continue;
    const pid_t owner = static_cast<pid_t>(std::strtol(name.c_str() + 7, nullptr, 10));
    if (owner <= 0 || owner == getpid() || kill(owner, 0) == 0 || errno != ESRCH) continue;
    rmdir(it->path().c_str());
  }
}

}  // namespace

base::Result<RunCgroup> RunCgroup::Create(std::string_view name, const RunCgroupLimits& limits) {
  FATHOM_TRY(ValidateRequest(name, limits));
  FATHOM_ASSIGN_OR_RETURN(const CgroupHierarchies hierarchies, FindCgroupHierarchies());
  FATHOM_ASSIGN_OR_RETURN(const RunCgroupParents parents, FindRunCgroupParents(hierarchies));
  if (parents.unified) FATHOM_TRY(EnableRunControllers(parents.memory));
  RunCgroup cgroup(parents.unified);
  std::vector<fs::path> parent_directories = {parents.memory};
  if (!parents.unified) parent_directories.push_back(parents.pids);
  for (const fs::path& parent : parent_directories) {
    RemoveAbandonedRunCgroups(parent);
    const fs::path directory = parent / name;
    if (mkdir(directory.c_str(), 0755) != 0) {
      const int error = errno;
      return base::ErrnoError("cgroup: mkdir " + directory.string(), error);
    }
    cgroup.directories_.push_back(directory);
  }
  FATHOM_TRY(cgroup.WriteLimits(limits));
  return cgroup;
}

RunCgroup::RunCgroup(RunCgroup&& other) noexcept
    : unified_(other.unified_), directories_(std::exchange(other.directories_, {})) {}

RunCgroup& RunCgroup::operator=(RunCgroup&& other) noexcept {
  if (this != &other) {
    KillAll();
    RemoveDirectories();
    unified_ = other.unified_;
    directories_ = std::exchange(other.directories_, {});
  }
  return *this;
}

RunCgroup::~RunCgroup() {
  KillAll();
  RemoveDirectories();
}

base::Status RunCgroup::WriteLimits(const RunCgroupLimits& limits) const {
  const std::string memory = std::to_string(limits.memory_bytes);
  const fs::path& pids_directory = directories_.back();
  if (unified_) {
    FATHOM_TRY(WriteCgroupFile(memory_directory() / "memory.max", memory));
    const fs::path swap = memory_directory() / "memory.swap.max";
    if (FileExists(swap)) FATHOM_TRY(WriteCgroupFile(swap, "0"));
  } else {
    // memory+swap may not be set below memory alone, so memory goes first.
    FATHOM_TRY(WriteCgroupFile(memory_directory() / "memory.limit_in_bytes", memory));
    const fs::path memory_and_swap = memory_directory() / "memory.memsw.limit_in_bytes";
    if (FileExists(memory_and_swap)) FATHOM_TRY(WriteCgroupFile(memory_and_swap, memory));
  }
  return WriteCgroupFile(pids_directory / "pids.max", std::to_string(limits.max_processes));
}

base::Status RunCgroup::AddProcess(pid_t pid) {
  FATHOM_CHECK(!directories_.empty()) << "RunCgroup used after being moved from";
  for (const fs::path& directory : directories_) {
    FATHOM_TRY(WriteCgroupFile(directory / "cgroup.procs", std::to_string(pid)));
  }
  return base::Ok();
}

void RunCgroup::KillAll() {
  if (directories_.empty()) return;
  const bool kernel_kills =
      unified_ && WriteInterfaceFile(memory_directory() / "cgroup.kill", "1") == 0;
  const Clock::time_point deadline = Clock::now() + kKillTimeout;
  for (std::vector<pid_t> members = Members(); !members.empty(); members = Members()) {
    if (Clock::now() >= deadline) {
      FATHOM_LOG(Warning) << Describe() << ": " << members.size()
                          << " processes still alive after SIGKILL";
      return;
    }
    if (!kernel_kills) SignalStillListed(members);
    std::this_thread::sleep_for(kPollInterval);
  }
}

bool RunCgroup::Empty() const { return Members().empty(); }

uint64_t RunCgroup::OomKills() const {
  if (unified_) return KeyedValue(memory_directory() / "memory.events", "oom_kill").value_or(0);
  const std::optional<uint64_t> kills =
      KeyedValue(memory_directory() / "memory.oom_control", "oom_kill");
  if (kills.has_value()) return *kills;
  return ReadIntegerFile(memory_directory() / "memory.failcnt").value_or(0) > 0 ? 1 : 0;
}

std::optional<uint64_t> RunCgroup::PeakMemoryBytes() const {
  const std::optional<int64_t> peak = ReadIntegerFile(
      memory_directory() / (unified_ ? "memory.peak" : "memory.max_usage_in_bytes"));
  if (!peak.has_value() || *peak < 0) return std::nullopt;
  return static_cast<uint64_t>(*peak);
}

std::string RunCgroup::Describe() const {
  if (unified_) return "cgroup v2 " + memory_directory().string();
  return "cgroup v1 memory:" + memory_directory().string() +
         " pids:" + directories_.back().string();
}

const fs::path& RunCgroup::memory_directory() const {
  FATHOM_CHECK(!directories_.empty()) << "RunCgroup used after being moved from";
  return directories_.front();
}

// The union of every hierarchy's cgroup.procs, sorted.
std::vector<pid_t> RunCgroup::Members() const {
  std::vector<pid_t> members;
  for (const fs::path& directory : directories_) {
    const std::vector<pid_t> listed = ListedProcesses(directory);
    members.insert(members.end(), listed.begin(), listed.end());
  }
  std::sort(members.begin(), members.end());
  members.erase(std::unique(members.begin(), members.end()), members.end());
  return members;
}

// Pins each listed process with a pidfd, then SIGKILLs those that cgroup.procs still lists: the
// pidfd's process holds that pid while it lives, so it is the member, and a pid freed and reused
// meanwhile is not hit (signalling a process that died is a no-op).
void RunCgroup::SignalStillListed(const std::vector<pid_t>& listed) const {
  std::vector<std::pair<pid_t, base::UniqueFd>> pinned;
  for (pid_t pid : listed) {
    const int fd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
    if (fd >= 0) {
      pinned.emplace_back(pid, base::UniqueFd(fd));
    } else if (errno == ENOSYS) {
      kill(pid, SIGKILL);  // kernels before 5.3 have no pidfds
    }
  }
  const std::vector<pid_t> still_listed = Members();
  for (const auto& [pid, fd] : pinned) {
    if (std::binary_search(still_listed.begin(), still_listed.end(), pid)) {
      syscall(SYS_pidfd_send_signal, fd.get(), SIGKILL, nullptr, 0);
    }
  }
}

void RunCgroup::RemoveDirectories() {
  for (const fs::path& directory : directories_) {
    const Clock::time_point deadline = Clock::now() + kRemoveTimeout;
    while (rmdir(directory.c_str()) != 0) {
      const int error = errno;
      if (error == ENOENT) break;
      if (error != EBUSY || Clock::now() >= deadline) {
        FATHOM_LOG(Warning) << "cgroup: rmdir " << directory.string() << ": " << strerror(error);
        break;
      }
      std::this_thread::sleep_for(kPollInterval);
    }
  }
  directories_.clear();
}

}  // namespace fathom::sandbox::linux
