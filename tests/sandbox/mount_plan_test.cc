// BuildMountPlan on a resolved default policy: the order and attributes of the steps that decide
// what the command may touch (read-only host, writable workspace, read-only protected paths,
// hidden secrets, fresh /tmp, /run, /dev and /proc).
#include "sandbox/linux/mount_plan.h"

#include <gtest/gtest.h>
#include <sys/mount.h>

#include <algorithm>

#include "sandbox/policy_validation.h"
#include "tests/sandbox/policy_test_util.h"

namespace fathom::sandbox::linux {
namespace {

using MountPlanTest = SandboxPolicyFixture;

const MountStep* Find(const std::vector<MountStep>& steps, const std::string& target,
                      MountStep::Kind kind) {
  auto it = std::find_if(steps.begin(), steps.end(), [&](const MountStep& step) {
    return step.target == target && step.kind == kind;
  });
  return it == steps.end() ? nullptr : &*it;
}

size_t IndexOf(const std::vector<MountStep>& steps, const MountStep* step) {
  return static_cast<size_t>(step - steps.data());
}

std::vector<MountStep> PlanFor(const SandboxPolicy& policy, const std::filesystem::path& home) {
  base::Result<ResolvedPolicy> resolved = ResolvePolicy(policy, home);
  EXPECT_TRUE(resolved.ok()) << resolved.error();
  return BuildMountPlan(*resolved, {.tmp_size_bytes = 1 << 20});
}

TEST_F(MountPlanTest, HostRootIsReadOnlyAndComesFirst) {
  const std::vector<MountStep> steps = PlanFor(DefaultPolicy(workspace_, home_), home_);
  ASSERT_FALSE(steps.empty());
  EXPECT_EQ(steps[0].kind, MountStep::Kind::kBind);
  EXPECT_EQ(steps[0].source, kOldRoot);
  EXPECT_EQ(steps[0].target, kNewRoot);
  EXPECT_TRUE(steps[0].recursive);
  EXPECT_EQ(steps[0].set_attributes & (MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV),
            MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
}

TEST_F(MountPlanTest, WorkspaceIsWritableAndProtectedPathsAreReadOnlyOverIt) {
  const std::filesystem::path workspace = std::filesystem::canonical(workspace_);
  const std::vector<MountStep> steps = PlanFor(DefaultPolicy(workspace_, home_), home_);
  const MountStep* root =
      Find(steps, std::string(kNewRoot) + workspace.string(), MountStep::Kind::kBind);
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(root->source, std::string(kOldRoot) + workspace.string());
  EXPECT_EQ(root->set_attributes & MOUNT_ATTR_RDONLY, 0u);
  EXPECT_NE(root->set_attributes & MOUNT_ATTR_NOSUID, 0u);
  for (const char* sub : {".git/hooks", ".git/config"}) {
    const std::string target = std::string(kNewRoot) + (workspace / sub).string();
    const MountStep* bind = Find(steps, target, MountStep::Kind::kBind);
    ASSERT_NE(bind, nullptr) << sub;
    EXPECT_EQ(bind->source, target);
    EXPECT_NE(bind->set_attributes & MOUNT_ATTR_RDONLY, 0u);
    EXPECT_FALSE(bind->follow_symlink);
    EXPECT_GT(IndexOf(steps, bind), IndexOf(steps, root)) << "must cover the workspace bind";
  }
  // .vscode and .fathom do not exist in the fixture: nothing can be mounted on them.
  EXPECT_EQ(
      Find(steps, std::string(kNewRoot) + (workspace / ".vscode").string(), MountStep::Kind::kBind),
      nullptr);
}

TEST_F(MountPlanTest, HiddenDirectoriesBecomeEmptyReadOnlyTmpfs) {
  const std::filesystem::path home = std::filesystem::canonical(home_);
  const std::vector<MountStep> steps = PlanFor(DefaultPolicy(workspace_, home_), home_);
  for (const char* secret : {".ssh", ".aws", ".config"}) {
    const MountStep* step =
        Find(steps, std::string(kNewRoot) + (home / secret).string(), MountStep::Kind::kFilesystem);
    if ((home / secret).string().starts_with("/tmp/")) {
      EXPECT_EQ(step, nullptr) << "under the fresh /tmp already";
      continue;
    }
    ASSERT_NE(step, nullptr) << secret;
    EXPECT_EQ(step->source, "tmpfs");
    EXPECT_NE(step->flags & MS_RDONLY, 0u);
  }
}

TEST_F(MountPlanTest, FreshTmpRunDevAndReadOnlyProc) {
  const std::vector<MountStep> steps = PlanFor(DefaultPolicy(workspace_, home_), home_);
  const MountStep* tmp = Find(steps, std::string(kNewRoot) + "/tmp", MountStep::Kind::kFilesystem);
  ASSERT_NE(tmp, nullptr);
  EXPECT_NE(tmp->data.find("size=1048576"), std::string::npos);
  EXPECT_NE(Find(steps, std::string(kNewRoot) + "/run", MountStep::Kind::kFilesystem), nullptr);
  const MountStep* proc =
      Find(steps, std::string(kNewRoot) + "/proc", MountStep::Kind::kFilesystem);
  ASSERT_NE(proc, nullptr);
  EXPECT_EQ(proc->source, "proc");
  EXPECT_NE(proc->flags & MS_RDONLY, 0u);
  for (const char* device : {"null", "zero", "urandom"}) {
    const MountStep* bind =
        Find(steps, std::string(kNewRoot) + "/dev/" + device, MountStep::Kind::kBind);
    ASSERT_NE(bind, nullptr) << device;
    EXPECT_EQ(bind->source, std::string(kOldRoot) + "/dev/" + device);
  }
  EXPECT_NE(Find(steps, std::string(kNewRoot) + "/dev", MountStep::Kind::kSetAttributes), nullptr);
}

TEST_F(MountPlanTest, WorkspaceUnderTmpGetsItsMountPointCreatedAfterTheFreshTmp) {
  const std::filesystem::path workspace = std::filesystem::canonical(workspace_);
  if (!workspace.string().starts_with("/tmp/")) GTEST_SKIP() << "the fixture is not under /tmp";
  const std::vector<MountStep> steps = PlanFor(DefaultPolicy(workspace_, home_), home_);
  const MountStep* tmp = Find(steps, std::string(kNewRoot) + "/tmp", MountStep::Kind::kFilesystem);
  const MountStep* directory =
      Find(steps, std::string(kNewRoot) + workspace.string(), MountStep::Kind::kMakeDirectory);
  const MountStep* bind =
      Find(steps, std::string(kNewRoot) + workspace.string(), MountStep::Kind::kBind);
  ASSERT_NE(tmp, nullptr);
  ASSERT_NE(directory, nullptr);
  ASSERT_NE(bind, nullptr);
  EXPECT_LT(IndexOf(steps, tmp), IndexOf(steps, directory));
  EXPECT_LT(IndexOf(steps, directory), IndexOf(steps, bind));
}

TEST_F(MountPlanTest, GitDirectoryIsPinnedSoItCannotBeRenamedAway) {
  const std::filesystem::path workspace = std::filesystem::canonical(workspace_);
  const std::vector<MountStep> steps = PlanFor(DefaultPolicy(workspace_, home_), home_);
  const std::string git = std::string(kNewRoot) + (workspace / ".git").string();
  const MountStep* pin = Find(steps, git, MountStep::Kind::kBind);
  ASSERT_NE(pin, nullptr);
  EXPECT_EQ(pin->set_attributes & MOUNT_ATTR_RDONLY, 0u) << "objects and refs stay writable";
  const MountStep* hooks = Find(steps, git + "/hooks", MountStep::Kind::kBind);
  ASSERT_NE(hooks, nullptr);
  EXPECT_LT(IndexOf(steps, pin), IndexOf(steps, hooks)) << "the read-only binds go on top";
}

TEST_F(MountPlanTest, WorktreeGitFileIsReadOnly) {
  const std::filesystem::path workspace = std::filesystem::canonical(workspace_);
  std::filesystem::remove_all(workspace / ".git");
  WriteFile(workspace / ".git", "gitdir: /elsewhere/.git/worktrees/x\n");
  const std::vector<MountStep> steps = PlanFor(DefaultPolicy(workspace_, home_), home_);
  const MountStep* file =
      Find(steps, std::string(kNewRoot) + (workspace / ".git").string(), MountStep::Kind::kBind);
  ASSERT_NE(file, nullptr);
  EXPECT_NE(file->set_attributes & MOUNT_ATTR_RDONLY, 0u);
}

TEST_F(MountPlanTest, DescribeNamesTheStep) {
  MountStep step;
  step.kind = MountStep::Kind::kBind;
  step.source = "/oldroot/a";
  step.target = "/newroot/a";
  step.set_attributes = MOUNT_ATTR_RDONLY;
  EXPECT_EQ(step.Describe(), "bind /oldroot/a on /newroot/a (read-only)");
}

}  // namespace
}  // namespace fathom::sandbox::linux
