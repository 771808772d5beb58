// The environment a sandboxed command gets: the host's variables filtered through the policy's
// allow-list, then the policy's overrides. Credential variables (SSH_AUTH_SOCK, AWS_*, tokens)
// never pass, whatever the allow-list says. Stateless functions, thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sandbox/policy.h"

namespace fathom::sandbox {

// Variable name → value.
using Environment = std::map<std::string, std::string>;

// PATH when neither the host nor the policy provides one.
inline constexpr std::string_view kDefaultPath =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// `entries` is a null-terminated array of "NAME=value" strings such as `environ`; entries without
// '=' are skipped, and the first of duplicate names wins (as getenv does).
Environment ParseEnvironment(const char* const* entries);

// "NAME=value" strings for execve.
std::vector<std::string> EnvironmentEntries(const Environment& environment);

// Whether `pattern` is a variable name ([A-Za-z_][A-Za-z0-9_]*) or such a name followed by '*'.
bool IsValidEnvironmentPattern(std::string_view pattern);

// The credential variable or family ("AWS_*") that `pattern` would admit, or "" when none.
std::string_view CredentialAdmittedBy(std::string_view pattern);

// The host variables the allow-list admits, minus credentials, plus the overrides; PATH is
// kDefaultPath when still unset.
Environment EffectiveEnvironment(const SandboxPolicy& policy, const Environment& host);

}  // namespace fathom::sandbox
