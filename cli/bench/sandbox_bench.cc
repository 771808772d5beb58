#include "cli/bench/sandbox_bench.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <vector>

#include "sandbox/linux/seccomp_filter.h"
#include "sandbox/policy_validation.h"
#include "sandbox/sandbox.h"

extern char** environ;

namespace fathom::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Timing {
  double median_ms = 0;
  double p90_ms = 0;
};

// Runs `once` `runs` times (after two warm-up runs); false from `once` aborts.
base::Result<Timing> Measure(int runs, const std::function<base::Status()>& once) {
  for (int i = 0; i < 2; ++i) FATHOM_TRY(once());
  std::vector<double> samples;
  for (int i = 0; i < runs; ++i) {
    const Clock::time_point start = Clock::now();
    FATHOM_TRY(once());
    samples.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  std::sort(samples.begin(), samples.end());
  return Timing{samples[samples.size() / 2], samples[samples.size() * 9 / 10]};
}

// Spawns `argv`, reads its stdout to EOF and waits; an error unless it exits 0.
base::Status SpawnAndWait(const std::vector<std::string>& argv) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return base::ErrnoError("pipe2", errno);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  std::vector<char*> pointers;
  for (const std::string& argument : argv) pointers.push_back(const_cast<char*>(argument.c_str()));
  pointers.push_back(nullptr);
  pid_t pid = -1;
  const int error = posix_spawn(&pid, pointers[0], &actions, nullptr, pointers.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (error != 0) {
    close(fds[0]);
    return base::ErrnoError("posix_spawn " + argv[0], error);
  }
  char buffer[4096];
  while (read(fds[0], buffer, sizeof(buffer)) > 0) {
  }
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return base::InternalError(argv[0] + " failed with wait status " + std::to_string(status));
  }
  return base::Ok();
}

// bwrap arguments for the isolation fathom's sandbox gives `policy`.
std::vector<std::string> BwrapArguments(const std::string& bwrap,
                                        const sandbox::ResolvedPolicy& policy, int seccomp_fd) {
  std::vector<std::string> arguments = {bwrap,
                                        "--unshare-user",
                                        "--unshare-pid",
                                        "--unshare-net",
                                        "--unshare-ipc",
                                        "--unshare-uts",
                                        "--hostname",
                                        "fathom-sandbox",
                                        "--die-with-parent",
                                        "--new-session",
                                        "--cap-drop",
                                        "ALL",
                                        "--ro-bind",
                                        "/",
                                        "/",
                                        "--tmpfs",
                                        "/tmp",
                                        "--tmpfs",
                                        "/run",
                                        "--dev",
                                        "/dev",
                                        "--proc",
                                        "/proc"};
  for (const fs::path& root : policy.policy.writable_roots) {
    arguments.insert(arguments.end(), {"--bind", root.string(), root.string()});
  }
  for (const sandbox::ProtectedPath& path : policy.protected_paths) {
    if (path.exists) arguments.insert(arguments.end(), {"--ro-bind", path.path, path.path});
  }
  for (const sandbox::HiddenPath& hidden : policy.hidden_paths) {
    if (hidden.is_directory) {
      arguments.insert(arguments.end(), {"--tmpfs", hidden.path.string()});
    } else {
      arguments.insert(arguments.end(), {"--ro-bind", "/dev/null", hidden.path.string()});
    }
  }
  arguments.insert(arguments.end(), {"--seccomp", std::to_string(seccomp_fd), "--chdir",
                                     policy.policy.writable_roots.front().string(), "--"});
  return arguments;
}

// A memfd holding the seccomp program, for bwrap --seccomp (rewound before each run).
base::Result<int> SeccompMemfd(const sandbox::SandboxPolicy& policy) {
  FATHOM_ASSIGN_OR_RETURN(sandbox::linux::SeccompProgram program,
                          sandbox::linux::SeccompProgram::Build(
                              {.allow_network = policy.network == sandbox::NetworkAccess::kOn}));
  const int fd = memfd_create("fathom-seccomp", 0);
  if (fd < 0) return base::ErrnoError("memfd_create", errno);
  const auto& instructions = program.instructions();
  const size_t bytes = instructions.size() * sizeof(instructions[0]);
  if (write(fd, instructions.data(), bytes) != static_cast<ssize_t>(bytes)) {
    close(fd);
    return base::ErrnoError("write seccomp memfd", errno);
  }
  return fd;
}

void Report(std::ostream& out, const std::string& label, const Timing& timing,
            const Timing& bwrap) {
  out << "  " << label << ": median " << timing.median_ms << " ms, p90 " << timing.p90_ms << " ms ("
      << timing.median_ms / bwrap.median_ms << "x bwrap)\n";
}

