#include "sandbox/policy.h"

#include <array>

namespace fathom::sandbox {
namespace {

constexpr uint64_t kMiB = uint64_t{1} << 20;
constexpr uint64_t kGiB = uint64_t{1} << 30;
constexpr uint64_t kDaySeconds = 24 * 60 * 60;

constexpr std::array<LimitField, 7> kLimitFields = {{
    {"wall_time_ms", &SandboxLimits::wall_time_ms, 1, kDaySeconds * 1000},
    {"cpu_time_seconds", &SandboxLimits::cpu_time_seconds, 1, kDaySeconds},
    {"memory_bytes", &SandboxLimits::memory_bytes, 16 * kMiB, 1024 * kGiB},
    {"max_processes", &SandboxLimits::max_processes, 1, 65536},
    {"file_size_bytes", &SandboxLimits::file_size_bytes, 1, 1024 * kGiB},
    {"open_files", &SandboxLimits::open_files, 16, uint64_t{1} << 20},
    {"output_bytes", &SandboxLimits::output_bytes, 1024, kGiB},
}};

}  // namespace

std::span<const LimitField> LimitFields() { return kLimitFields; }

std::string_view NetworkAccessName(NetworkAccess access) {
  switch (access) {
    case NetworkAccess::kOff:
      return "off";
    case NetworkAccess::kOn:
      return "on";
  }
  return "unknown";
}

SandboxPolicy DefaultPolicy(const std::filesystem::path& workspace,
                            const std::filesystem::path& home) {
  SandboxPolicy policy;
  policy.writable_roots = {workspace};
  policy.protected_subpaths = {".git/hooks",
                               ".git/config",
                               ".git/commondir",
                               ".git/modules",
                               ".git/worktrees",
                               ".git/config.worktree",
                               std::string(kStateDirectoryName),
                               ".vscode",
                               ".mcp.json"};
  for (const char* secret :
       {".ssh", ".gnupg", ".aws", ".azure", ".config", ".docker", ".kube", ".netrc", ".npmrc",
        ".pypirc", ".git-credentials", ".password-store", ".local/share/keyrings"}) {
    policy.hidden_paths.push_back(home / secret);
  }
  policy.network = NetworkAccess::kOff;
  policy.environment_allowlist = {"PATH",     "HOME", "USER", "LOGNAME", "SHELL",   "LANG",
                                  "LANGUAGE", "LC_*", "TERM", "TZ",      "COLUMNS", "LINES"};
  return policy;
}

}  // namespace fathom::sandbox
