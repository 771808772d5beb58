// Eval scripts from the real SWE-bench exports (Multilingual jq/fmt/json/redis, Lite sympy): the
// official script adapted to a checkout path, the setup split off, the exit code recorded; and the
// recipes' generated scripts compared with the official ones where the row names the same test.
#include "evals/eval_script.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "evals/patch_files.h"

namespace fathom::evals {
namespace {

namespace fs = std::filesystem;

const fs::path kDatasets = fs::path(FATHOM_SHARED_DIR) / "datasets/swebench";

std::vector<TaskInstance> Load(const char* file) {
  base::Result<std::vector<TaskInstance>> instances = LoadTaskInstances(kDatasets / file);
  EXPECT_TRUE(instances.ok()) << instances.error();
  return instances.ok() ? *std::move(instances) : std::vector<TaskInstance>();
}

std::vector<TaskInstance> OfRepo(const std::vector<TaskInstance>& all, std::string_view repo) {
  std::vector<TaskInstance> selected;
  for (const TaskInstance& instance : all) {
    if (instance.repo == repo) selected.push_back(instance);
  }
  return selected;
}

// The lines strictly between the start and end markers.
std::string TestSection(const std::string& script) {
  const size_t start = script.find(kStartTestOutput);
  const size_t end = script.find(kEndTestOutput);
  if (start == std::string::npos || end == std::string::npos) return "";
  const size_t from = script.find('\n', start) + 1;
  const size_t to = script.rfind('\n', end);
  return script.substr(from, to - from);
}

TEST(EvalScriptTest, AdaptsTheOfficialJqScripts) {
  const std::vector<TaskInstance> jq = OfRepo(Load("multilingual_test.jsonl"), "jqlang/jq");
  ASSERT_EQ(jq.size(), 9u);
  for (const TaskInstance& instance : jq) {
    SCOPED_TRACE(instance.instance_id);
    base::Result<EvalScripts> scripts =
        MakeEvalScripts(instance, *FindRecipe("jqlang/jq"), "/work/a b/testbed");
    ASSERT_TRUE(scripts.ok()) << scripts.error();
    // Setup: the build at the base commit, without the test patch or the tests.
    EXPECT_NE(scripts->setup.find("\nautoreconf -fi\n"), std::string::npos);
    EXPECT_NE(scripts->setup.find("\n./configure --with-oniguruma=builtin\n"), std::string::npos);
    EXPECT_NE(scripts->setup.find("\nmake -j$(nproc)\n"), std::string::npos);
    EXPECT_NE(scripts->setup.find("cd '/work/a b/testbed'\n"), std::string::npos);
    EXPECT_EQ(scripts->setup.find("git apply"), std::string::npos);
    EXPECT_EQ(scripts->setup.find("make check"), std::string::npos);
    // Graded run: test patch verbatim, incremental build, no reconfigure, exit code recorded.
    EXPECT_NE(scripts->eval.find(instance.test_patch), std::string::npos);
    EXPECT_EQ(scripts->eval.find("\nautoreconf -fi\n"), std::string::npos);
    EXPECT_EQ(scripts->eval.find("\nmake clean\n"), std::string::npos);
    EXPECT_EQ(scripts->eval.find("/testbed\n"), std::string::npos);
    EXPECT_NE(scripts->eval.find("\nmake -j$(nproc)\n"), std::string::npos);
    EXPECT_EQ(TestSection(scripts->eval), "make check\nSWEBENCH_TEST_EXIT_CODE=$?");
    EXPECT_NE(scripts->eval.find("echo \">>>>> Test Exit Code: $SWEBENCH_TEST_EXIT_CODE\""),
              std::string::npos);
    EXPECT_EQ(scripts->eval.find("safe.directory"), std::string::npos);
    EXPECT_EQ(scripts->skipped_lines.size(), 6u);  // safe.directory + 5 setup-only lines
  }
}

TEST(EvalScriptTest, DropsCondaAndPipFromSympyScripts) {
  const std::vector<TaskInstance> sympy = OfRepo(Load("lite_test.jsonl"), "sympy/sympy");
  ASSERT_EQ(sympy.size(), 77u);
  for (const TaskInstance& instance : sympy) {
    SCOPED_TRACE(instance.instance_id);
    base::Result<EvalScripts> scripts =
        MakeEvalScripts(instance, *FindRecipe("sympy/sympy"), "/w/testbed");
    ASSERT_TRUE(scripts.ok()) << scripts.error();
    EXPECT_EQ(scripts->setup, "");  // nothing to build
    EXPECT_EQ(scripts->eval.find("conda"), std::string::npos);
    EXPECT_EQ(scripts->eval.find("pip install"), std::string::npos);
    EXPECT_NE(scripts->eval.find("git apply -v - <<'EOF_"), std::string::npos);
    EXPECT_NE(TestSection(scripts->eval).find("bin/test -C --verbose"), std::string::npos);
  }
}

TEST(EvalScriptTest, GeneratedScriptsRunTheOfficialTestCommands) {
  // Rows whose official test command the recipe can derive from the test patch alone.
  std::vector<TaskInstance> rows = Load("multilingual_test.jsonl");
  const std::vector<TaskInstance> lite = Load("lite_test.jsonl");
  rows.insert(rows.end(), lite.begin(), lite.end());
  int compared = 0;
  for (const TaskInstance& instance : rows) {
    const Recipe* recipe = FindRecipe(instance.repo);
    if (recipe == nullptr || instance.repo == "redis/redis" ||
        instance.repo == "micropython/micropython") {
      continue;  // their official rows add hand-written filters (--only, -i prefixes)
    }
    SCOPED_TRACE(instance.instance_id);
    base::Result<std::string> generated = GenerateEvalScript(instance, *recipe);
    ASSERT_TRUE(generated.ok()) << generated.error();
    EXPECT_EQ(TestSection(*generated), TestSection(*instance.eval_script));
    ++compared;
  }
  EXPECT_EQ(compared, 9 + 11 + 1 + 77);  // jq, fmt, nlohmann/json, sympy
}

TEST(EvalScriptTest, GeneratedRedisScriptRunsTheOfficialUnit) {
  for (const TaskInstance& instance : OfRepo(Load("multilingual_test.jsonl"), "redis/redis")) {
    SCOPED_TRACE(instance.instance_id);
    base::Result<std::string> generated = GenerateEvalScript(instance, *FindRecipe("redis/redis"));
    ASSERT_TRUE(generated.ok()) << generated.error();
    // The official command is the generated one plus an optional --only filter.
    EXPECT_TRUE(TestSection(*instance.eval_script).starts_with(TestSection(*generated)));
  }
}

TEST(EvalScriptTest, GeneratedScriptsAreAdaptedLikeOfficialOnes) {
  TaskInstance instance = OfRepo(Load("multilingual_test.jsonl"), "fmtlib/fmt").front();
  const std::string official = *instance.eval_script;
  instance.eval_script.reset();
  base::Result<EvalScripts> generated =
      MakeEvalScripts(instance, *FindRecipe("fmtlib/fmt"), "/w/testbed");
  instance.eval_script = official;
  base::Result<EvalScripts> adapted =
      MakeEvalScripts(instance, *FindRecipe("fmtlib/fmt"), "/w/testbed");
  ASSERT_TRUE(generated.ok()) << generated.error();
  ASSERT_TRUE(adapted.ok()) << adapted.error();
  EXPECT_EQ(generated->setup, adapted->setup);
  EXPECT_EQ(TestSection(generated->eval), TestSection(adapted->eval));
}

TEST(EvalScriptTest, KeepsAnExistingExitCodeRecording) {
  TaskInstance instance;
  instance.instance_id = "x__y-1";
  instance.eval_script =
      "#!/bin/bash\ncd /testbed\n: '>>>>> Start Test Output'\nmake check\n"
      "SWEBENCH_TEST_EXIT_CODE=$?\n: '>>>>> End Test Output'\n"
      "echo \">>>>> Test Exit Code: $SWEBENCH_TEST_EXIT_CODE\"\n";
  base::Result<EvalScripts> scripts = MakeEvalScripts(instance, *FindRecipe("jqlang/jq"), "/t");
  ASSERT_TRUE(scripts.ok()) << scripts.error();
  size_t recordings = 0;
  for (size_t at = scripts->eval.find("SWEBENCH_TEST_EXIT_CODE=$?"); at != std::string::npos;
       at = scripts->eval.find("SWEBENCH_TEST_EXIT_CODE=$?", at + 1)) {
    ++recordings;
  }
  EXPECT_EQ(recordings, 1u);
}

TEST(EvalScriptTest, RejectsBrokenScripts) {
  TaskInstance instance;
  instance.instance_id = "x__y-1";
  instance.eval_script = "#!/bin/bash\nmake check\n";
  base::Result<EvalScripts> no_markers = MakeEvalScripts(instance, *FindRecipe("jqlang/jq"), "/t");
  ASSERT_FALSE(no_markers.ok());
  EXPECT_NE(no_markers.error().message().find("markers"), std::string::npos);

  instance.eval_script = "git apply - <<'EOF_1'\ndiff\n: '>>>>> Start Test Output'\n";
  base::Result<EvalScripts> open_heredoc =
      MakeEvalScripts(instance, *FindRecipe("jqlang/jq"), "/t");
  ASSERT_FALSE(open_heredoc.ok());
  EXPECT_NE(open_heredoc.error().message().find("EOF_1"), std::string::npos);
}

TEST(PatchFilesTest, ReadsTheDiffHeadersLikeTheOfficialHarness) {
  const std::string diff =
      "diff --git a/tests/test_a.py b/tests/test_a.py\n--- a/tests/test_a.py\n+++ "
      "b/tests/test_a.py\n"
      "diff --git a/tests/data.json b/tests/data.json\n--- a/tests/data.json\n+++ "
      "b/tests/data.json\n"
      "diff --git a/tests/test_new.py b/tests/test_new.py\nnew file mode 100644\n--- /dev/null\n"
      "+++ b/tests/test_new.py\n";
  EXPECT_EQ(ModifiedFiles(diff), (std::vector<std::string>{"tests/test_a.py", "tests/data.json"}));
  EXPECT_EQ(TestDirectives(diff),
            (std::vector<std::string>{"tests/test_a.py", "tests/test_new.py"}));
}

}  // namespace
}  // namespace fathom::evals
