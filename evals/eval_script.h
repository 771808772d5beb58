// The scripts that grade one instance offline. The row's own eval_script (SWE-bench v5 exports) is
// the ground truth; rows without one get a script written the official way from the recipe. Either
// is adapted to the checkout: /testbed becomes its path, conda and pip lines go (the recipe
// provides the environment), the test exit code is recorded as v5 does, and the build steps are
// split into a setup script that runs once per (repo, commit) and whose result is cached.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "base/result.h"
#include "evals/recipe.h"
#include "evals/task.h"

namespace fathom::evals {

inline constexpr std::string_view kStartTestOutput = ">>>>> Start Test Output";
inline constexpr std::string_view kEndTestOutput = ">>>>> End Test Output";
inline constexpr std::string_view kTestExitCode = ">>>>> Test Exit Code: ";

struct EvalScripts {
  // Builds the checkout at base_commit before any patch; empty when there is nothing to build.
  std::string setup;
  // Restores the test files, applies test_patch, builds, runs the tests between the markers.
  std::string eval;
  // Lines of the official script the graded run skips, with the reason, for the run log.
  std::vector<std::string> skipped_lines;
};

// The official-style eval script for a row without one (uses /testbed, as the official does).
base::Result<std::string> GenerateEvalScript(const TaskInstance& instance, const Recipe& recipe);

// The setup and graded scripts of `instance` for a checkout at `testbed` (absolute).
base::Result<EvalScripts> MakeEvalScripts(const TaskInstance& instance, const Recipe& recipe,
                                          const std::filesystem::path& testbed);

}  // namespace fathom::evals
