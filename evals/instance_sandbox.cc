// The sandbox policy of a graded run: DefaultPolicy on the work directory (so .git/hooks and
// .git/config of the checkout stay read-only), the recipe's network and environment, limits sized
// for builds and test suites.
#include "evals/instance_sandbox.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>

#include "base/file.h"
#include "evals/shell_text.h"

namespace fathom::evals {

namespace {

std::filesystem::path UserHome() {
  const char* home = std::getenv("HOME");
  return home != nullptr && *home != '\0' ? std::filesystem::path(home) : "/root";
}

}  // namespace

base::Status PrepareWorkdir(const InstanceWorkdir& workdir, const Recipe& recipe) {
  std::error_code error;
  std::filesystem::create_directories(workdir.home(), error);
  if (!error) std::filesystem::create_directories(workdir.support(), error);
  if (error) {
    return base::InternalError("creating " + workdir.root.string() + ": " + error.message());
  }
  for (const SupportFile& file : recipe.support_files) {
    const std::filesystem::path path = workdir.support() / file.relative_path;
    std::filesystem::create_directories(path.parent_path(), error);
    if (error) return base::InternalError("creating " + path.string() + ": " + error.message());
    FATHOM_TRY(base::WriteFileAtomically(path, file.content));
    if (file.executable && chmod(path.c_str(), 0755) != 0) {
      return base::InternalError("chmod " + path.string());
    }
  }
  return base::Ok();
}

std::map<std::string, std::string> ScriptEnvironment(const InstanceWorkdir& workdir,
                                                     const Recipe& recipe) {
  std::map<std::string, std::string> environment = {{"HOME", workdir.home().string()},
                                                    {"LANG", "C.UTF-8"}};
  for (const auto& [name, value] : recipe.environment) {
    environment[name] = ReplaceAll(value, "{support}", workdir.support().string());
  }
  return environment;
}

base::Result<sandbox::CommandResult> RunScript(const InstanceWorkdir& workdir, const Recipe& recipe,
                                               const SandboxSettings& settings,
                                               const std::filesystem::path& script,
                                               const std::filesystem::path& output,
                                               std::chrono::seconds timeout) {
  sandbox::SandboxPolicy policy = sandbox::DefaultPolicy(workdir.root, UserHome());
  policy.network = recipe.network;
  policy.read_only_roots = settings.read_only_roots;
  for (const std::string& program : recipe.hidden_programs) {
    std::error_code error;
    if (std::filesystem::exists(program, error)) policy.hidden_paths.emplace_back(program);
  }
  const uint64_t seconds = std::max<uint64_t>(1, static_cast<uint64_t>(timeout.count()));
  policy.limits.wall_time_ms = seconds * 1000;
  // RLIMIT_CPU is per process; a multi-threaded linker or test may use more than the wall time.
  policy.limits.cpu_time_seconds = std::min<uint64_t>(seconds * 4, 24 * 3600);
  policy.limits.memory_bytes = settings.memory_bytes;
  policy.limits.max_processes = 4096;
  policy.limits.open_files = 4096;
  policy.limits.output_bytes = 64 * 1024;  // the script's own output goes to `output`
  for (auto& [name, value] : ScriptEnvironment(workdir, recipe)) {
    policy.environment_overrides[name] = std::move(value);
  }
  FATHOM_ASSIGN_OR_RETURN(
      sandbox::Sandbox box,
      sandbox::Sandbox::Create(std::move(policy), UserHome(), settings.isolation));
  sandbox::CommandRequest request;
  request.argv = {"/bin/bash", "-c",
                  "exec >" + ShellQuote(output.string()) + " 2>&1; exec /bin/bash " +
                      ShellQuote(script.string())};
  request.working_directory = workdir.testbed();
  return box.Run(request);
}

}  // namespace fathom::evals
