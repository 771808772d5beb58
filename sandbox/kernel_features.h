// Probes of the kernel features the sandbox needs, so it can refuse to run (fail closed) instead
// of silently running unsandboxed. Each probe really exercises the feature, in a forked child where
// it would change the calling process. Results are plain values; probes are safe to call from any
// thread but fork, so call them before starting heavy concurrent work.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fathom::sandbox {

// Whether a child can unshare user, mount, pid and network namespaces, as the sandbox does.
struct UserNamespaceSupport {
  bool available = false;
  std::optional<int64_t> unprivileged_userns_clone;  // /proc/sys/kernel/unprivileged_userns_clone
  std::optional<int64_t> max_user_namespaces;        // /proc/sys/user/max_user_namespaces
  std::optional<int64_t> apparmor_restrict_unprivileged_userns;  // Ubuntu's AppArmor switch
  std::string detail;
};

// Whether a seccomp filter can be installed and is enforced (tried in a child).
struct SeccompSupport {
  bool available = false;
  int mode = -1;                     // prctl(PR_GET_SECCOMP) of this process; -1 when it failed
  std::vector<std::string> actions;  // /proc/sys/kernel/seccomp/actions_avail
  std::string detail;
};

// Whether PR_SET_NO_NEW_PRIVS can be set (tried in a child).
struct NoNewPrivsSupport {
  bool available = false;
  bool set_in_this_process = false;
  std::string detail;
};

enum class CgroupVersion { kNone, kV1, kV2, kHybrid };

// "none", "v1", "v2", "hybrid".
std::string_view CgroupVersionName(CgroupVersion version);

// The cgroup hierarchies mounted under /sys/fs/cgroup. `available` means what the sandbox needs, a
// place for each run's cgroup with the memory and pids controllers that accepts a new child
// cgroup: this process's cgroup v2 when it offers both controllers, otherwise this process's
// cgroups in the v1 memory and pids hierarchies (`sandbox_hierarchy` says which).
struct CgroupSupport {
  bool available = false;
  CgroupVersion version = CgroupVersion::kNone;
  std::string unified_path;                    // the cgroup2 mount; empty when there is none
  std::string own_unified_cgroup;              // this process's cgroup directory in it
  std::vector<std::string> v1_controllers;     // controllers mounted as v1 hierarchies
  std::vector<std::string> v2_controllers;     // cgroup.controllers of this process's v2 cgroup
  bool writable = false;                       // a child of own_unified_cgroup could be created
  std::string sandbox_hierarchy;               // "v2" or "v1" when available, else empty
  std::optional<uint64_t> memory_limit_bytes;  // the tightest limit of this cgroup or ancestors
  std::string detail;
};

struct KernelFeatures {
  UserNamespaceSupport user_namespaces;
  SeccompSupport seccomp;
  NoNewPrivsSupport no_new_privs;
  CgroupSupport cgroups;
};

UserNamespaceSupport ProbeUserNamespaces();
SeccompSupport ProbeSeccomp();
NoNewPrivsSupport ProbeNoNewPrivs();
CgroupSupport ProbeCgroups();

// All of the above.
KernelFeatures ProbeKernelFeatures();

}  // namespace fathom::sandbox
