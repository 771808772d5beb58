// Applying a prediction's patch with the official fallback ladder, inside the sandbox: git apply,
// git apply --3way, git apply --reject, patch --fuzz=5, each try after the first from the committed
// tree (`git checkout -- . ; git clean -fd`), and a patch already applied accepted
// (git apply --check --reverse), as SWE-bench v5 does.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "base/result.h"
#include "evals/instance_sandbox.h"

namespace fathom::evals {

struct PatchApplyResult {
  bool applied = false;
  std::string method;  // the command that applied it ("git apply --verbose"), or empty
  std::string log;     // the ladder's output
};

// The ladder, as a bash script reading the patch from `patch_file` (relative paths are resolved
// from the testbed); exits 0 on success, with the rung that worked in its exit status.
std::string PatchLadderScript(std::string_view patch_file);

// Applies `patch` to `workdir`'s testbed. An error means the ladder itself could not run; a patch
// that does not apply is a result with applied == false.
base::Result<PatchApplyResult> ApplyModelPatch(const InstanceWorkdir& workdir, const Recipe& recipe,
                                               const SandboxSettings& settings,
                                               std::string_view patch,
                                               std::chrono::seconds timeout);

}  // namespace fathom::evals
