// SandboxRunFixture: a scratch host tree for end-to-end sandbox tests — a fake home with
// credential files, a workspace with a .git directory, and a directory outside both — plus helpers
// that run a shell script in the sandbox and check the host afterwards. Tests skip when this
// machine cannot create the sandbox's namespaces or cgroup. Single-threaded test use only.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "sandbox/sandbox.h"

namespace fathom::sandbox {

class SandboxRunFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = std::filesystem::temp_directory_path() /
            ("fathom_sandbox_test_" + std::to_string(getpid()) + "_" + test->name());
    std::filesystem::remove_all(root_);
    home_ = root_ / "home";
    workspace_ = root_ / "workspace";
    outside_ = root_ / "outside";
    for (const std::filesystem::path& directory :
         {home_ / ".ssh", home_ / ".aws", home_ / ".config/gh", workspace_ / ".git/hooks",
          outside_}) {
      std::filesystem::create_directories(directory);
    }
    WriteFile(home_ / ".ssh/id_ed25519", "PRIVATE KEY\n");
    WriteFile(home_ / ".aws/credentials", "[default]\naws_secret_access_key=SECRET\n");
    WriteFile(home_ / ".config/gh/hosts.yml", "oauth_token: SECRET\n");
    WriteFile(home_ / ".bashrc", "# bashrc\n");
    WriteFile(workspace_ / ".git/config", "[core]\n\trepositoryformatversion = 0\n");
    WriteFile(workspace_ / "main.c", "int main(void) { return 0; }\n");
    policy_ = DefaultPolicy(workspace_, home_);
  }

  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(root_, ignored);
  }

  // Runs `script` with /bin/sh -c in the sandbox under `policy_` (working directory: the
  // workspace). Skips the test when the sandbox cannot start on this machine; fails it on any
  // other error.
  CommandResult RunShell(const std::string& script, Isolation isolation = Isolation::kSandboxed) {
    return Run({"/bin/sh", "-c", script}, isolation);
  }

  CommandResult Run(std::vector<std::string> argv, Isolation isolation = Isolation::kSandboxed) {
    base::Result<Sandbox> sandbox = Sandbox::Create(policy_, home_, isolation);
    if (!sandbox.ok()) {
      ADD_FAILURE() << sandbox.error();
      return {};
    }
    CommandRequest request;
    request.argv = std::move(argv);
    request.working_directory = workspace_;
    base::Result<CommandResult> result = sandbox->Run(request);
    if (!result.ok()) {
      const std::string message = ::testing::PrintToString(result.error());
      if (message.find("the sandbox cannot start") != std::string::npos ||
          message.find("cgroup") != std::string::npos) {
        skipped_ = true;
        return {};
      }
      ADD_FAILURE() << message;
      return {};
    }
    return *std::move(result);
  }

  static void WriteFile(const std::filesystem::path& path, const std::string& content) {
    std::ofstream(path) << content;
  }

  static std::string ReadFile(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream content;
    content << in.rdbuf();
    return content.str();
  }

  // True when RunShell/Run found that this machine cannot run the sandbox; callers
  // GTEST_SKIP() then.
  bool skipped_ = false;
  std::filesystem::path root_;
  std::filesystem::path home_;
  std::filesystem::path workspace_;
  std::filesystem::path outside_;
  SandboxPolicy policy_;
};

// Runs the script and skips the test when the sandbox cannot start here.
#define FATHOM_RUN_OR_SKIP(result, call) \
  CommandResult result = (call);         \
  if (skipped_) GTEST_SKIP() << "this machine cannot start the sandbox"
}  // namespace fathom::sandbox
