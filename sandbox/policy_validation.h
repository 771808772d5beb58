// ResolvePolicy: checks a SandboxPolicy against the real filesystem and turns it into the concrete
// paths the launcher mounts. It fails closed: anything doubtful (a symlink in a protected path, a
// writable root that holds the home directory, a zero limit) is an error naming the entry.
// Stateless; thread-safe, but the answer is only as fresh as the filesystem it looked at.
#pragma once

#include <filesystem>
#include <vector>

#include "base/result.h"
#include "sandbox/policy.h"

namespace fathom::sandbox {

// One protected sub-path under one writable root.
struct ProtectedPath {
  std::filesystem::path path;  // the canonical writable root / the sub-path
  bool exists = false;
  // When !exists: the first component of `path` that is missing or is not a directory. The
  // launcher must keep the command from creating or replacing it.
  std::filesystem::path first_missing;

  friend bool operator==(const ProtectedPath&, const ProtectedPath&) = default;
};

// One hidden path that exists on the host.
struct HiddenPath {
  std::filesystem::path path;  // its real path, symlinks resolved
  bool is_directory = false;   // a directory gets an empty tmpfs, anything else an empty file

  friend bool operator==(const HiddenPath&, const HiddenPath&) = default;
};

struct ResolvedPolicy {
  SandboxPolicy policy;                        // the input, with writable roots made canonical
  std::vector<ProtectedPath> protected_paths;  // every root × every protected sub-path
  std::vector<HiddenPath> hidden_paths;        // hidden paths that exist; the others are dropped
};

// Validates `policy` for a user whose home directory is `home` (absolute, existing):
// - writable roots: absolute existing directories, resolved with their real path; not "/", not a
//   system directory (/etc, /usr, /proc, /tmp, ...), not `home` or a directory above it, not
//   inside or above a hidden path, no duplicates and no root inside another;
// - protected sub-paths: relative, without "." or ".." components, no duplicates; no component
//   under a root may be a symlink (the command could re-point it), outside the root or not;
// - hidden paths: absolute, not "/";
// - environment: valid names or "PREFIX*", none admitting a credential variable (SSH_AUTH_SOCK,
//   AWS_*, ...);
// - limits: each within its LimitFields() range (policy.h); none may be zero.
base::Result<ResolvedPolicy> ResolvePolicy(const SandboxPolicy& policy,
                                           const std::filesystem::path& home);

}  // namespace fathom::sandbox
