// SandboxPolicy: what a sandboxed command may touch, as plain data. Only the host side (the user's
// flags and policy file, fathom's own defaults) constructs one; the model never supplies or edits
// a policy, and no tool argument reaches it. A value type, thread-compatible; enforcement lives in
// sandbox/linux/, validation in policy_validation.h, the file format in policy_json.h.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fathom::sandbox {

// Whether the command gets a network. kOff: a private network namespace with only loopback and a
// seccomp filter that refuses AF_INET/AF_INET6 sockets.
enum class NetworkAccess { kOff, kOn };

// "off" or "on", the spelling of the policy file.
std::string_view NetworkAccessName(NetworkAccess access);

// Resource limits of one run. Every limit must be set (0 is invalid, never "unlimited").
struct SandboxLimits {
  uint64_t wall_time_ms = 10 * 60 * 1000;        // then the whole process tree is killed
  uint64_t cpu_time_seconds = 10 * 60;           // RLIMIT_CPU
  uint64_t memory_bytes = uint64_t{8} << 30;     // the run's cgroup memory limit
  uint64_t max_processes = 1024;                 // the run's cgroup pids limit
  uint64_t file_size_bytes = uint64_t{4} << 30;  // RLIMIT_FSIZE: largest file written
  uint64_t open_files = 1024;                    // RLIMIT_NOFILE
  uint64_t output_bytes = uint64_t{1} << 20;     // stdout+stderr kept (head and tail)

  friend bool operator==(const SandboxLimits&, const SandboxLimits&) = default;
};

// A limit's key in the policy file, its field, and the range ResolvePolicy accepts:
//   wall_time_ms 1 .. 24 h, cpu_time_seconds 1 .. 24 h, memory_bytes 16 MiB .. 1 TiB,
//   max_processes 1 .. 65536, file_size_bytes 1 .. 1 TiB, open_files 16 .. 2^20,
//   output_bytes 1 KiB .. 1 GiB.
struct LimitField {
  std::string_view name;
  uint64_t SandboxLimits::*member;
  uint64_t min;
  uint64_t max;
};

// Every limit, in SandboxLimits' order.
std::span<const LimitField> LimitFields();

struct SandboxPolicy {
  // Absolute directories the command may write (the workspace). Everything else that is visible
  // is read-only.
  std::vector<std::filesystem::path> writable_roots;
  // Relative paths that stay read-only inside every writable root (".git/hooks").
  std::vector<std::filesystem::path> protected_subpaths;
  // Absolute directories shown read-only even where the sandbox replaces the host's tree (under
  // /tmp and /run); everywhere else the host is visible read-only anyway. For shared inputs such as
  // the object store a checkout borrows. Must not overlap a writable root or a hidden path.
  std::vector<std::filesystem::path> read_only_roots;
  // Absolute paths replaced by an empty tmpfs (directories) or an empty file inside the sandbox.
  std::vector<std::filesystem::path> hidden_paths;
  NetworkAccess network = NetworkAccess::kOff;
  // Names of host environment variables passed through; "LC_*" passes every name with the prefix
  // "LC_". Everything else is dropped.
  std::vector<std::string> environment_allowlist;
  // Variables set to fixed values inside, applied after the allow-list.
  std::map<std::string, std::string> environment_overrides;
  SandboxLimits limits;

  friend bool operator==(const SandboxPolicy&, const SandboxPolicy&) = default;
};

// The directory in a workspace where fathom keeps its own state; protected by default.
inline constexpr std::string_view kStateDirectoryName = ".fathom";

// The policy for running commands in `workspace` for a user whose home directory is `home`:
// - writable: `workspace` only;
// - protected in it: .git/hooks, .git/config (hooks and core.fsmonitor/core.hooksPath would run
//   code unsandboxed the next time the host runs git), .git/commondir, .git/config.worktree,
//   .git/modules and .git/worktrees (each can point git at another config or other hooks),
//   .fathom, .vscode and .mcp.json (editor tasks and tool servers that run on the host); the
//   sandbox adds the hooks and config of repositories nested in the workspace at each run;
// - hidden: the credential stores under `home`: .ssh, .gnupg, .aws, .azure, .config (gh, gcloud
//   and most tools' tokens), .docker, .kube, .netrc, .npmrc, .pypirc, .git-credentials,
//   .password-store, .local/share/keyrings;
// - network off;
// - environment: PATH HOME USER LOGNAME SHELL LANG LANGUAGE LC_* TERM TZ COLUMNS LINES (TMPDIR is
//   the launcher's to set, for the sandbox's own /tmp);
// - limits: SandboxLimits' defaults (10 min wall and CPU, 8 GiB memory, 1024 processes, 4 GiB
//   files, 1024 open files, 1 MiB of output).
// Paths are taken as given; ResolvePolicy checks and canonicalizes them.
SandboxPolicy DefaultPolicy(const std::filesystem::path& workspace,
                            const std::filesystem::path& home);

}  // namespace fathom::sandbox
