// ProbeCgroups: which cgroup hierarchies are mounted under /sys/fs/cgroup (told apart by their
// filesystem magic, as the kernel reports them through statfs), which controllers this process's
// cgroup offers, whether a child cgroup can be created, and the memory limit in force.
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>

#include "sandbox/kernel_features.h"
#include "sandbox/system_files.h"

namespace fathom::sandbox {

namespace {

namespace fs = std::filesystem;

constexpr char kCgroupRoot[] = "/sys/fs/cgroup";

// v1 memory limits at or above this mean "no limit" (the kernel reports LONG_MAX rounded down to a
// page); v2 says "max".
constexpr uint64_t kUnlimitedThreshold = uint64_t{1} << 62;

// Where each hierarchy is mounted: v1 controller name -> mount directory, and the cgroup2 mount.
struct Hierarchies {
  std::map<std::string, fs::path> v1_mounts;
  fs::path unified;
};

std::optional<int64_t> FilesystemType(const fs::path& path) {
  struct statfs info {};
  if (statfs(path.c_str(), &info) != 0) return std::nullopt;
  return static_cast<int64_t>(info.f_type);
}

// Controllers the kernel knows, from /proc/cgroups ("#subsys_name hierarchy num_cgroups enabled").
std::vector<std::string> KnownControllers() {
  std::vector<std::string> names;
  base::Result<std::string> table = ReadTrimmedFile("/proc/cgroups");
  if (!table.ok()) return names;
  for (const std::string& line : SplitWords(*table, "\n")) {
    if (line.starts_with("#")) continue;
    std::vector<std::string> fields = SplitWords(line);
    if (!fields.empty()) names.push_back(fields[0]);
  }
  return names;
}

// Scans the directories under a tmpfs /sys/fs/cgroup (v1 or hybrid layout).
Hierarchies ScanMountedHierarchies() {
  Hierarchies hierarchies;
  const std::vector<std::string> known = KnownControllers();
  std::error_code error;
  for (fs::directory_iterator it(kCgroupRoot, error), end; !error && it != end;
       it.increment(error)) {
    if (it->is_symlink(error) || !it->is_directory(error)) continue;
    const std::optional<int64_t> type = FilesystemType(it->path());
    if (type == CGROUP2_SUPER_MAGIC) hierarchies.unified = it->path();
    if (type != CGROUP_SUPER_MAGIC) continue;
    for (const std::string& name : SplitWords(it->path().filename().string(), ",")) {
      if (std::find(known.begin(), known.end(), name) != known.end()) {
        hierarchies.v1_mounts[name] = it->path();
      }
    }
  }
  return hierarchies;
}

// This process's cgroup path ("/a/b") in the v2 hierarchy ("0::/a/b") or in the v1 hierarchy of
// `controller` ("4:memory:/a/b"); "/" when /proc/self/cgroup has no such line.
std::string OwnCgroupPath(std::string_view controller) {
  base::Result<std::string> table = ReadTrimmedFile("/proc/self/cgroup");
  if (!table.ok()) return "/";
  for (const std::string& line : SplitWords(*table, "\n")) {
    const size_t first = line.find(':');
    const size_t second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    const std::vector<std::string> controllers =
        SplitWords(std::string_view(line).substr(first + 1, second - first - 1), ",");
    const bool matches = controller.empty() ? controllers.empty()
                                            : std::find(controllers.begin(), controllers.end(),
                                                        controller) != controllers.end();
    if (matches) return line.substr(second + 1);
  }
  return "/";
}

// `mount` joined with this process's path inside it.
fs::path OwnCgroupDirectory(const fs::path& mount, std::string_view controller) {
  const fs::path relative = fs::path(OwnCgroupPath(controller)).relative_path();
  return relative.empty() ? mount : mount / relative;
}

// Creates and removes a child cgroup of `directory`; empty when that works, else why not.
std::string TryCreateChildCgroup(const fs::path& directory) {
  const fs::path probe = directory / ("fathom-probe-" + std::to_string(getpid()));
  if (mkdir(probe.c_str(), 0755) != 0) {
    return "cannot create a child cgroup in " + directory.string() + ": " + strerror(errno);
  }
  if (rmdir(probe.c_str()) != 0) {
    return "created " + probe.string() + " but cannot remove it: " + strerror(errno);
  }
  return "";
}

// The smallest limit in `file_name` from `directory` up to `mount`; nullopt when none is set.
std::optional<uint64_t> TightestLimit(const fs::path& mount, fs::path directory,
                                      std::string_view file_name) {
  std::optional<uint64_t> tightest;
  while (true) {
    const std::optional<int64_t> limit = ReadIntegerFile(directory / file_name);
    if (limit.has_value() && *limit >= 0 && static_cast<uint64_t>(*limit) < kUnlimitedThreshold) {
      tightest = std::min(tightest.value_or(UINT64_MAX), static_cast<uint64_t>(*limit));
    }
    if (directory == mount || !directory.has_relative_path()) break;
    directory = directory.parent_path();
  }
  return tightest;
}

bool Contains(const std::vector<std::string>& words, std::string_view word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

void DescribeV2(CgroupSupport& support, const std::string& write_failure) {
  std::vector<std::string> missing;
  for (std::string_view needed : {"memory", "pids"}) {
    if (!Contains(support.v2_controllers, needed)) missing.emplace_back(needed);
  }
  support.available = missing.empty() && support.writable;
  support.detail = "cgroup v2 at " + support.unified_path + "; this process's cgroup " +
                   support.own_unified_cgroup +
                   " offers controllers: " + JoinOrNone(support.v2_controllers);
  if (!missing.empty()) {
    support.detail += "; missing " + JoinOrNone(missing);
    if (!support.v1_controllers.empty()) support.detail += " (bound to v1 hierarchies)";
  }
  if (!support.v1_controllers.empty()) {
    support.detail += "; v1 controllers: " + JoinOrNone(support.v1_controllers);
  }
  support.detail += "; " + (write_failure.empty() ? "child cgroups can be created" : write_failure);
}

CgroupVersion VersionOf(const Hierarchies& hierarchies) {
  if (hierarchies.v1_mounts.empty()) {
    return hierarchies.unified.empty() ? CgroupVersion::kNone : CgroupVersion::kV2;
  }
  return hierarchies.unified.empty() ? CgroupVersion::kV1 : CgroupVersion::kHybrid;
}

// The memory limit of this process's cgroup: from the v2 memory controller when it is there,
// otherwise from the v1 memory hierarchy.
std::optional<uint64_t> MemoryLimit(const CgroupSupport& support, const Hierarchies& hierarchies) {
  if (Contains(support.v2_controllers, "memory")) {
    return TightestLimit(hierarchies.unified, support.own_unified_cgroup, "memory.max");
  }
  auto memory = hierarchies.v1_mounts.find("memory");
  if (memory == hierarchies.v1_mounts.end()) return std::nullopt;
  return TightestLimit(memory->second, OwnCgroupDirectory(memory->second, "memory"),
                       "memory.limit_in_bytes");
}

}  // namespace

std::string_view CgroupVersionName(CgroupVersion version) {
  switch (version) {
    case CgroupVersion::kNone:
      return "none";
    case CgroupVersion::kV1:
      return "v1";
    case CgroupVersion::kV2:
      return "v2";
    case CgroupVersion::kHybrid:
      return "hybrid";
  }
  return "unknown";
}

CgroupSupport ProbeCgroups() {
  CgroupSupport support;
  const std::optional<int64_t> root_type = FilesystemType(kCgroupRoot);
  if (!root_type.has_value()) {
    support.detail = std::string("statfs(") + kCgroupRoot + "): " + strerror(errno);
    return support;
  }
  Hierarchies hierarchies;
  if (*root_type == CGROUP2_SUPER_MAGIC) {
    hierarchies.unified = kCgroupRoot;
  } else {
    hierarchies = ScanMountedHierarchies();
  }
  support.version = VersionOf(hierarchies);
  for (const auto& [controller, mount] : hierarchies.v1_mounts) {
    support.v1_controllers.push_back(controller);
  }
  if (support.version == CgroupVersion::kNone) {
    support.detail = std::string("no cgroup hierarchy is mounted at ") + kCgroupRoot;
    return support;
  }
  std::string write_failure;
  if (!hierarchies.unified.empty()) {
    support.unified_path = hierarchies.unified.string();
    support.own_unified_cgroup = OwnCgroupDirectory(hierarchies.unified, "").string();
    base::Result<std::string> controllers =
        ReadTrimmedFile(fs::path(support.own_unified_cgroup) / "cgroup.controllers");
    if (controllers.ok()) support.v2_controllers = SplitWords(*controllers);
    write_failure = TryCreateChildCgroup(support.own_unified_cgroup);
    support.writable = write_failure.empty();
  }
  support.memory_limit_bytes = MemoryLimit(support, hierarchies);
  if (support.version == CgroupVersion::kV1) {
    support.detail = "cgroup v1 only (controllers: " + JoinOrNone(support.v1_controllers) +
                     "); the sandbox needs cgroup v2";
    return support;
  }
  DescribeV2(support, write_failure);
  return support;
}

}  // namespace fathom::sandbox
