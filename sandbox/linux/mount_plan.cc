// BuildMountPlan: turns a ResolvedPolicy into the mount steps of mount_plan.h.
#include "sandbox/linux/mount_plan.h"

#include <sys/mount.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <set>

namespace fathom::sandbox::linux {

namespace {

namespace fs = std::filesystem;

constexpr uint64_t kReadOnly = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV;
constexpr uint64_t kWritable = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV;

constexpr std::array<const char*, 6> kDevices = {"null",   "zero",    "full",
                                                 "random", "urandom", "tty"};

std::string Under(const char* prefix, const fs::path& path) { return prefix + path.string(); }

MountStep Bind(std::string source, std::string target, uint64_t set, uint64_t clear = 0) {
  MountStep step;
  step.kind = MountStep::Kind::kBind;
  step.source = std::move(source);
  step.target = std::move(target);
  step.set_attributes = set;
  step.clear_attributes = clear;
  return step;
}

MountStep Filesystem(std::string type, std::string target, unsigned long flags, std::string data) {
  MountStep step;
  step.kind = MountStep::Kind::kFilesystem;
  step.source = std::move(type);
  step.target = std::move(target);
  step.flags = flags;
  step.data = std::move(data);
  return step;
}

MountStep Simple(MountStep::Kind kind, std::string target, std::string source = "") {
  MountStep step;
  step.kind = kind;
  step.target = std::move(target);
  step.source = std::move(source);
  return step;
}

// The directory of `replaced` (a fresh tmpfs in the sandbox) that holds `path`, or null.
const fs::path* ReplacedDirectoryOf(const std::vector<fs::path>& replaced, const fs::path& path) {
  for (const fs::path& directory : replaced) {
    const auto [end, unused] = std::mismatch(directory.begin(), directory.end(), path.begin());
    if (end == directory.end() && path != directory) return &directory;
  }
  return nullptr;
}

// A writable root inside a fresh tmpfs (/tmp/work) needs its mount point created there first.
void AddMountPointDirectories(std::vector<MountStep>& steps, const std::vector<fs::path>& replaced,
                              const fs::path& root) {
  const fs::path* directory = ReplacedDirectoryOf(replaced, root);
  if (directory == nullptr) return;
  fs::path current = *directory;
  for (const fs::path& component : root.lexically_relative(*directory)) {
    current /= component;
    steps.push_back(Simple(MountStep::Kind::kMakeDirectory, Under(kNewRoot, current)));
  }
}

void AddDev(std::vector<MountStep>& steps) {
  const std::string dev = std::string(kNewRoot) + "/dev";
  steps.push_back(Filesystem("tmpfs", dev, MS_NOSUID | MS_NOEXEC, "mode=0755,size=65536"));
  for (const char* device : kDevices) {
    steps.push_back(Simple(MountStep::Kind::kMakeFile, dev + "/" + device));
    MountStep bind = Bind(std::string(kOldRoot) + "/dev/" + device, dev + "/" + device,
                          MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
    bind.recursive = false;
    steps.push_back(std::move(bind));
  }
  steps.push_back(Simple(MountStep::Kind::kMakeDirectory, dev + "/pts"));
  steps.push_back(Filesystem("devpts", dev + "/pts", MS_NOSUID | MS_NOEXEC,
                             "newinstance,ptmxmode=0666,mode=620"));
  steps.push_back(Simple(MountStep::Kind::kMakeDirectory, dev + "/shm"));
  steps.push_back(
      Filesystem("tmpfs", dev + "/shm", MS_NOSUID | MS_NODEV, "mode=1777,size=67108864"));
  steps.push_back(Simple(MountStep::Kind::kSymlink, dev + "/fd", "/proc/self/fd"));
  steps.push_back(Simple(MountStep::Kind::kSymlink, dev + "/stdin", "/proc/self/fd/0"));
  steps.push_back(Simple(MountStep::Kind::kSymlink, dev + "/stdout", "/proc/self/fd/1"));
  steps.push_back(Simple(MountStep::Kind::kSymlink, dev + "/stderr", "/proc/self/fd/2"));
  steps.push_back(Simple(MountStep::Kind::kSymlink, dev + "/ptmx", "pts/ptmx"));
  MountStep seal = Simple(MountStep::Kind::kSetAttributes, dev);
  seal.set_attributes = MOUNT_ATTR_RDONLY;
  steps.push_back(std::move(seal));
}

void AddResolverConfiguration(std::vector<MountStep>& steps,
                              const std::vector<fs::path>& replaced) {
  std::error_code error;
  const fs::path target = fs::canonical("/etc/resolv.conf", error);
  if (error || ReplacedDirectoryOf(replaced, target) == nullptr) return;
  AddMountPointDirectories(steps, replaced, target.parent_path());
  steps.push_back(Simple(MountStep::Kind::kMakeFile, Under(kNewRoot, target)));
  steps.push_back(Bind(Under(kOldRoot, target), Under(kNewRoot, target), kReadOnly));
  steps.back().recursive = false;
}

// A bind of `path` over itself.
MountStep SelfBind(const fs::path& path, uint64_t set) {
  return Bind(Under(kNewRoot, path), Under(kNewRoot, path), set);
}

fs::file_type TypeOf(const fs::path& path) {
  std::error_code error;
  return fs::symlink_status(path, error).type();
}

// Protected paths: every existing directory between a writable root and a protected path becomes
// a mount point of itself (still writable), so it cannot be renamed or removed and replaced (mv
// .git .old; mkdir -p .git/hooks); then each existing protected path is bound read-only over
// itself. A missing protected path whose walk stopped at an existing non-directory (a worktree's
// ".git" file that names the git directory) gets that file bound read-only instead.
void AddProtectedPaths(std::vector<MountStep>& steps, const ResolvedPolicy& policy) {
  std::set<fs::path> pinned;
  for (const ProtectedPath& path : policy.protected_paths) {
    for (fs::path ancestor = path.path.parent_path();
         !ancestor.empty() && ancestor != ancestor.root_path(); ancestor = ancestor.parent_path()) {
      const bool is_root =
          std::find(policy.policy.writable_roots.begin(), policy.policy.writable_roots.end(),
                    ancestor) != policy.policy.writable_roots.end();
      if (is_root) break;
      if (TypeOf(ancestor) == fs::file_type::directory) pinned.insert(ancestor);
    }
  }
  for (const fs::path& directory : pinned) steps.push_back(SelfBind(directory, kWritable));
  for (const ProtectedPath& path : policy.protected_paths) {
    if (path.exists) {
      steps.push_back(SelfBind(path.path, kReadOnly));
    } else if (const fs::file_type type = TypeOf(path.first_missing);
               type != fs::file_type::not_found && type != fs::file_type::directory &&
               type != fs::file_type::symlink) {
      steps.push_back(SelfBind(path.first_missing, kReadOnly));
    }
  }
}

}  // namespace

std::string MountStep::Describe() const {
  switch (kind) {
    case Kind::kBind: {
      std::string text = "bind " + source + " on " + target;
      if ((set_attributes & MOUNT_ATTR_RDONLY) != 0) text += " (read-only)";
      return text;
    }
    case Kind::kFilesystem:
      return "mount " + source + " on " + target;
    case Kind::kMakeDirectory:
      return "mkdir " + target;
    case Kind::kMakeFile:
      return "create " + target;
    case Kind::kSymlink:
      return "symlink " + target + " -> " + source;
    case Kind::kSetAttributes:
      return "set mount attributes of " + target;
  }
  return target;
}

std::vector<MountStep> BuildMountPlan(const ResolvedPolicy& policy,
                                      const MountPlanOptions& options) {
  std::vector<MountStep> steps;
  steps.push_back(Bind(kOldRoot, kNewRoot, kReadOnly));
  std::vector<fs::path> replaced = {"/tmp"};
  steps.push_back(Filesystem("tmpfs", std::string(kNewRoot) + "/tmp", MS_NOSUID | MS_NODEV,
                             "mode=1777,size=" + std::to_string(options.tmp_size_bytes)));
  for (const char* run : {"/run", "/var/run"}) {
    std::error_code error;
    if (fs::is_symlink(run, error) || !fs::is_directory(run, error)) continue;
    replaced.emplace_back(run);
    steps.push_back(Filesystem("tmpfs", std::string(kNewRoot) + run,
                               MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0755,size=1048576"));
  }
  AddDev(steps);
  steps.push_back(Filesystem("proc", std::string(kNewRoot) + "/proc",
                             MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, ""));
  for (const fs::path& root : policy.policy.writable_roots) {
    AddMountPointDirectories(steps, replaced, root);
    steps.push_back(Bind(Under(kOldRoot, root), Under(kNewRoot, root), kWritable));
  }
  for (const fs::path& root : policy.policy.read_only_roots) {
    AddMountPointDirectories(steps, replaced, root);
    steps.push_back(Bind(Under(kOldRoot, root), Under(kNewRoot, root), kReadOnly));
  }
  AddProtectedPaths(steps, policy);
  if (options.share_host_network) AddResolverConfiguration(steps, replaced);
  for (const HiddenPath& hidden : policy.hidden_paths) {
    if (ReplacedDirectoryOf(replaced, hidden.path) != nullptr) continue;  // already empty
    if (hidden.is_directory) {
      steps.push_back(Filesystem("tmpfs", Under(kNewRoot, hidden.path),
                                 MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY,
                                 "mode=0755,size=4096"));
    } else {
      steps.push_back(Bind(kEmptyFile, Under(kNewRoot, hidden.path), kReadOnly));
      steps.back().recursive = false;
    }
  }
  return steps;
}

}  // namespace fathom::sandbox::linux
