// The sandbox's filesystem as a list of mount steps, computed from a resolved policy in the parent
// and carried out by the sandbox's init (sandbox_init.h) with system calls only. Paths are those of
// the init's staging root: the host's root is at /oldroot, the sandbox's future root at /newroot.
// Plain data; building it only reads the host filesystem.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sandbox/policy_validation.h"

namespace fathom::sandbox::linux {

inline constexpr char kOldRoot[] = "/oldroot";
inline constexpr char kNewRoot[] = "/newroot";
// An empty read-only file in the staging root, bound over hidden files.
inline constexpr char kEmptyFile[] = "/empty";

struct MountStep {
  enum class Kind {
    kBind,           // clone `source` (recursively), set/clear attributes, attach at `target`
    kFilesystem,     // mount a new `source` filesystem ("tmpfs", "proc", "devpts") at `target`
    kMakeDirectory,  // mkdir `target`
    kMakeFile,       // create the empty file `target`
    kSymlink,        // `target` -> `source`
    kSetAttributes,  // change the attributes of the mount at `target` (not its submounts)
  };
  Kind kind = Kind::kBind;
  std::string source;
  std::string target;
  uint64_t set_attributes = 0;    // MOUNT_ATTR_* (kBind, kSetAttributes)
  uint64_t clear_attributes = 0;  // MOUNT_ATTR_* (kBind)
  unsigned long flags = 0;        // mount(2) MS_* flags (kFilesystem)
  std::string data;               // mount(2) options (kFilesystem)
  bool recursive = true;          // kBind: clone the submounts too
  bool follow_symlink = false;    // kBind: follow a symlink at `source`'s last component

  // "bind /oldroot/x on /newroot/x (ro)" for error messages and tests.
  std::string Describe() const;
};

struct MountPlanOptions {
  uint64_t tmp_size_bytes = uint64_t{1} << 30;  // size of the sandbox's private /tmp
  // Network on: /etc/resolv.conf, when it points into /run (systemd-resolved), is bound
  // read-only into the empty /run so names still resolve.
  bool share_host_network = false;
};

// The steps, in order:
//  1. the host root, recursively, read-only, nosuid, nodev;
//  2. a private /tmp (tmpfs, 1777) and an empty /run (and /var/run when it is a directory), so
//     the host's sockets there (D-Bus, docker.sock, ssh-agent) are out of reach;
//  3. a minimal /dev: null zero full random urandom tty bound from the host, a new devpts
//     instance, /dev/shm, the fd/stdin/stdout/stderr/ptmx links; the tmpfs itself read-only;
//  4. a fresh read-only /proc of the sandbox's pid namespace (mounted by the init, which is in it);
//  5. each writable root, recursively, writable (as on the host), nosuid, nodev; a root under
//     /tmp or /run gets its mount point created in the fresh tmpfs first;
//  5b. each read-only root, recursively, read-only, nosuid, nodev, its mount point created the
//     same way (it matters under /tmp and /run, which step 2 replaced);
//  6. each existing directory between a writable root and a protected path (.git) bound over
//     itself, writable, so it cannot be renamed away and recreated; then each existing protected
//     path bound read-only over itself (never through a symlink); a ".git" file (a worktree's
//     pointer to its git directory) read-only when a protected path under it cannot exist;
//  7. each hidden directory replaced by an empty read-only tmpfs, each hidden file by kEmptyFile
//     (those under /tmp and /run are hidden by step 2 already).
std::vector<MountStep> BuildMountPlan(const ResolvedPolicy& policy,
                                      const MountPlanOptions& options);

}  // namespace fathom::sandbox::linux
