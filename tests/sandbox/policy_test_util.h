// A scratch directory for policy tests: a fake home with credential directories and a workspace
// with a .git directory, removed when the fixture ends. Single-threaded test use only.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace fathom::sandbox {

class SandboxPolicyFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    directory_ = std::filesystem::temp_directory_path() /
                 ("fathom_policy_test_" + std::to_string(getpid()) + "_" + test->name());
    std::filesystem::remove_all(directory_);
    home_ = directory_ / "home";
    workspace_ = directory_ / "workspace";
    for (const char* path :
         {"home/.ssh", "home/.aws", "home/.config/gh", "workspace/.git/hooks", "outside"}) {
      std::filesystem::create_directories(directory_ / path);
    }
    WriteFile(home_ / ".ssh/id_ed25519", "secret");
    WriteFile(workspace_ / ".git/config", "[core]\n");
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  static void WriteFile(const std::filesystem::path& path, const std::string& content) {
    std::ofstream(path) << content;
  }

  std::filesystem::path directory_;
  std::filesystem::path home_;
  std::filesystem::path workspace_;
};

}  // namespace fathom::sandbox
