// Where one instance is built and graded, and how its scripts run there: a work directory holding
// the checkout (testbed/), the recipe's support files, a private HOME and the scripts with their
// output, all inside one sandbox whose only writable root is that directory.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "base/result.h"
#include "evals/recipe.h"
#include "sandbox/sandbox.h"

namespace fathom::evals {

struct InstanceWorkdir {
  std::filesystem::path root;

  std::filesystem::path testbed() const { return root / "testbed"; }
  std::filesystem::path home() const { return root / "home"; }
  std::filesystem::path support() const { return root / "support"; }
};

struct SandboxSettings {
  sandbox::Isolation isolation = sandbox::Isolation::kSandboxed;
  uint64_t memory_bytes = uint64_t{8} << 30;
  // Shown read-only wherever they are (the object stores checkouts borrow through alternates).
  std::vector<std::filesystem::path> read_only_roots;
};

// Creates home/ and support/ (with the recipe's support files) in `workdir`.
base::Status PrepareWorkdir(const InstanceWorkdir& workdir, const Recipe& recipe);

// The variables every script of `recipe` runs with: HOME (the work directory's), LANG, and the
// recipe's own with {support} resolved.
std::map<std::string, std::string> ScriptEnvironment(const InstanceWorkdir& workdir,
                                                     const Recipe& recipe);

// Runs `bash script` in the testbed with stdout and stderr both going to `output` (one stream, in
// order, as `docker exec` shows it), under the recipe's environment and network setting, killed
// after `timeout`. `script` and `output` must lie inside the work directory.
base::Result<sandbox::CommandResult> RunScript(const InstanceWorkdir& workdir, const Recipe& recipe,
                                               const SandboxSettings& settings,
                                               const std::filesystem::path& script,
                                               const std::filesystem::path& output,
                                               std::chrono::seconds timeout);

}  // namespace fathom::evals
