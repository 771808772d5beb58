// ProbeCgroups: which cgroup hierarchies are mounted under /sys/fs/cgroup, which controllers this
// process's cgroup offers, which hierarchy the sandbox's run cgroups go in (v2, else v1 memory and
// pids) and whether a child cgroup can be created there, and the memory limit in force.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "sandbox/cgroup_hierarchies.h"
#include "sandbox/kernel_features.h"
#include "sandbox/linux/run_cgroup.h"
#include "sandbox/system_files.h"

namespace fathom::sandbox {

namespace {

namespace fs = std::filesystem;

// v1 memory limits at or above this mean "no limit" (the kernel reports LONG_MAX rounded down to a
// page); v2 says "max".
constexpr uint64_t kUnlimitedThreshold = uint64_t{1} << 62;

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

// Decides `available` and `sandbox_hierarchy` the way linux::RunCgroup::Create chooses, and
// creates (and removes) a child cgroup in each parent it would use; appends the outcome to
// `detail`.
void ProbeSandboxHierarchy(CgroupSupport& support, const CgroupHierarchies& hierarchies) {
  base::Result<RunCgroupParents> parents = FindRunCgroupParents(hierarchies);
  if (!parents.ok()) {
    support.detail += "; the sandbox cannot limit runs: " + parents.error().message();
    return;
  }
  const std::string hierarchy = parents->unified ? "v2" : "v1";
  // What a run does: create the cgroups and write their limits (on v2 that also enables the
  // controllers for children, which the kernel refuses in a cgroup that holds processes).
  base::Result<linux::RunCgroup> probe =
      linux::RunCgroup::Create("fathom-probe-" + std::to_string(getpid()),
                               {.memory_bytes = uint64_t{64} << 20, .max_processes = 16});
  if (!probe.ok()) {
    support.detail +=
        "; the sandbox cannot use cgroup " + hierarchy + ": " + probe.error().message();
    return;
  }
  support.available = true;
  support.sandbox_hierarchy = hierarchy;
  support.detail +=
      parents->unified
          ? "; the sandbox uses cgroup v2 (memory and pids) in " + parents->memory.string()
          : "; the sandbox uses cgroup v1 memory (" + parents->memory.string() + ") and pids (" +
                parents->pids.string() + ")";
}

CgroupVersion VersionOf(const CgroupHierarchies& hierarchies) {
  if (hierarchies.v1_mounts.empty()) {
    return hierarchies.unified.empty() ? CgroupVersion::kNone : CgroupVersion::kV2;
  }
  return hierarchies.unified.empty() ? CgroupVersion::kV1 : CgroupVersion::kHybrid;
}

// The memory limit of this process's cgroup: from the v2 memory controller when it is there,
// otherwise from the v1 memory hierarchy.
std::optional<uint64_t> MemoryLimit(const CgroupSupport& support,
                                    const CgroupHierarchies& hierarchies) {
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
  base::Result<CgroupHierarchies> found = FindCgroupHierarchies();
  if (!found.ok()) {
    support.detail = found.error().message();
    return support;
  }
  const CgroupHierarchies& hierarchies = *found;
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
    support.v2_controllers = OfferedControllers(support.own_unified_cgroup);
    write_failure = TryCreateChildCgroup(support.own_unified_cgroup);
    support.writable = write_failure.empty();
  }
  support.memory_limit_bytes = MemoryLimit(support, hierarchies);
  if (support.version == CgroupVersion::kV1) {
    support.detail = "cgroup v1 only (controllers: " + JoinOrNone(support.v1_controllers) + ")";
  } else {
    DescribeV2(support, write_failure);
  }
  ProbeSandboxHierarchy(support, hierarchies);
  return support;
}

}  // namespace fathom::sandbox
