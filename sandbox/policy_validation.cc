#include "sandbox/policy_validation.h"

#include <algorithm>
#include <array>
#include <set>
#include <string>
#include <string_view>
#include <system_error>

#include "sandbox/environment.h"

namespace fathom::sandbox {
namespace {

namespace fs = std::filesystem;

// Trees that are never writable, and directories that may not be a writable root themselves.
constexpr std::array<std::string_view, 12> kSystemTrees = {"/bin",  "/boot",  "/dev",   "/etc",
                                                           "/lib",  "/lib32", "/lib64", "/libx32",
                                                           "/proc", "/sbin",  "/sys",   "/usr"};
constexpr std::array<std::string_view, 10> kSystemDirectories = {
    "/home", "/media", "/mnt", "/opt", "/root", "/run", "/srv", "/tmp", "/var", "/var/tmp"};

base::Error Invalid(const std::string& message) {
  return base::InvalidArgumentError("sandbox policy: " + message);
}

// Built by appending: `"\"" + string` trips GCC 12's -Wrestrict false positive at -O3.
std::string Quoted(const fs::path& path) {
  std::string quoted;
  quoted.reserve(path.native().size() + 2);
  quoted += '"';
  quoted += path.native();
  quoted += '"';
  return quoted;
}

// `path` without "." components, "a/.." pairs or a trailing separator.
fs::path Normalized(const fs::path& path) {
  fs::path normal = path.lexically_normal();
  if (!normal.has_filename() && normal != normal.root_path()) normal = normal.parent_path();
  return normal;
}

// Whether normalized `path` is `ancestor` or lies beneath it.
bool IsWithin(const fs::path& path, const fs::path& ancestor) {
  auto mismatch = std::mismatch(ancestor.begin(), ancestor.end(), path.begin(), path.end());
  return mismatch.first == ancestor.end();
}

// A hidden path as written and with symlinks resolved.
struct Hidden {
  fs::path lexical;
  fs::path real;
  fs::file_type type = fs::file_type::not_found;
};

base::Result<fs::path> CanonicalHome(const fs::path& home) {
  if (!home.is_absolute()) return Invalid("home directory " + Quoted(home) + " is not absolute");
  std::error_code error;
  fs::path real = fs::canonical(home, error);
  if (error) return Invalid("home directory " + Quoted(home) + ": " + error.message());
  return real;
}

base::Result<Hidden> ResolveHiddenPath(const fs::path& path) {
  const std::string name = "hidden path " + Quoted(path);
  if (!path.is_absolute()) return Invalid(name + " is not absolute");
  Hidden hidden;
  hidden.lexical = Normalized(path);
  if (hidden.lexical == hidden.lexical.root_path()) return Invalid(name + " is the root directory");
  std::error_code error;
  hidden.real = Normalized(fs::weakly_canonical(path, error));
  if (error) return Invalid(name + ": " + error.message());
  fs::file_status status = fs::status(hidden.real, error);
  if (status.type() == fs::file_type::none) return Invalid(name + ": " + error.message());
  hidden.type = status.type();
  return hidden;
}

base::Result<std::vector<Hidden>> ResolveHiddenPaths(const std::vector<fs::path>& paths) {
  std::vector<Hidden> resolved;
  for (const fs::path& path : paths) {
    FATHOM_ASSIGN_OR_RETURN(Hidden hidden, ResolveHiddenPath(path));
    for (const Hidden& other : resolved) {
      if (other.real == hidden.real) {
        return Invalid("hidden paths " + Quoted(other.lexical) + " and " + Quoted(path) +
                       " are the same path");
      }
    }
    resolved.push_back(std::move(hidden));
  }
  return resolved;
}

base::Result<fs::path> ResolveWritableRoot(const fs::path& root, const fs::path& home) {
  const std::string name = "writable root " + Quoted(root);
  if (!root.is_absolute()) return Invalid(name + " is not an absolute path");
  std::error_code error;
  fs::path real = fs::canonical(root, error);
  if (error) return Invalid(name + ": " + error.message());
  if (!fs::is_directory(real, error)) return Invalid(name + " is not a directory");
  const std::string resolved = real == Normalized(root) ? name : name + " (" + Quoted(real) + ")";
  if (real == real.root_path()) return Invalid(resolved + " is the root directory");
  for (std::string_view tree : kSystemTrees) {
    if (IsWithin(real, fs::path(tree)))
      return Invalid(resolved + " is in the system tree " + Quoted(tree));
  }
  for (std::string_view directory : kSystemDirectories) {
    if (real == fs::path(directory))
      return Invalid(resolved + " is the system directory " + Quoted(directory));
  }
  if (real == home) return Invalid(resolved + " is the home directory");
  if (IsWithin(home, real)) return Invalid(resolved + " contains the home directory");
  return real;
}

// An absolute, existing directory, canonicalized.
base::Result<fs::path> ResolveReadOnlyRoot(const fs::path& root) {
  const std::string name = "read-only root " + Quoted(root);
  if (!root.is_absolute()) return Invalid(name + " is not an absolute path");
  std::error_code error;
  fs::path real = fs::canonical(root, error);
  if (error) return Invalid(name + ": " + error.message());
  if (!fs::is_directory(real, error)) return Invalid(name + " is not a directory");
  return real;
}

// A `kind` root ("writable root", "read-only root") must not overlap a writable root or a
// hidden path, whichever side contains the other.
base::Status CheckOverlaps(const fs::path& root, std::string_view kind,
                           const std::vector<fs::path>& writable_roots,
                           const std::vector<Hidden>& hidden) {
  const std::string name = std::string(kind) + " " + Quoted(root);
  for (const fs::path& other : writable_roots) {
    if (other == root) {
      return Invalid(name + (kind == "writable root" ? " is listed twice" : " is writable"));
    }
    if (IsWithin(root, other) || IsWithin(other, root)) {
      return Invalid(name + " and writable root " + Quoted(other) + " overlap");
    }
  }
  for (const Hidden& secret : hidden) {
    for (const fs::path& path : {secret.lexical, secret.real}) {
      if (IsWithin(path, root)) return Invalid(name + " contains the hidden path " + Quoted(path));
      if (IsWithin(root, path)) return Invalid(name + " is inside the hidden path " + Quoted(path));
    }
  }
  return base::Ok();
}

base::Result<std::vector<fs::path>> CheckSubpaths(const std::vector<fs::path>& subpaths) {
  std::vector<fs::path> normalized;
  for (const fs::path& subpath : subpaths) {
    const std::string name = "protected sub-path " + Quoted(subpath);
    if (subpath.empty()) return Invalid("a protected sub-path is empty");
    if (subpath.has_root_path()) return Invalid(name + " is not relative to the writable roots");
    for (const fs::path& part : subpath) {
      if (part == "." || part == "..") return Invalid(name + " has a \".\" or \"..\" component");
    }
    fs::path normal = Normalized(subpath);
    if (std::find(normalized.begin(), normalized.end(), normal) != normalized.end()) {
      return Invalid(name + " is listed twice");
    }
    normalized.push_back(std::move(normal));
  }
  return normalized;
}

// Walks `subpath` under `root` without following links: a symlink anywhere is an error, a missing
// or non-directory component ends the walk.
base::Result<ProtectedPath> ResolveProtectedPath(const fs::path& root, const fs::path& subpath) {
  ProtectedPath result;
  result.path = root / subpath;
  fs::path current = root;
  for (const fs::path& part : subpath) {
    current /= part;
    std::error_code error;
    fs::file_status status = fs::symlink_status(current, error);
    if (status.type() == fs::file_type::not_found) break;
    if (status.type() == fs::file_type::none) {
      return Invalid("protected path " + Quoted(result.path) + ": " + error.message());
    }
    if (fs::is_symlink(status)) {
      fs::path target = Normalized(fs::weakly_canonical(current, error));
      std::string where = error ? "" : " to " + Quoted(target);
      if (!error && !IsWithin(target, root)) where += ", outside the writable root " + Quoted(root);
      const std::string link = current == result.path ? "" : ": its component " + Quoted(current);
      return Invalid("protected path " + Quoted(result.path) + link + " is a symlink" + where +
                     "; protected paths must be real files and directories (a link can be "
                     "re-pointed from inside the sandbox)");
    }
    if (current == result.path) {
      result.exists = true;
      return result;
    }
    if (!fs::is_directory(status)) break;
  }
  result.first_missing = current;
  return result;
}

base::Status CheckLimits(const SandboxLimits& limits) {
  for (const LimitField& field : LimitFields()) {
    const uint64_t value = limits.*field.member;
    if (value < field.min || value > field.max) {
      return Invalid("limits." + std::string(field.name) + " is " + std::to_string(value) +
                     "; it must be between " + std::to_string(field.min) + " and " +
                     std::to_string(field.max));
    }
  }
  return base::Ok();
}

base::Status CheckEnvironment(const SandboxPolicy& policy) {
  std::set<std::string_view> seen;
  for (const std::string& pattern : policy.environment_allowlist) {
    const std::string name = "environment allow-list entry \"" + pattern + "\"";
    if (!IsValidEnvironmentPattern(pattern)) {
      return Invalid(name + " is neither a variable name nor a NAME_PREFIX*");
    }
    if (!seen.insert(pattern).second) return Invalid(name + " is listed twice");
    std::string_view credential = CredentialAdmittedBy(pattern);
    if (!credential.empty()) {
      return Invalid(name + " would pass the credential variable " + std::string(credential));
    }
  }
  for (const auto& [variable, value] : policy.environment_overrides) {
    if (!IsValidEnvironmentPattern(variable) || variable.ends_with('*')) {
      return Invalid("environment override \"" + variable + "\" is not a variable name");
    }
  }
  return base::Ok();
}

}  // namespace

base::Result<ResolvedPolicy> ResolvePolicy(const SandboxPolicy& policy,
                                           const std::filesystem::path& home) {
  FATHOM_ASSIGN_OR_RETURN(fs::path real_home, CanonicalHome(home));
  FATHOM_ASSIGN_OR_RETURN(std::vector<Hidden> hidden, ResolveHiddenPaths(policy.hidden_paths));
  FATHOM_ASSIGN_OR_RETURN(std::vector<fs::path> subpaths, CheckSubpaths(policy.protected_subpaths));
  FATHOM_TRY(CheckLimits(policy.limits));
  FATHOM_TRY(CheckEnvironment(policy));

  ResolvedPolicy resolved;
  resolved.policy = policy;
  std::vector<fs::path>& roots = resolved.policy.writable_roots;
  roots.clear();
  for (const fs::path& root : policy.writable_roots) {
    FATHOM_ASSIGN_OR_RETURN(fs::path real, ResolveWritableRoot(root, real_home));
    FATHOM_TRY(CheckOverlaps(real, "writable root", roots, hidden));
    roots.push_back(std::move(real));
  }
  std::vector<fs::path>& read_only = resolved.policy.read_only_roots;
  read_only.clear();
  for (const fs::path& root : policy.read_only_roots) {
    FATHOM_ASSIGN_OR_RETURN(fs::path real, ResolveReadOnlyRoot(root));
    FATHOM_TRY(CheckOverlaps(real, "read-only root", roots, hidden));
    read_only.push_back(std::move(real));
  }
  for (const fs::path& root : roots) {
    for (const fs::path& subpath : subpaths) {
      FATHOM_ASSIGN_OR_RETURN(ProtectedPath path, ResolveProtectedPath(root, subpath));
      resolved.protected_paths.push_back(std::move(path));
    }
  }
  for (const Hidden& secret : hidden) {
    if (secret.type == fs::file_type::not_found) continue;
    resolved.hidden_paths.push_back(
        HiddenPath{secret.real, secret.type == fs::file_type::directory});
  }
  return resolved;
}

}  // namespace fathom::sandbox
