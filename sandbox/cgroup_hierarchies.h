// Where the cgroup hierarchies are mounted under /sys/fs/cgroup, where this process sits in them,
// and which of them a run's cgroup goes in: shared by ProbeCgroups and linux::RunCgroup so the
// probe reports exactly what the sandbox will use. Stateless functions that read /proc and
// /sys; thread-safe.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace fathom::sandbox {

inline constexpr char kCgroupRoot[] = "/sys/fs/cgroup";

// The mounted hierarchies, told apart by their filesystem magic (statfs).
struct CgroupHierarchies {
  std::map<std::string, std::filesystem::path> v1_mounts;  // v1 controller -> mount directory
  std::filesystem::path unified;                           // the cgroup2 mount; empty when none
};

// Scans /sys/fs/cgroup (a cgroup2 mount itself, or a tmpfs of v1 and hybrid layouts); an error
// when it cannot be examined at all.
base::Result<CgroupHierarchies> FindCgroupHierarchies();

// This process's cgroup directory in `mount`: the v2 hierarchy when `controller` is empty,
// otherwise the v1 hierarchy of `controller` (from /proc/self/cgroup; the mount itself when that
// has no such line).
std::filesystem::path OwnCgroupDirectory(const std::filesystem::path& mount,
                                         std::string_view controller);

// The words of the cgroup.controllers file in `directory`; empty when it cannot be read.
std::vector<std::string> OfferedControllers(const std::filesystem::path& directory);

// Where a run's cgroups are created: this process's v2 cgroup when it offers the memory and pids
// controllers; otherwise its cgroups in the v1 memory and pids hierarchies when both are mounted.
struct RunCgroupParents {
  bool unified = false;
  std::filesystem::path memory;  // the parent in the hierarchy holding the memory controller
  std::filesystem::path pids;    // the same directory as `memory` for v2
};

// The parents of a run's cgroups, or a FailedPrecondition error that names what is missing, such
// as "cgroup: no usable memory and pids controllers (v2 /sys/fs/cgroup/unified offers: hugetlb;
// v1 memory not mounted, pids mounted)". Whether the parents are writable is not checked here.
base::Result<RunCgroupParents> FindRunCgroupParents(const CgroupHierarchies& hierarchies);

}  // namespace fathom::sandbox
