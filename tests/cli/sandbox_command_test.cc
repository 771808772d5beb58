// `fathom sandbox`: exit codes (the command's, 124 on timeout, 125 when nothing ran, 127 for a
// missing program), --json, the loud --sandbox=off warning, policy-file errors and the warning for
// protected paths the command created. Runs the built binary on a scratch workspace.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "base/json.h"
#include "tests/cli/run_fathom.h"

namespace fathom::cli {
namespace {

namespace fs = std::filesystem;

class SandboxCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char path[] = "/tmp/fathom-cli-sandbox-XXXXXX";
    ASSERT_NE(mkdtemp(path), nullptr);
    workspace_ = path;
  }
  void TearDown() override { fs::remove_all(workspace_); }

  CommandOutput Sandbox(const std::string& arguments, const std::string& redirect = "2>&1") {
    CommandOutput output =
        RunFathom("sandbox --workspace '" + workspace_.string() + "' " + arguments, redirect);
    if (output.output.find("the sandbox cannot start") != std::string::npos) skip_ = true;
    return output;
  }

  fs::path workspace_;
  bool skip_ = false;
};

TEST_F(SandboxCommandTest, ExitsWithTheCommandsExitCode) {
  const CommandOutput output = Sandbox("-- sh -c 'echo inside; exit 5'");
  if (skip_) GTEST_SKIP() << output.output;
  EXPECT_EQ(output.exit_code, 5) << output.output;
  EXPECT_EQ(output.output, "inside\n");
}

TEST_F(SandboxCommandTest, JsonReportsTheResult) {
  const CommandOutput output = Sandbox("--json -- sh -c 'echo hi; echo err >&2; exit 3'", "");
  if (skip_) GTEST_SKIP() << output.output;
  EXPECT_EQ(output.exit_code, 3);
  const base::Json json = base::Json::parse(output.output);
  EXPECT_EQ(json["exit_code"], 3);
  EXPECT_EQ(json["stdout"], "hi\n");
  EXPECT_EQ(json["stderr"], "err\n");
  EXPECT_EQ(json["sandboxed"], true);
  EXPECT_EQ(json["timed_out"], false);
}

TEST_F(SandboxCommandTest, TimeoutExits124AndSaysWhy) {
  const CommandOutput output = Sandbox("--timeout 0.3 -- sleep 30");
  if (skip_) GTEST_SKIP() << output.output;
  EXPECT_EQ(output.exit_code, 124);
  EXPECT_NE(output.output.find("wall-time limit"), std::string::npos) << output.output;
}

TEST_F(SandboxCommandTest, MissingProgramExits127) {
  const CommandOutput output = Sandbox("-- no-such-program-fathom");
  if (skip_) GTEST_SKIP() << output.output;
  EXPECT_EQ(output.exit_code, 127);
  EXPECT_NE(output.output.find("no-such-program-fathom"), std::string::npos) << output.output;
}

TEST_F(SandboxCommandTest, SandboxOffWarnsLoudly) {
  const CommandOutput output = Sandbox("--sandbox off -- true");
  EXPECT_EQ(output.exit_code, 0);
  EXPECT_NE(output.output.find("WARNING: --sandbox=off"), std::string::npos) << output.output;
}

TEST_F(SandboxCommandTest, BadPolicyFileIsRefusedNamingTheKey) {
  const fs::path policy = workspace_ / "policy.json";
  std::ofstream(policy) << R"({"network": "off", "no_such_key": 1})";
  const CommandOutput output = Sandbox("--policy '" + policy.string() + "' -- true");
  EXPECT_EQ(output.exit_code, 125);
  EXPECT_NE(output.output.find("no_such_key"), std::string::npos) << output.output;
}

TEST_F(SandboxCommandTest, WarnsAboutProtectedPathsTheCommandCreated) {
  const CommandOutput output =
      Sandbox("-- sh -c 'mkdir -p .vscode && echo {} > .vscode/tasks.json'");
  if (skip_) GTEST_SKIP() << output.output;
  EXPECT_EQ(output.exit_code, 0) << output.output;
  EXPECT_NE(output.output.find("WARNING: the command created the protected path"),
            std::string::npos)
      << output.output;
  EXPECT_NE(output.output.find(".vscode"), std::string::npos);
}

}  // namespace
}  // namespace fathom::cli
