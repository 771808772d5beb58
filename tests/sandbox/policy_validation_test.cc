// DefaultPolicy and ResolvePolicy: the defaults resolve, and every doubtful policy (bad roots,
// symlinked protected paths, secrets inside roots, zero limits, credential variables) is refused
// with a message naming the entry.
#include "sandbox/policy_validation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "tests/sandbox/policy_test_util.h"

namespace fathom::sandbox {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class SandboxPolicyValidationTest : public SandboxPolicyFixture {
 protected:
  SandboxPolicy Default() const { return DefaultPolicy(workspace_, home_); }

  // The message of ResolvePolicy's error; fails the test when the policy is accepted.
  std::string ErrorOf(const SandboxPolicy& policy) const {
    base::Result<ResolvedPolicy> resolved = ResolvePolicy(policy, home_);
    if (resolved.ok()) {
      ADD_FAILURE() << "the policy was accepted";
      return "";
    }
    EXPECT_EQ(resolved.error().code(), base::ErrorCode::kInvalidArgument);
    return resolved.error().message();
  }

  const ProtectedPath* FindProtected(const ResolvedPolicy& resolved, const fs::path& path) const {
    for (const ProtectedPath& entry : resolved.protected_paths) {
      if (entry.path == path) return &entry;
    }
    return nullptr;
  }
};

TEST_F(SandboxPolicyValidationTest, DefaultsAreSafe) {
  const SandboxPolicy policy = Default();
  EXPECT_EQ(policy.writable_roots, std::vector<fs::path>{workspace_});
  EXPECT_EQ(policy.network, NetworkAccess::kOff);
  for (const char* name : {".git/hooks", ".git/config", ".fathom"}) {
    EXPECT_NE(std::find(policy.protected_subpaths.begin(), policy.protected_subpaths.end(),
                        fs::path(name)),
              policy.protected_subpaths.end())
        << name;
  }
  for (const char* secret : {".ssh", ".aws", ".config", ".gnupg", ".netrc", ".docker"}) {
    EXPECT_NE(std::find(policy.hidden_paths.begin(), policy.hidden_paths.end(), home_ / secret),
              policy.hidden_paths.end())
        << secret;
  }
  EXPECT_EQ(policy.limits, SandboxLimits{});
}

TEST_F(SandboxPolicyValidationTest, DefaultsResolve) {
  base::Result<ResolvedPolicy> resolved = ResolvePolicy(Default(), home_);
  ASSERT_TRUE(resolved.ok()) << resolved.error();
  const fs::path workspace = fs::canonical(workspace_);
  EXPECT_EQ(resolved->policy.writable_roots, std::vector<fs::path>{workspace});

  const ProtectedPath* hooks = FindProtected(*resolved, workspace / ".git/hooks");
  ASSERT_NE(hooks, nullptr);
  EXPECT_TRUE(hooks->exists);
  const ProtectedPath* state = FindProtected(*resolved, workspace / ".fathom");
  ASSERT_NE(state, nullptr);
  EXPECT_FALSE(state->exists);
  EXPECT_EQ(state->first_missing, workspace / ".fathom");

  // Only the secrets that exist are listed.
  const fs::path home = fs::canonical(home_);
  EXPECT_EQ(resolved->hidden_paths,
            (std::vector<HiddenPath>{
                {home / ".ssh", true}, {home / ".aws", true}, {home / ".config", true}}));
}

TEST_F(SandboxPolicyValidationTest, HiddenFilesAreNotDirectories) {
  WriteFile(home_ / ".netrc", "machine example.com password x\n");
  base::Result<ResolvedPolicy> resolved = ResolvePolicy(Default(), home_);
  ASSERT_TRUE(resolved.ok()) << resolved.error();
  const HiddenPath netrc{fs::canonical(home_ / ".netrc"), false};
  EXPECT_NE(std::find(resolved->hidden_paths.begin(), resolved->hidden_paths.end(), netrc),
            resolved->hidden_paths.end());
}

TEST_F(SandboxPolicyValidationTest, RejectsBadWritableRoots) {
  struct Case {
    fs::path root;
    std::string message;
  };
  WriteFile(directory_ / "file", "x");
  const Case cases[] = {
      {"workspace", "is not an absolute path"},
      {directory_ / "missing", "No such file or directory"},
      {directory_ / "file", "is not a directory"},
      {"/", "is the root directory"},
      {"/etc", "system tree \"/etc\""},
      {"/usr/share", "system tree \"/usr\""},
      {"/proc/self", "system tree \"/proc\""},
      {"/tmp", "system directory \"/tmp\""},
      {home_, "is the home directory"},
      {directory_, "contains the home directory"},
      {home_ / ".config/gh", "is inside the hidden path"},
  };
  for (const Case& test : cases) {
    SandboxPolicy policy = Default();
    policy.writable_roots = {test.root};
    EXPECT_THAT(ErrorOf(policy), HasSubstr(test.message)) << test.root;
  }
}

TEST_F(SandboxPolicyValidationTest, RejectsARootThatHoldsASecret) {
  SandboxPolicy policy = Default();
  fs::create_directories(workspace_ / "keys");
  policy.hidden_paths.push_back(workspace_ / "keys");
  EXPECT_THAT(ErrorOf(policy), HasSubstr("contains the hidden path"));
}

TEST_F(SandboxPolicyValidationTest, RejectsASecretSymlinkedIntoTheRoot) {
  fs::create_directories(workspace_ / "gnupg");
  fs::create_directory_symlink(workspace_ / "gnupg", home_ / ".gnupg");
  EXPECT_THAT(ErrorOf(Default()), HasSubstr("contains the hidden path"));
}

TEST_F(SandboxPolicyValidationTest, WritableRootThroughASymlinkIsItsRealPath) {
  fs::create_directory_symlink(workspace_, directory_ / "link");
  SandboxPolicy policy = Default();
  policy.writable_roots = {directory_ / "link"};
  base::Result<ResolvedPolicy> resolved = ResolvePolicy(policy, home_);
  ASSERT_TRUE(resolved.ok()) << resolved.error();
  EXPECT_EQ(resolved->policy.writable_roots, std::vector<fs::path>{fs::canonical(workspace_)});
  EXPECT_NE(FindProtected(*resolved, fs::canonical(workspace_) / ".git/config"), nullptr);
}

TEST_F(SandboxPolicyValidationTest, RejectsDuplicateAndNestedRoots) {
  fs::create_directory_symlink(workspace_, directory_ / "link");
  fs::create_directories(workspace_ / "sub");
  SandboxPolicy policy = Default();
  policy.writable_roots = {workspace_, workspace_ / "."};
  EXPECT_THAT(ErrorOf(policy), HasSubstr("is listed twice"));
  policy.writable_roots = {workspace_, directory_ / "link"};
  EXPECT_THAT(ErrorOf(policy), HasSubstr("is listed twice"));
  policy.writable_roots = {workspace_ / "sub", workspace_};
  EXPECT_THAT(ErrorOf(policy), HasSubstr("overlap"));
}

TEST_F(SandboxPolicyValidationTest, RejectsAProtectedPathSymlinkedOutsideTheRoot) {
  fs::remove_all(workspace_ / ".git/hooks");
  fs::create_directory_symlink(directory_ / "outside", workspace_ / ".git/hooks");
  EXPECT_THAT(ErrorOf(Default()), HasSubstr("outside the writable root"));
}

TEST_F(SandboxPolicyValidationTest, RejectsAProtectedPathBehindASymlinkedParent) {
  fs::create_directories(directory_ / "outside/.git/hooks");
  fs::remove_all(workspace_ / ".git");
  fs::create_directory_symlink(directory_ / "outside/.git", workspace_ / ".git");
  const std::string message = ErrorOf(Default());
  EXPECT_THAT(message,
              HasSubstr("its component \"" + (fs::canonical(workspace_) / ".git").string() +
                        "\" is a symlink"));
  EXPECT_THAT(message, HasSubstr("outside the writable root"));
}

TEST_F(SandboxPolicyValidationTest, RejectsAProtectedPathSymlinkedInsideTheRoot) {
  fs::create_directories(workspace_ / "decoy");
  fs::create_directory_symlink(workspace_ / "decoy", workspace_ / ".fathom");
  const std::string message = ErrorOf(Default());
  EXPECT_THAT(message, HasSubstr("is a symlink"));
  EXPECT_THAT(message, ::testing::Not(HasSubstr("outside")));
}

TEST_F(SandboxPolicyValidationTest, RejectsADanglingProtectedSymlink) {
  fs::create_symlink(directory_ / "nowhere", workspace_ / ".mcp.json");
  EXPECT_THAT(ErrorOf(Default()), HasSubstr("is a symlink"));
}

TEST_F(SandboxPolicyValidationTest, GitFileEndsTheProtectedWalk) {
  fs::remove_all(workspace_ / ".git");
  WriteFile(workspace_ / ".git", "gitdir: /elsewhere/.git/worktrees/x\n");
  base::Result<ResolvedPolicy> resolved = ResolvePolicy(Default(), home_);
  ASSERT_TRUE(resolved.ok()) << resolved.error();
  const fs::path workspace = fs::canonical(workspace_);
  const ProtectedPath* hooks = FindProtected(*resolved, workspace / ".git/hooks");
  ASSERT_NE(hooks, nullptr);
  EXPECT_FALSE(hooks->exists);
  EXPECT_EQ(hooks->first_missing, workspace / ".git");
}

TEST_F(SandboxPolicyValidationTest, RejectsBadProtectedSubpaths) {
  struct Case {
    std::vector<fs::path> subpaths;
    std::string message;
  };
  const Case cases[] = {
      {{"/etc/passwd"}, "is not relative"},
      {{"../escape"}, "\"..\" component"},
      {{"a/./b"}, "\"..\" component"},
      {{""}, "is empty"},
      {{".git/hooks", ".git/hooks/"}, "is listed twice"},
  };
  for (const Case& test : cases) {
    SandboxPolicy policy = Default();
    policy.protected_subpaths = test.subpaths;
    EXPECT_THAT(ErrorOf(policy), HasSubstr(test.message)) << test.subpaths.front();
  }
}

TEST_F(SandboxPolicyValidationTest, ResolvesReadOnlyRootsAndRejectsOverlaps) {
  SandboxPolicy policy = Default();
  const fs::path store = workspace_.parent_path() / "store";
  fs::create_directories(store);
  policy.read_only_roots = {store / "."};
  base::Result<ResolvedPolicy> resolved = ResolvePolicy(policy, home_);
  ASSERT_TRUE(resolved.ok()) << resolved.error();
  EXPECT_EQ(resolved->policy.read_only_roots, std::vector<fs::path>{fs::canonical(store)});
  policy.read_only_roots = {"relative"};
  EXPECT_THAT(ErrorOf(policy), HasSubstr("is not an absolute path"));
  policy.read_only_roots = {store / "missing"};
  EXPECT_THAT(ErrorOf(policy), HasSubstr("read-only root"));
  policy.read_only_roots = {workspace_ / ".git"};
  EXPECT_THAT(ErrorOf(policy), HasSubstr("overlap"));
  policy.read_only_roots = {workspace_};
  EXPECT_THAT(ErrorOf(policy), HasSubstr("is writable"));
  policy.read_only_roots = {home_};
  EXPECT_THAT(ErrorOf(policy), HasSubstr("hidden path"));
}

TEST_F(SandboxPolicyValidationTest, RejectsBadHiddenPaths) {
  SandboxPolicy policy = Default();
  policy.hidden_paths = {".ssh"};
  EXPECT_THAT(ErrorOf(policy), HasSubstr("is not absolute"));
  policy.hidden_paths = {"/"};
  EXPECT_THAT(ErrorOf(policy), HasSubstr("is the root directory"));
  policy.hidden_paths = {home_ / ".ssh", home_ / ".ssh/"};
  EXPECT_THAT(ErrorOf(policy), HasSubstr("are the same path"));
}

TEST_F(SandboxPolicyValidationTest, RejectsARelativeHome) {
  base::Result<ResolvedPolicy> resolved = ResolvePolicy(Default(), "home");
  ASSERT_FALSE(resolved.ok());
  EXPECT_THAT(resolved.error().message(), HasSubstr("home directory \"home\" is not absolute"));
}

TEST_F(SandboxPolicyValidationTest, RejectsZeroAndAbsurdLimits) {
  for (const LimitField& field : LimitFields()) {
    SandboxPolicy policy = Default();
    policy.limits.*field.member = 0;
    EXPECT_THAT(ErrorOf(policy), HasSubstr("limits." + std::string(field.name) + " is 0"));
    policy.limits.*field.member = field.max + 1;
    EXPECT_THAT(ErrorOf(policy), HasSubstr("limits." + std::string(field.name)));
  }
  SandboxPolicy policy = Default();
  policy.limits.memory_bytes = 4096;
  EXPECT_THAT(ErrorOf(policy), HasSubstr("must be between 16777216 and"));
}

TEST_F(SandboxPolicyValidationTest, RejectsBadEnvironmentEntries) {
  struct Case {
    std::string pattern;
    std::string message;
  };
  const Case cases[] = {
      {"*", "neither a variable name"},
      {"1PATH", "neither a variable name"},
      {"PA*TH", "neither a variable name"},
      {"PATH", "is listed twice"},
      {"SSH_AUTH_SOCK", "credential variable SSH_AUTH_SOCK"},
      {"AWS_*", "credential variable AWS_*"},
      {"AWS_PROFILE", "credential variable AWS_*"},
      {"GH_*", "credential variable GH_TOKEN"},
  };
  for (const Case& test : cases) {
    SandboxPolicy policy = Default();
    policy.environment_allowlist.push_back(test.pattern);
    EXPECT_THAT(ErrorOf(policy), HasSubstr(test.message)) << test.pattern;
  }
  SandboxPolicy policy = Default();
  policy.environment_overrides["BAD NAME"] = "1";
  EXPECT_THAT(ErrorOf(policy), HasSubstr("environment override \"BAD NAME\""));
}

}  // namespace
}  // namespace fathom::sandbox
