// The model-patch ladder on small git repositories, in the sandbox: each rung is reached in the
// official order (SWE-bench v5 run_evaluation.py GIT_APPLY_CMDS), tries after the first start from
// the committed tree, and a patch that applies nowhere leaves the verdict "not applied".
#include "evals/model_patch.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "base/file.h"
#include "base/run_program.h"

namespace fathom::evals {
namespace {

namespace fs = std::filesystem;

// generated.c as committed, and a patch written against it that changes its last line.
constexpr std::string_view kCommitted = "int one;\nint two;\nint three;\n";
constexpr std::string_view kPatched = "int one;\nint two;\nint four;\n";
constexpr std::string_view kPatch =
    "diff --git a/generated.c b/generated.c\n"
    "--- a/generated.c\n+++ b/generated.c\n"
    "@@ -1,3 +1,3 @@\n int one;\n int two;\n-int three;\n+int four;\n";

class ModelPatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    workdir_.root = fs::temp_directory_path() /
                    ("fathom-model-patch-" + std::to_string(getpid()) + "-" +
                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(workdir_.root);
    ASSERT_TRUE(PrepareWorkdir(workdir_, recipe_).ok());
    fs::create_directories(workdir_.testbed());
    Git({"init", "-q"});
    WriteGenerated(kCommitted);
    Git({"add", "generated.c"});
    Git({"-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "base"});
  }
  void TearDown() override { fs::remove_all(workdir_.root); }

  void Git(std::vector<std::string> arguments) {
    arguments.insert(arguments.begin(), {"git", "-C", workdir_.testbed().string()});
    base::Status status = base::RunProgram(arguments);
    ASSERT_TRUE(status.ok()) << status.error();
  }

  PatchApplyResult Apply(std::string_view patch) {
    base::Result<PatchApplyResult> result =
        ApplyModelPatch(workdir_, recipe_, SandboxSettings{}, patch, std::chrono::seconds(60));
    EXPECT_TRUE(result.ok()) << result.error();
    return result.ok() ? *std::move(result) : PatchApplyResult{};
  }

  std::string Generated() {
    base::Result<std::string> text = base::ReadFileToString(workdir_.testbed() / "generated.c");
    return text.ok() ? *text : "";
  }

  void WriteGenerated(std::string_view text) {
    ASSERT_TRUE(base::WriteFileAtomically(workdir_.testbed() / "generated.c", text).ok());
  }

  // kPatch applies through `method` and leaves the patched file.
  void ExpectAppliedBy(std::string_view method) {
    const PatchApplyResult result = Apply(kPatch);
    EXPECT_TRUE(result.applied) << result.log;
    EXPECT_EQ(result.method, method);
    EXPECT_EQ(Generated(), kPatched);
  }

  Recipe recipe_;
  InstanceWorkdir workdir_;
};

TEST_F(ModelPatchTest, APatchAgainstTheCommitTakesTheFirstRung) {
  ExpectAppliedBy("git apply --verbose");
}

// The build regenerated the file (a lexer or parser from flex or bison) differently from the
// committed copy: the first try fails on it, the second starts from the committed file.
TEST_F(ModelPatchTest, TriesAfterTheFirstStartFromTheCommittedTree) {
  WriteGenerated("int ONE;\nint TWO;\nint THREE;\n");
  ExpectAppliedBy("git apply --verbose --3way");
}

TEST_F(ModelPatchTest, AnAlreadyAppliedPatchIsAccepted) {
  WriteGenerated(kPatched);
  Git({"-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-a", "-m", "fixed"});
  ExpectAppliedBy("git apply --check --reverse");
}

TEST_F(ModelPatchTest, APatchForAnotherFileIsNotApplied) {
  const std::string patch =
      "diff --git a/missing.c b/missing.c\n--- a/missing.c\n+++ b/missing.c\n"
      "@@ -1,1 +1,1 @@\n-old\n+new\n";
  const PatchApplyResult result = Apply(patch);
  EXPECT_FALSE(result.applied);
  EXPECT_TRUE(result.method.empty());
  EXPECT_NE(result.log.find("patch --batch --forward --fuzz=5 -p1 -i"), std::string::npos);
  EXPECT_EQ(Generated(), kCommitted);
}

}  // namespace
}  // namespace fathom::evals
