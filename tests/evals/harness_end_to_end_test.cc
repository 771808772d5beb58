// The harness end to end on real SWE-bench instances from the bundled repositories
// (../shared/datasets/repos): a jq instance (C, autotools, the oniguruma submodule, a cached
// build) and a sympy instance (Python, no build). The gold patch must resolve; a patch that fixes
// nothing must leave the FAIL_TO_PASS tests failing; an empty prediction is never run; a patch
// that does not apply is an error. The full sets (jq 9, fmt 11, sympy 77) run in the slow
// CLI tests.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "base/file.h"
#include "evals/environment.h"
#include "evals/instance_grader.h"

namespace fathom::evals {
namespace {

namespace fs = std::filesystem;

const fs::path kShared = fs::path(FATHOM_SHARED_DIR) / "datasets";

// A patch that adds an unrelated file: applies everywhere, fixes nothing.
constexpr std::string_view kNoFixPatch =
    "diff --git a/fathom_no_fix.txt b/fathom_no_fix.txt\nnew file mode 100644\n"
    "--- /dev/null\n+++ b/fathom_no_fix.txt\n@@ -0,0 +1 @@\n+fixes nothing\n";

TaskInstance Find(const char* file, std::string_view id) {
  base::Result<std::vector<TaskInstance>> all = LoadTaskInstances(kShared / "swebench" / file);
  EXPECT_TRUE(all.ok()) << all.error();
  for (TaskInstance& instance : *all) {
    if (instance.instance_id == id) return std::move(instance);
  }
  ADD_FAILURE() << id << " not in " << file;
  return {};
}

class HarnessEndToEndTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = new fs::path(fs::temp_directory_path() /
                         ("fathom-harness-e2e-" + std::to_string(getpid())));
    fs::remove_all(*root_);
    EnvironmentOptions options;
    options.repos_dir = kShared / "repos";
    options.cache_dir = *root_ / "cache";
    base::Result<Environment> environment = Environment::Open(options);
    ASSERT_TRUE(environment.ok()) << environment.error();
    environment_ = new Environment(*std::move(environment));
  }
  static void TearDownTestSuite() {
    delete environment_;
    fs::remove_all(*root_);
    delete root_;
  }

  InstanceOutcome Grade(const TaskInstance& instance, std::optional<std::string> patch,
                        const std::string& model) {
    InstanceGrader grader(*environment_, *root_ / "logs" / model, std::chrono::seconds(1800));
    return grader.Grade(instance, {instance.instance_id, model, std::move(patch)});
  }

  fs::path LogFile(const std::string& model, const TaskInstance& instance, const char* name) {
    return *root_ / "logs" / model / instance.instance_id / name;
  }

  static fs::path* root_;
  static Environment* environment_;
};

fs::path* HarnessEndToEndTest::root_ = nullptr;
Environment* HarnessEndToEndTest::environment_ = nullptr;

TEST_F(HarnessEndToEndTest, JqGoldResolvesAndANoFixPatchDoesNot) {
  const TaskInstance instance = Find("multilingual_test.jsonl", "jqlang__jq-2839");
  const InstanceOutcome gold = Grade(instance, instance.patch, "gold");
  ASSERT_EQ(gold.status, InstanceStatus::kResolved) << gold.error;
  EXPECT_FALSE(gold.build_cached);
  ASSERT_TRUE(gold.report.has_value());
  EXPECT_EQ(gold.report->tests_status->fail_to_pass.success, instance.fail_to_pass);
  EXPECT_EQ(gold.report->tests_status->pass_to_pass.success.size(), instance.pass_to_pass.size());
  EXPECT_EQ(gold.report->test_exit_code, 0);
  EXPECT_TRUE(fs::exists(LogFile("gold", instance, "report.json")));
  EXPECT_TRUE(fs::exists(LogFile("gold", instance, "setup.log")));
  base::Result<std::string> output =
      base::ReadFileToString(LogFile("gold", instance, "test_output.txt"));
  ASSERT_TRUE(output.ok());
  EXPECT_NE(output->find("PASS: tests/jqtest"), std::string::npos);

  // The same base commit again: the build comes from the cache, and jqtest fails without the fix.
  const InstanceOutcome no_fix = Grade(instance, std::string(kNoFixPatch), "no-fix");
  ASSERT_EQ(no_fix.status, InstanceStatus::kUnresolved) << no_fix.error;
  EXPECT_TRUE(no_fix.build_cached);
  EXPECT_EQ(no_fix.report->tests_status->fail_to_pass.failure, instance.fail_to_pass);
  EXPECT_NE(no_fix.report->test_exit_code, 0);
  EXPECT_LT(no_fix.prepare_time, gold.prepare_time);
}

