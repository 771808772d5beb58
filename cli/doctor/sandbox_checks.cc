// Doctor checks of the kernel features the sandbox depends on, from sandbox::ProbeKernelFeatures.
// A missing feature is a warning here (fathom still indexes, chats and serves), but the sandbox
// fails closed: it refuses to run commands rather than run them unconfined.
#include <string>

#include "cli/doctor/checks.h"

namespace fathom::cli {

namespace {

base::Json OptionalInteger(const std::optional<int64_t>& value) {
  return value.has_value() ? base::Json(*value) : base::Json(nullptr);
}

CheckResult FeatureResult(std::string name, bool available, const std::string& detail,
                          std::string_view consequence) {
  CheckResult result(std::move(name));
  result.summary = detail;
  result.facts["available"] = available;
  if (!available) {
    result.status = CheckStatus::kWarn;
    result.details.emplace_back(consequence);
  }
  return result;
}

CheckResult UserNamespacesResult(const sandbox::UserNamespaceSupport& support) {
  CheckResult result = FeatureResult(
      "user_namespaces", support.available, support.detail,
      "the sandbox will refuse to run commands: it needs user, mount, pid and network namespaces");
  result.facts["unprivileged_userns_clone"] = OptionalInteger(support.unprivileged_userns_clone);
  result.facts["max_user_namespaces"] = OptionalInteger(support.max_user_namespaces);
  result.facts["apparmor_restrict_unprivileged_userns"] =
      OptionalInteger(support.apparmor_restrict_unprivileged_userns);
  return result;
}

CheckResult SeccompResult(const sandbox::SeccompSupport& support) {
  CheckResult result = FeatureResult(
      "seccomp", support.available, support.detail,
      "the sandbox will refuse to run commands: it filters system calls with seccomp");
  result.facts["mode"] = support.mode;
  result.facts["actions"] = support.actions;
  return result;
}

CheckResult NoNewPrivsResult(const sandbox::NoNewPrivsSupport& support) {
  CheckResult result = FeatureResult(
      "no_new_privs", support.available, support.detail,
      "the sandbox will refuse to run commands: it sets no_new_privs so setuid binaries gain "
      "nothing");
  result.facts["set_in_this_process"] = support.set_in_this_process;
  return result;
}

CheckResult CgroupsResult(const sandbox::CgroupSupport& support) {
  CheckResult result = FeatureResult(
      "cgroups", support.available, support.detail,
      "the sandbox will refuse to run commands: it needs a writable cgroup v2 hierarchy with the "
      "memory and pids controllers to limit and kill what it runs");
  result.summary =
      "cgroup " + std::string(sandbox::CgroupVersionName(support.version)) + "; " + support.detail;
  result.facts["version"] = sandbox::CgroupVersionName(support.version);
  result.facts["unified_path"] = support.unified_path;
  result.facts["v1_controllers"] = support.v1_controllers;
  result.facts["v2_controllers"] = support.v2_controllers;
  result.facts["writable"] = support.writable;
  result.facts["memory_limit_bytes"] = support.memory_limit_bytes.has_value()
                                           ? base::Json(*support.memory_limit_bytes)
                                           : base::Json(nullptr);
  return result;
}

}  // namespace

std::vector<CheckResult> CheckSandbox(const sandbox::KernelFeatures& features) {
  return {UserNamespacesResult(features.user_namespaces), SeccompResult(features.seccomp),
          NoNewPrivsResult(features.no_new_privs), CgroupsResult(features.cgroups)};
}

}  // namespace fathom::cli
