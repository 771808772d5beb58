#include "sandbox/environment.h"

namespace fathom::sandbox {
namespace {

// Variables that hand the command a credential or a door to the host (agents, buses, daemons).
// A trailing '*' names a family.
constexpr std::string_view kCredentialPatterns[] = {"SSH_AUTH_SOCK",
                                                    "SSH_AGENT_PID",
                                                    "GPG_AGENT_INFO",
                                                    "DBUS_SESSION_BUS_ADDRESS",
                                                    "DOCKER_HOST",
                                                    "KUBECONFIG",
                                                    "AWS_*",
                                                    "AZURE_*",
                                                    "GOOGLE_APPLICATION_CREDENTIALS",
                                                    "GITHUB_TOKEN",
                                                    "GH_TOKEN",
                                                    "GITLAB_TOKEN",
                                                    "NPM_TOKEN",
                                                    "HF_TOKEN",
                                                    "HUGGING_FACE_HUB_TOKEN",
                                                    "OPENAI_API_KEY",
                                                    "ANTHROPIC_API_KEY",
                                                    "DEEPSEEK_API_KEY",
                                                    "VAULT_TOKEN",
                                                    "FATHOM_API_KEY"};

bool IsNameCharacter(char c, bool first) {
  return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (!first && c >= '0' && c <= '9');
}

// The part of a pattern before its '*', and whether it has one.
std::string_view PrefixOf(std::string_view pattern, bool& is_prefix) {
  is_prefix = pattern.ends_with('*');
  if (is_prefix) pattern.remove_suffix(1);
  return pattern;
}

// Whether some variable name matches both patterns.
bool Overlap(std::string_view a, std::string_view b) {
  bool a_prefix = false;
  bool b_prefix = false;
  a = PrefixOf(a, a_prefix);
  b = PrefixOf(b, b_prefix);
  if (a_prefix && b_prefix) return a.starts_with(b) || b.starts_with(a);
  if (a_prefix) return b.starts_with(a);
  if (b_prefix) return a.starts_with(b);
  return a == b;
}

bool Matches(std::string_view name, std::string_view pattern) {
  bool is_prefix = false;
  std::string_view prefix = PrefixOf(pattern, is_prefix);
  return is_prefix ? name.starts_with(prefix) : name == prefix;
}

}  // namespace

Environment ParseEnvironment(const char* const* entries) {
  Environment environment;
  for (; entries != nullptr && *entries != nullptr; ++entries) {
    std::string_view entry = *entries;
    size_t equals = entry.find('=');
    if (equals == std::string_view::npos) continue;
    environment.emplace(entry.substr(0, equals), entry.substr(equals + 1));
  }
  return environment;
}

std::vector<std::string> EnvironmentEntries(const Environment& environment) {
  std::vector<std::string> entries;
  entries.reserve(environment.size());
  for (const auto& [name, value] : environment) entries.push_back(name + "=" + value);
  return entries;
}

bool IsValidEnvironmentPattern(std::string_view pattern) {
  bool is_prefix = false;
  std::string_view name = PrefixOf(pattern, is_prefix);
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    if (!IsNameCharacter(name[i], i == 0)) return false;
  }
  return true;
}

std::string_view CredentialAdmittedBy(std::string_view pattern) {
  for (std::string_view credential : kCredentialPatterns) {
    if (Overlap(pattern, credential)) return credential;
  }
  return {};
}

Environment EffectiveEnvironment(const SandboxPolicy& policy, const Environment& host) {
  Environment result;
  for (const auto& [name, value] : host) {
    bool allowed = false;
    for (const std::string& pattern : policy.environment_allowlist) {
      allowed = allowed || Matches(name, pattern);
    }
    if (allowed && CredentialAdmittedBy(name).empty()) result.emplace(name, value);
  }
  for (const auto& [name, value] : policy.environment_overrides) result[name] = value;
  if (!result.contains("PATH")) result.emplace("PATH", kDefaultPath);
  return result;
}

}  // namespace fathom::sandbox
