#include "sandbox/cgroup_hierarchies.h"

#include <linux/magic.h>
#include <sys/statfs.h>

#include <algorithm>
#include <cerrno>
#include <optional>

#include "sandbox/system_files.h"

namespace fathom::sandbox {

namespace {

namespace fs = std::filesystem;

// The controllers a run's cgroup limits; both must live in the hierarchy it goes in.
constexpr std::string_view kRunControllers[] = {"memory", "pids"};

std::optional<int64_t> FilesystemType(const fs::path& path) {
  struct statfs info {};
  if (statfs(path.c_str(), &info) != 0) return std::nullopt;
  return static_cast<int64_t>(info.f_type);
}

bool Contains(const std::vector<std::string>& words, std::string_view word) {
  return std::find(words.begin(), words.end(), word) != words.end();
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
CgroupHierarchies ScanMountedHierarchies() {
  CgroupHierarchies hierarchies;
  const std::vector<std::string> known = KnownControllers();
  std::error_code error;
  for (fs::directory_iterator it(kCgroupRoot, error), end; !error && it != end;
       it.increment(error)) {
    if (it->is_symlink(error) || !it->is_directory(error)) continue;
    const std::optional<int64_t> type = FilesystemType(it->path());
    if (type == CGROUP2_SUPER_MAGIC) hierarchies.unified = it->path();
    if (type != CGROUP_SUPER_MAGIC) continue;
    for (const std::string& name : SplitWords(it->path().filename().string(), ",")) {
      if (Contains(known, name)) hierarchies.v1_mounts[name] = it->path();
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
    const bool matches =
        controller.empty() ? controllers.empty() : Contains(controllers, controller);
    if (matches) return line.substr(second + 1);
  }
  return "/";
}

// "v1 memory not mounted, pids mounted".
std::string DescribeV1Mounts(const CgroupHierarchies& hierarchies) {
  std::string text = "v1";
  for (std::string_view controller : kRunControllers) {
    const bool mounted = hierarchies.v1_mounts.contains(std::string(controller));
    text += (text == "v1" ? " " : ", ") + std::string(controller) +
            (mounted ? " mounted" : " not mounted");
  }
  return text;
}

}  // namespace

base::Result<CgroupHierarchies> FindCgroupHierarchies() {
  const std::optional<int64_t> root_type = FilesystemType(kCgroupRoot);
  if (!root_type.has_value()) {
    const int error = errno;
    return base::ErrnoError(std::string("statfs(") + kCgroupRoot + ")", error);
  }
  if (*root_type != CGROUP2_SUPER_MAGIC) return ScanMountedHierarchies();
  CgroupHierarchies hierarchies;
  hierarchies.unified = kCgroupRoot;
  return hierarchies;
}

fs::path OwnCgroupDirectory(const fs::path& mount, std::string_view controller) {
  const fs::path relative = fs::path(OwnCgroupPath(controller)).relative_path();
  return relative.empty() ? mount : mount / relative;
}

std::vector<std::string> OfferedControllers(const fs::path& directory) {
  base::Result<std::string> controllers = ReadTrimmedFile(directory / "cgroup.controllers");
  return controllers.ok() ? SplitWords(*controllers) : std::vector<std::string>();
}

base::Result<RunCgroupParents> FindRunCgroupParents(const CgroupHierarchies& hierarchies) {
  std::string v2_state = "no cgroup2 mount";
  if (!hierarchies.unified.empty()) {
    const fs::path own = OwnCgroupDirectory(hierarchies.unified, "");
    const std::vector<std::string> offered = OfferedControllers(own);
    if (std::all_of(std::begin(kRunControllers), std::end(kRunControllers),
                    [&](std::string_view name) { return Contains(offered, name); })) {
      return RunCgroupParents{.unified = true, .memory = own, .pids = own};
    }
    v2_state = "v2 " + own.string() + " offers: " + JoinOrNone(offered);
  }
  auto memory = hierarchies.v1_mounts.find("memory");
  auto pids = hierarchies.v1_mounts.find("pids");
  if (memory != hierarchies.v1_mounts.end() && pids != hierarchies.v1_mounts.end()) {
    return RunCgroupParents{.unified = false,
                            .memory = OwnCgroupDirectory(memory->second, "memory"),
                            .pids = OwnCgroupDirectory(pids->second, "pids")};
  }
  return base::FailedPreconditionError("cgroup: no usable memory and pids controllers (" +
                                       v2_state + "; " + DescribeV1Mounts(hierarchies) + ")");
}

}  // namespace fathom::sandbox
