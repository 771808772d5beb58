// The policy file: a SandboxPolicy as JSON, for users who want other roots, paths or limits than
// DefaultPolicy's. The host loads it from a path the user gave on the command line; the model
// never supplies one. Stateless functions, thread-safe. Format (every key optional):
//   {"writable_roots": ["/work/repo"], "protected_subpaths": [".git/hooks"],
//    "hidden_paths": ["/home/me/.ssh"], "network": "off" | "on",
//    "environment": {"allow": ["PATH", "LC_*"], "set": {"GIT_TERMINAL_PROMPT": "0"}},
//    "limits": {"wall_time_ms": 600000, "memory_bytes": 8589934592, ...}}
#pragma once

#include <filesystem>

#include "base/json.h"
#include "base/result.h"
#include "sandbox/policy.h"

namespace fathom::sandbox {

// Every field of `policy`, in the format above.
base::Json PolicyToJson(const SandboxPolicy& policy);

// `defaults` with the fields `json` sets replaced: a list given in the file replaces the default
// list, a limit replaces that limit. Unknown keys and wrongly typed values are errors naming the
// key. The result is not validated yet: pass it to ResolvePolicy.
base::Result<SandboxPolicy> PolicyFromJson(const base::Json& json, const SandboxPolicy& defaults);

// PolicyFromJson of the file at `path`; errors name the file.
base::Result<SandboxPolicy> LoadPolicyFile(const std::filesystem::path& path,
                                           const SandboxPolicy& defaults);

// Writes PolicyToJson(policy), indented, atomically. Paths that are not UTF-8 are an error.
base::Status SavePolicyFile(const std::filesystem::path& path, const SandboxPolicy& policy);

}  // namespace fathom::sandbox
