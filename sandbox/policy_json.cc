#include "sandbox/policy_json.h"

#include <initializer_list>
#include <string>
#include <string_view>

#include "base/file.h"

namespace fathom::sandbox {
namespace {

using base::Json;
namespace fs = std::filesystem;

base::Error Invalid(std::string_view key, std::string_view problem) {
  return base::InvalidArgumentError("sandbox policy file: \"" + std::string(key) + "\" " +
                                    std::string(problem));
}

// Fails on the first key of `object` outside `known`; `prefix` is "" or "limits.".
base::Status CheckKeys(const Json& object, std::string_view prefix,
                       std::initializer_list<std::string_view> known) {
  for (const auto& [key, value] : object.items()) {
    bool found = false;
    for (std::string_view name : known) found = found || key == name;
    if (!found) return Invalid(std::string(prefix) + key, "is not a known key");
  }
  return base::Ok();
}

base::Result<std::vector<std::string>> Strings(const Json& value, std::string_view key) {
  if (!value.is_array()) return Invalid(key, "is not an array of strings");
  std::vector<std::string> strings;
  for (const Json& element : value) {
    if (!element.is_string()) return Invalid(key, "holds " + element.dump() + ", not a string");
    strings.push_back(element.get<std::string>());
  }
  return strings;
}

base::Status ReadPaths(const Json& object, std::string_view key, std::vector<fs::path>& paths) {
  auto found = object.find(key);
  if (found == object.end()) return base::Ok();
  FATHOM_ASSIGN_OR_RETURN(std::vector<std::string> strings, Strings(*found, key));
  paths.assign(strings.begin(), strings.end());
  return base::Ok();
}

base::Status ReadNetwork(const Json& object, NetworkAccess& network) {
  auto found = object.find("network");
  if (found == object.end()) return base::Ok();
  for (NetworkAccess access : {NetworkAccess::kOff, NetworkAccess::kOn}) {
    if (found->is_string() && found->get_ref<const std::string&>() == NetworkAccessName(access)) {
      network = access;
      return base::Ok();
    }
  }
  return Invalid("network", "is " + found->dump() + ", not \"off\" or \"on\"");
}

base::Status ReadEnvironment(const Json& object, SandboxPolicy& policy) {
  auto found = object.find("environment");
  if (found == object.end()) return base::Ok();
  if (!found->is_object()) return Invalid("environment", "is not an object");
  FATHOM_TRY(CheckKeys(*found, "environment.", {"allow", "set"}));
  if (auto allow = found->find("allow"); allow != found->end()) {
    FATHOM_ASSIGN_OR_RETURN(policy.environment_allowlist, Strings(*allow, "environment.allow"));
  }
  if (auto set = found->find("set"); set != found->end()) {
    if (!set->is_object()) return Invalid("environment.set", "is not an object");
    policy.environment_overrides.clear();
    for (const auto& [name, value] : set->items()) {
      if (!value.is_string()) return Invalid("environment.set." + name, "is not a string");
      policy.environment_overrides[name] = value.get<std::string>();
    }
  }
  return base::Ok();
}

base::Status ReadLimits(const Json& object, SandboxLimits& limits) {
  auto found = object.find("limits");
  if (found == object.end()) return base::Ok();
  if (!found->is_object()) return Invalid("limits", "is not an object");
  for (const auto& [key, value] : found->items()) {
    const LimitField* field = nullptr;
    for (const LimitField& candidate : LimitFields()) {
      if (candidate.name == key) field = &candidate;
    }
    if (field == nullptr) return Invalid("limits." + key, "is not a known key");
    if (!value.is_number_unsigned()) {
      return Invalid("limits." + key, "is " + value.dump() + ", not a non-negative integer");
    }
    limits.*field->member = value.get<uint64_t>();
  }
  return base::Ok();
}

Json PathsToJson(const std::vector<fs::path>& paths) {
  Json array = Json::array();
  for (const fs::path& path : paths) array.push_back(path.string());
  return array;
}

}  // namespace

Json PolicyToJson(const SandboxPolicy& policy) {
  Json limits = Json::object();
  for (const LimitField& field : LimitFields()) {
    limits[std::string(field.name)] = policy.limits.*field.member;
  }
  return Json{
      {"writable_roots", PathsToJson(policy.writable_roots)},
      {"read_only_roots", PathsToJson(policy.read_only_roots)},
      {"protected_subpaths", PathsToJson(policy.protected_subpaths)},
      {"hidden_paths", PathsToJson(policy.hidden_paths)},
      {"network", std::string(NetworkAccessName(policy.network))},
      {"environment",
       {{"allow", policy.environment_allowlist}, {"set", policy.environment_overrides}}},
      {"limits", limits},
  };
}

base::Result<SandboxPolicy> PolicyFromJson(const Json& json, const SandboxPolicy& defaults) {
  if (!json.is_object()) {
    return base::InvalidArgumentError("sandbox policy file: the document is not an object");
  }
  FATHOM_TRY(CheckKeys(json, "",
                       {"writable_roots", "read_only_roots", "protected_subpaths", "hidden_paths",
                        "network", "environment", "limits"}));
  SandboxPolicy policy = defaults;
  FATHOM_TRY(ReadPaths(json, "writable_roots", policy.writable_roots));
  FATHOM_TRY(ReadPaths(json, "read_only_roots", policy.read_only_roots));
  FATHOM_TRY(ReadPaths(json, "protected_subpaths", policy.protected_subpaths));
  FATHOM_TRY(ReadPaths(json, "hidden_paths", policy.hidden_paths));
  FATHOM_TRY(ReadNetwork(json, policy.network));
  FATHOM_TRY(ReadEnvironment(json, policy));
  FATHOM_TRY(ReadLimits(json, policy.limits));
  return policy;
}

base::Result<SandboxPolicy> LoadPolicyFile(const fs::path& path, const SandboxPolicy& defaults) {
  FATHOM_ASSIGN_OR_RETURN(Json json, base::ReadJsonFile(path));
  base::Result<SandboxPolicy> policy = PolicyFromJson(json, defaults);
  if (!policy.ok()) return std::move(policy).error().WithContext(path.string());
  return policy;
}

base::Status SavePolicyFile(const fs::path& path, const SandboxPolicy& policy) {
  std::string text;
  try {
    text = PolicyToJson(policy).dump(2) + "\n";
  } catch (const Json::type_error&) {
    return base::InvalidArgumentError("sandbox policy: cannot write " + path.string() +
                                      ": a path or variable is not UTF-8");
  }
  return base::WriteFileAtomically(path, text);
}

}  // namespace fathom::sandbox