TEST_F(HarnessEndToEndTest, SympyGoldResolvesAndANoFixPatchDoesNot) {
  const TaskInstance instance = Find("lite_test.jsonl", "sympy__sympy-20590");
  const InstanceOutcome gold = Grade(instance, instance.patch, "gold");
  ASSERT_EQ(gold.status, InstanceStatus::kResolved) << gold.error;
  // git inside the sandbox reads the borrowed object store: the script's git commands all work.
  base::Result<std::string> output =
      base::ReadFileToString(LogFile("gold", instance, "test_output.txt"));
  ASSERT_TRUE(output.ok());
  EXPECT_EQ(output->find("\nfatal: "), std::string::npos) << *output;
  const InstanceOutcome no_fix = Grade(instance, std::string(kNoFixPatch), "no-fix");
  ASSERT_EQ(no_fix.status, InstanceStatus::kUnresolved) << no_fix.error;
  EXPECT_EQ(no_fix.report->tests_status->fail_to_pass.failure, instance.fail_to_pass);
  EXPECT_TRUE(no_fix.report->tests_status->pass_to_pass.failure.empty());
}

TEST_F(HarnessEndToEndTest, EmptyPredictionIsNeverRun) {
  const TaskInstance instance = Find("lite_test.jsonl", "sympy__sympy-20590");
  const InstanceOutcome empty = Grade(instance, std::nullopt, "empty");
  EXPECT_EQ(empty.status, InstanceStatus::kEmptyPatch);
  EXPECT_FALSE(fs::exists(LogFile("empty", instance, "report.json")));
}

TEST_F(HarnessEndToEndTest, PatchThatDoesNotApplyIsAnError) {
  const TaskInstance instance = Find("lite_test.jsonl", "sympy__sympy-20590");
  const std::string bad =
      "diff --git a/sympy/__init__.py b/sympy/__init__.py\n--- a/sympy/__init__.py\n"
      "+++ b/sympy/__init__.py\n@@ -1,3 +1,3 @@\n-this line is not in the file\n+nor this\n"
      " context that does not exist\n";
  const InstanceOutcome outcome = Grade(instance, bad, "bad");
  EXPECT_EQ(outcome.status, InstanceStatus::kError);
  EXPECT_NE(outcome.error.find("does not apply"), std::string::npos) << outcome.error;
  EXPECT_FALSE(fs::exists(LogFile("bad", instance, "report.json")));
  base::Result<std::string> log =
      base::ReadFileToString(LogFile("bad", instance, "run_instance.log"));
  ASSERT_TRUE(log.ok());
  EXPECT_NE(log->find(">>>>> Patch Apply Failed"), std::string::npos);
  EXPECT_NE(log->find("patch --batch --forward --fuzz=5"), std::string::npos);
}

TEST_F(HarnessEndToEndTest, TestsThatRunPastTheTimeoutAreAnError) {
  TaskInstance instance = Find("lite_test.jsonl", "sympy__sympy-20590");
  InstanceGrader grader(*environment_, *root_ / "logs" / "slow", std::chrono::seconds(1));
  // The eval script itself stands in for a hanging test suite.
  instance.eval_script =
      "#!/bin/bash\ncd /testbed\n: '>>>>> Start Test Output'\nsleep 30\n"
      ": '>>>>> End Test Output'\n";
  const InstanceOutcome outcome =
      grader.Grade(instance, {instance.instance_id, "slow", std::string(kNoFixPatch)});
  EXPECT_EQ(outcome.status, InstanceStatus::kError);
  EXPECT_NE(outcome.error.find("timeout"), std::string::npos) << outcome.error;
  EXPECT_LT(outcome.total_time, std::chrono::seconds(20));
}

}  // namespace
}  // namespace fathom::evals
