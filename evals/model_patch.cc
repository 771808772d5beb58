// The ladder reports which rung applied the patch through its exit status, so nothing the patch's
// own file names make the tools print can fake the outcome.
#include "evals/model_patch.h"

#include <array>

#include "base/file.h"

namespace fathom::evals {

namespace {

struct Rung {
  int exit_status;
  std::string_view command;
  // As the official harness: every try after the first starts from the committed tree (tracked
  // files as the index has them, untracked files not ignored removed), so files the build
  // regenerated (a lexer from flex, say) no longer stand in the patch's way. The final check
  // looks at the tree the last try left.
  bool from_committed_tree;
};

// In order; exit status 1 means nothing worked.
constexpr std::array<Rung, 5> kRungs = {{
    {0, "git apply --verbose", false},
    {2, "git apply --verbose --3way", true},
    {3, "git apply --verbose --reject", true},
    {4, "patch --batch --forward --fuzz=5 -p1 -i", true},
    {5, "git apply --check --reverse", false},  // already applied: nothing to do
}};

}  // namespace

std::string PatchLadderScript(std::string_view patch_file) {
  const std::string patch(patch_file);
  std::string script = "#!/bin/bash\nset -u\n";
  for (const Rung& rung : kRungs) {
    if (rung.from_committed_tree) script += "git checkout -- . ; git clean -fd\n";
    script += "echo '+ " + std::string(rung.command) + " " + patch + "'\n";
    script += std::string(rung.command) + " '" + patch + "' && exit " +
              std::to_string(rung.exit_status) + "\n";
  }
  script += "exit 1\n";
  return script;
}

base::Result<PatchApplyResult> ApplyModelPatch(const InstanceWorkdir& workdir, const Recipe& recipe,
                                               const SandboxSettings& settings,
                                               std::string_view patch,
                                               std::chrono::seconds timeout) {
  const std::filesystem::path patch_file = workdir.root / "patch.diff";
  const std::filesystem::path script = workdir.root / "apply_patch.sh";
  const std::filesystem::path output = workdir.root / "apply_patch.log";
  FATHOM_TRY(base::WriteFileAtomically(patch_file, patch));
  FATHOM_TRY(base::WriteFileAtomically(script, PatchLadderScript(patch_file.string())));
  FATHOM_ASSIGN_OR_RETURN(sandbox::CommandResult run,
                          RunScript(workdir, recipe, settings, script, output, timeout));
  PatchApplyResult result;
  base::Result<std::string> log = base::ReadFileToString(output);
  if (log.ok()) result.log = *std::move(log);
  if (!run.exit_code) {
    return base::InternalError("applying the model patch: " + run.Summary());
  }
  for (const Rung& rung : kRungs) {
    if (*run.exit_code == rung.exit_status) {
      result.applied = true;
      result.method = rung.command;
    }
  }
  if (!result.applied && *run.exit_code != 1) {
    return base::InternalError("applying the model patch: the ladder " + run.Summary());
  }
  return result;
}

}  // namespace fathom::evals