base::Status BenchCommand(const BenchSandboxOptions& options, const std::vector<std::string>& argv,
                          const fs::path& workspace, const fs::path& home, std::ostream& out) {
  const sandbox::SandboxPolicy policy = sandbox::DefaultPolicy(workspace, home);
  FATHOM_ASSIGN_OR_RETURN(sandbox::ResolvedPolicy resolved, sandbox::ResolvePolicy(policy, home));
  FATHOM_ASSIGN_OR_RETURN(sandbox::Sandbox box, sandbox::Sandbox::Create(policy, home));
  FATHOM_ASSIGN_OR_RETURN(sandbox::Sandbox host,
                          sandbox::Sandbox::Create(policy, home, sandbox::Isolation::kUnsandboxed));
  auto run_in = [&argv](const sandbox::Sandbox& target) -> base::Status {
    sandbox::CommandRequest request;
    request.argv = argv;
    FATHOM_ASSIGN_OR_RETURN(sandbox::CommandResult result, target.Run(request));
    if (result.exit_code != 0) return base::InternalError("run failed: " + result.Summary());
    return base::Ok();
  };
  FATHOM_ASSIGN_OR_RETURN(int seccomp_fd, SeccompMemfd(policy));
  std::vector<std::string> bwrap = BwrapArguments(options.bwrap, resolved, seccomp_fd);
  bwrap.insert(bwrap.end(), argv.begin(), argv.end());
  std::vector<std::string> cli = {fs::read_symlink("/proc/self/exe").string(), "sandbox",
                                  "--workspace", workspace.string(), "--"};
  cli.insert(cli.end(), argv.begin(), argv.end());

  std::string label;
  for (const std::string& argument : argv) label += (label.empty() ? "" : " ") + argument;
  out << label << " (" << options.runs << " runs each):\n";
  FATHOM_ASSIGN_OR_RETURN(Timing bwrap_timing, Measure(options.runs, [&] {
                            lseek(seccomp_fd, 0, SEEK_SET);
                            return SpawnAndWait(bwrap);
                          }));
  close(seccomp_fd);
  FATHOM_ASSIGN_OR_RETURN(Timing sandboxed, Measure(options.runs, [&] { return run_in(box); }));
  FATHOM_ASSIGN_OR_RETURN(Timing cli_timing,
                          Measure(options.runs, [&] { return SpawnAndWait(cli); }));
  FATHOM_ASSIGN_OR_RETURN(Timing unsandboxed, Measure(options.runs, [&] { return run_in(host); }));
  Report(out, "bwrap (process start to exit)", bwrap_timing, bwrap_timing);
  Report(out, "fathom Sandbox::Run, in process", sandboxed, bwrap_timing);
  Report(out, "fathom sandbox CLI (process start to exit)", cli_timing, bwrap_timing);
  Report(out, "unsandboxed Sandbox::Run (floor)", unsandboxed, bwrap_timing);
  return base::Ok();
}

}  // namespace

void AddBenchSandboxCommand(CLI::App& bench, int& exit_code) {
  auto options = std::make_shared<BenchSandboxOptions>();
  CLI::App* command = bench.add_subcommand(
      "sandbox", "Start-to-exit time of commands in the sandbox, beside bubblewrap");
  command->add_option("--runs", options->runs, "Timed runs per configuration")
      ->check(CLI::Range(1, 100000));
  command->add_option("--bwrap", options->bwrap, "The bubblewrap binary");
  command->add_option("--resident-mib", options->resident_mib,
                      "Touch this much anonymous memory first (an agent holding a KV cache)")
      ->check(CLI::Range(0, 1 << 20));
  command->callback(
      [options, &exit_code] { exit_code = RunBenchSandbox(*options, std::cout, std::cerr); });
}

int RunBenchSandbox(const BenchSandboxOptions& options, std::ostream& out, std::ostream& error) {
  const fs::path scratch =
      fs::temp_directory_path() / ("fathom-bench-sandbox-" + std::to_string(getpid()));
  const fs::path workspace = scratch / "workspace";
  const fs::path home = scratch / "home";
  fs::create_directories(workspace / ".git/hooks");
  fs::create_directories(home / ".ssh");
  std::ofstream(workspace / ".git/config") << "[core]\n";
  std::vector<char> resident(static_cast<size_t>(options.resident_mib) << 20);
  for (size_t i = 0; i < resident.size(); i += 4096) resident[i] = 1;
  out << "resident anonymous memory touched first: " << options.resident_mib << " MiB\n";
  int code = 0;
  for (const std::vector<std::string>& argv :
       {std::vector<std::string>{"true"}, std::vector<std::string>{"sh", "-c", "echo hi"}}) {
    if (base::Status status = BenchCommand(options, argv, workspace, home, out); !status.ok()) {
      error << "fathom bench sandbox: " << status.error() << "\n";
      code = 1;
      break;
    }
  }
  std::error_code ignored;
  fs::remove_all(scratch, ignored);
  return code;
}

}  // namespace fathom::cli
