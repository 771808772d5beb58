// Git repositories nested in a workspace (vendored checkouts, submodules): their hooks and config
// run code when host-side git touches them, so the sandbox protects them like the workspace's own
// .git and flags new ones. Found by a bounded walk; stateless and thread-safe.
#pragma once

#include <cstddef>
#include <filesystem>
#include <vector>

namespace fathom::sandbox {

struct NestedRepositoryScan {
  int max_depth = 4;               // directories below the root that are searched
  size_t max_directories = 20000;  // the walk stops after this many directories
};

// The ".git" entries (directories, or the gitdir files of submodules and worktrees) below `root`,
// excluding `root`/.git itself, sorted. Links are not followed and .git directories are not
// entered; unreadable directories are skipped.
std::vector<std::filesystem::path> FindNestedGitEntries(const std::filesystem::path& root,
                                                        const NestedRepositoryScan& scan = {});

}  // namespace fathom::sandbox
