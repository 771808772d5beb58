// Doctor checks of the kernel features the sandbox depends on, from sandbox::ProbeKernelFeatures.
// A missing feature is a warning here (fathom still indexes, chats and serves), but the sandbox
// fails closed: it refuses to run commands rather than run them unconfined.
#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "cli/doctor/checks.h"
#include "sandbox/sandbox.h"

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
      "the sandbox will refuse to run commands: it needs writable memory and pids controllers, "
      "in this process's cgroup v2 or in the cgroup v1 memory and pids hierarchies, to limit and "
      "kill what it runs");
  result.summary =
      "cgroup " + std::string(sandbox::CgroupVersionName(support.version)) + "; " + support.detail;
  if (support.available) {
    result.details.push_back("the sandbox limits each run with cgroup " +
                             support.sandbox_hierarchy + " memory and pids");
  }
  result.facts["version"] = sandbox::CgroupVersionName(support.version);
  result.facts["sandbox_hierarchy"] = support.sandbox_hierarchy;
  result.facts["unified_path"] = support.unified_path;
  result.facts["v1_controllers"] = support.v1_controllers;
  result.facts["v2_controllers"] = support.v2_controllers;
  result.facts["writable"] = support.writable;
  result.facts["memory_limit_bytes"] = support.memory_limit_bytes.has_value()
                                           ? base::Json(*support.memory_limit_bytes)
                                           : base::Json(nullptr);
  return result;
}

std::filesystem::path HomeDirectory() {
  if (const char* home = std::getenv("HOME"); home != nullptr && home[0] == '/') return home;
  if (const passwd* entry = getpwuid(geteuid()); entry != nullptr) return entry->pw_dir;
  return "/";
}

// Runs `sh -c 'echo ok'` under the default policy for a scratch workspace: the end-to-end proof
// that every mechanism above works together.
CheckResult SandboxRunResult() {
  CheckResult result("sandbox_run");
  char scratch[] = "/tmp/fathom-doctor-XXXXXX";
  if (mkdtemp(scratch) == nullptr) {
    result.status = CheckStatus::kWarn;
    result.summary = "cannot create a scratch workspace in /tmp";
    return result;
  }
  const std::filesystem::path home = HomeDirectory();
  base::Result<sandbox::Sandbox> box =
      sandbox::Sandbox::Create(sandbox::DefaultPolicy(scratch, home), home);
  sandbox::CommandRequest request;
  request.argv = {"/bin/sh", "-c", "echo ok"};
  base::Result<sandbox::CommandResult> run =
      box.ok() ? box->Run(request) : base::Result<sandbox::CommandResult>(box.error());
  std::error_code ignored;
  std::filesystem::remove_all(scratch, ignored);
  if (!run.ok() || run->exit_code != 0 || run->stdout_text != "ok\n") {
    result.status = CheckStatus::kWarn;
    result.summary = run.ok() ? "sh -c 'echo ok' in the sandbox: " + run->Summary() +
                                    ", stderr: " + run->stderr_text
                              : run.error().message();
    result.details.emplace_back(
        "agent commands will be refused (fail closed); --sandbox=off runs them unprotected");
    return result;
  }
  result.summary =
      "sh -c 'echo ok' ran in the sandbox in " + std::to_string(run->wall_time.count()) + " ms";
  result.facts["wall_time_ms"] = run->wall_time.count();
  return result;
}

}  // namespace

std::vector<CheckResult> CheckSandbox(const sandbox::KernelFeatures& features) {
  return {UserNamespacesResult(features.user_namespaces), SeccompResult(features.seccomp),
          NoNewPrivsResult(features.no_new_privs), CgroupsResult(features.cgroups),
          SandboxRunResult()};
}

}  // namespace fathom::cli
