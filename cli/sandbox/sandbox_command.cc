#include "cli/sandbox/sandbox_command.h"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "base/json.h"
#include "sandbox/policy_json.h"
#include "sandbox/sandbox.h"

namespace fathom::cli {
namespace {

namespace fs = std::filesystem;

constexpr int kTimedOutExit = 124;
constexpr int kNotStartedExit = 125;

struct SandboxOptions {
  std::string workspace;
  std::string policy_file;
  std::string network;
  std::string mode = "on";
  double timeout_seconds = 0;
  bool json = false;
  std::vector<std::string> command;
};

fs::path HomeDirectory() {
  if (const char* home = std::getenv("HOME"); home != nullptr && home[0] == '/') return home;
  if (const passwd* entry = getpwuid(geteuid()); entry != nullptr) return entry->pw_dir;
  return "/";
}

base::Result<sandbox::SandboxPolicy> PolicyFor(const SandboxOptions& options,
                                               const fs::path& home) {
  const fs::path workspace =
      options.workspace.empty() ? fs::current_path() : fs::path(options.workspace);
  sandbox::SandboxPolicy policy = sandbox::DefaultPolicy(fs::absolute(workspace), home);
  if (!options.policy_file.empty()) {
    FATHOM_ASSIGN_OR_RETURN(policy, sandbox::LoadPolicyFile(options.policy_file, policy));
  }
  if (!options.network.empty()) {
    policy.network =
        options.network == "on" ? sandbox::NetworkAccess::kOn : sandbox::NetworkAccess::kOff;
  }
  if (options.timeout_seconds > 0) {
    policy.limits.wall_time_ms = static_cast<uint64_t>(options.timeout_seconds * 1000);
  }
  return policy;
}

// The current directory when it is inside the workspace, else the workspace itself.
fs::path WorkingDirectory(const fs::path& workspace) {
  const fs::path current = fs::weakly_canonical(fs::current_path());
  const fs::path root = fs::weakly_canonical(workspace);
  const auto [end, unused] =
      std::mismatch(root.begin(), root.end(), current.begin(), current.end());
  return end == root.end() ? current : root;
}

void WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t written = write(fd, bytes.data(), bytes.size());
    if (written <= 0) return;
    bytes.remove_prefix(static_cast<size_t>(written));
  }
}

base::Json ResultToJson(const sandbox::CommandResult& result) {
  base::Json json = {
      {"sandboxed", result.isolation == sandbox::Isolation::kSandboxed},
      {"exit_code", result.exit_code.has_value() ? base::Json(*result.exit_code) : nullptr},
      {"signal", result.signal.has_value() ? base::Json(*result.signal) : nullptr},
      {"timed_out", result.timed_out},
      {"cancelled", result.cancelled},
      {"memory_limit_hit", result.memory_limit_hit},
      {"stdout", result.stdout_text},
      {"stderr", result.stderr_text},
      {"stdout_bytes", result.stdout_bytes},
      {"stderr_bytes", result.stderr_bytes},
      {"output_truncated", result.output_truncated},
      {"exec_error", result.exec_error.has_value() ? base::Json(*result.exec_error) : nullptr},
      {"wall_time_ms", result.wall_time.count()},
      {"summary", result.Summary()},
  };
  base::Json created = base::Json::array();
  for (const fs::path& path : result.created_protected_paths) created.push_back(path.string());
  json["created_protected_paths"] = created;
  return json;
}

int ExitCodeOf(const sandbox::CommandResult& result) {
  if (result.timed_out) return kTimedOutExit;
  if (result.exit_code.has_value()) return *result.exit_code;
  return 128 + result.signal.value_or(0);
}

int RunSandbox(const SandboxOptions& options) {
  const fs::path home = HomeDirectory();
  base::Result<sandbox::SandboxPolicy> policy = PolicyFor(options, home);
  if (!policy.ok()) {
    std::cerr << "fathom sandbox: " << policy.error() << "\n";
    return kNotStartedExit;
  }
  const sandbox::Isolation isolation =
      options.mode == "off" ? sandbox::Isolation::kUnsandboxed : sandbox::Isolation::kSandboxed;
  if (isolation == sandbox::Isolation::kUnsandboxed) {
    std::cerr << "fathom sandbox: WARNING: --sandbox=off: the command runs with no isolation, "
                 "with your full access to files, credentials and network\n";
  }
  base::Result<sandbox::Sandbox> box = sandbox::Sandbox::Create(*policy, home, isolation);
  if (!box.ok()) {
    std::cerr << "fathom sandbox: " << box.error() << "\n";
    return kNotStartedExit;
  }
  sandbox::CommandRequest request;
  request.argv = options.command;
  request.working_directory = WorkingDirectory(policy->writable_roots.front());
  request.stdin_fd = STDIN_FILENO;
  if (!options.json) {
    request.on_output = [](sandbox::OutputStream stream, std::string_view bytes) {
      WriteAll(stream == sandbox::OutputStream::kStdout ? STDOUT_FILENO : STDERR_FILENO, bytes);
    };
  }
  base::Result<sandbox::CommandResult> result = box->Run(request);
  if (!result.ok()) {
    std::cerr << "fathom sandbox: " << result.error() << "\n";
    return kNotStartedExit;
  }
  if (options.json) {
    std::cout << ResultToJson(*result).dump(2) << "\n";
  } else if (result->exec_error.has_value()) {
    std::cerr << "fathom sandbox: " << *result->exec_error << "\n";
  } else if (!result->exit_code.has_value() || result->timed_out) {
    std::cerr << "fathom sandbox: " << result->Summary() << "\n";
  }
  for (const fs::path& path : result->created_protected_paths) {
    std::cerr << "fathom sandbox: WARNING: the command created the protected path " << path
              << "; do not let host tools (git, editors) trust it before checking it\n";
  }
  return ExitCodeOf(*result);
}

}  // namespace

void AddSandboxCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<SandboxOptions>();
  CLI::App* command = app.add_subcommand(
      "sandbox", "Run one command in the sandbox: fathom sandbox [options] -- CMD ARGS...");
  command->add_option("--workspace", options->workspace,
                      "The writable directory (default: the current directory)");
  command->add_option("--policy", options->policy_file, "A policy file (JSON) to start from")
      ->check(CLI::ExistingFile);
  command->add_option("--network", options->network, "Network access: off (default) or on")
      ->check(CLI::IsMember({"off", "on"}));
  command
      ->add_option("--sandbox", options->mode,
                   "on (default) or off: off runs the command WITHOUT isolation")
      ->check(CLI::IsMember({"on", "off"}));
  command->add_option("--timeout", options->timeout_seconds, "Wall-time limit in seconds")
      ->check(CLI::PositiveNumber);
  command->add_flag("--json", options->json, "Print the result as JSON instead of streaming");
  command->add_option("command", options->command, "The command and its arguments")->required();
  command->positionals_at_end();
  command->callback([options, &exit_code] { exit_code = RunSandbox(*options); });
}

}  // namespace fathom::cli
