// Shared by the `fathom eval` tests: a scratch directory per test, the real datasets and
// repositories under ../shared/datasets, ids of one repository's instances, a predictions file
// with a patch that fixes nothing, and running `fathom eval` to read back its summary JSON.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "base/json.h"
#include "evals/task.h"
#include "tests/cli/run_fathom.h"

namespace fathom::cli {

namespace fs = std::filesystem;

inline const fs::path kDatasets = fs::path(FATHOM_SHARED_DIR) / "datasets";

// A patch that adds an unrelated file: applies everywhere, fixes nothing.
inline constexpr std::string_view kNoFixPatch =
    "diff --git a/fathom_no_fix.txt b/fathom_no_fix.txt\nnew file mode 100644\n"
    "--- /dev/null\n+++ b/fathom_no_fix.txt\n@@ -0,0 +1 @@\n+fixes nothing\n";

inline std::vector<std::string> InstanceIdsOf(const fs::path& tasks, std::string_view repo) {
  std::vector<std::string> ids;
  base::Result<std::vector<evals::TaskInstance>> instances = evals::LoadTaskInstances(tasks);
  EXPECT_TRUE(instances.ok()) << instances.error();
  if (!instances.ok()) return ids;
  for (const evals::TaskInstance& instance : *instances) {
    if (instance.repo == repo) ids.push_back(instance.instance_id);
  }
  return ids;
}

inline std::string Join(const std::vector<std::string>& ids) {
  std::string joined;
  for (const std::string& id : ids) joined += (joined.empty() ? "" : ",") + id;
  return joined;
}

class EvalCommandTestBase : public ::testing::Test {
 protected:
  void SetUp() override {
    char path[] = "/tmp/fathom-cli-eval-XXXXXX";
    ASSERT_NE(mkdtemp(path), nullptr);
    scratch_ = path;
  }
  void TearDown() override { fs::remove_all(scratch_); }

  // Writes a JSONL predictions file giving every id in `ids` the no-fix patch.
  fs::path NoFixPredictions(const std::vector<std::string>& ids) {
    const fs::path path = scratch_ / "no-fix.jsonl";
    std::ofstream out(path);
    for (const std::string& id : ids) {
      out << base::Json{{"instance_id", id},
                        {"model_name_or_path", "no-fix"},
                        {"model_patch", kNoFixPatch}}
                 .dump()
          << "\n";
    }
    return path;
  }

  // Runs `fathom eval` with the scratch cache, logs and report directories.
  CommandOutput Eval(const std::string& arguments) {
    return RunFathom("eval --repos '" + (kDatasets / "repos").string() + "' --cache-dir '" +
                     (scratch_ / "cache").string() + "' --log-dir '" +
                     (scratch_ / "logs").string() + "' --report-dir '" +
                     (scratch_ / "reports").string() + "' " + arguments);
  }

  base::Json Summary(const std::string& model, const std::string& run_id) {
    base::Result<base::Json> summary =
        base::ReadJsonFile(scratch_ / "reports" / (model + "." + run_id + ".json"));
    EXPECT_TRUE(summary.ok()) << summary.error();
    return summary.ok() ? *summary : base::Json();
  }

  fs::path scratch_;
};

}  // namespace fathom::cli
