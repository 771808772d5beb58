// CheckoutCommit on tiny repositories the git CLI makes: a commit with an executable file, an
// abbreviated id, nested submodules (top -> vendor/mid -> deps/leaf) checked by the git CLI
// before and after `cp -a`, a shallow source, and the errors: an unknown commit, a bad id, a
// non-empty destination, a submodule without a source or without its pinned commit.
#include "evals/git/checkout.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/base/temp_dir.h"
#include "tests/evals/git/git_test_util.h"

namespace fathom::evals::git {
namespace {

namespace fs = std::filesystem;
using testing::Git;
using testing::MakeTinyRepository;
using testing::Quoted;
using testing::Shell;

// A repository at `dir` with one commit: a README and the submodule `name` at `path`, pinned
// to `commit`, in .gitmodules with `url`.
void MakeSuperproject(const fs::path& dir, const std::string& name, const std::string& path,
                      const std::string& url, const std::string& commit) {
  Git(dir.parent_path(), "init -q " + Quoted(dir));
  std::ofstream(dir / "README") << name << " inside\n";
  std::ofstream(dir / ".gitmodules")
      << "[submodule \"" << name << "\"]\n\tpath = " << path << "\n\turl = " << url << "\n";
  Git(dir, "add README .gitmodules");
  Git(dir, "update-index --add --cacheinfo 160000," + commit + "," + path);
  Git(dir, "commit -q -m 'add " + name + "'");
}

void Bundle(const fs::path& repository, const fs::path& bundle, const std::string& refs) {
  Git(repository, "bundle create -q " + Quoted(bundle) + " " + refs);
}

// Checks `commit` of `repo` out of the sources in `sources_dir` into `destination`.
base::Status CheckOutFrom(const fs::path& sources_dir, const fs::path& cache, std::string_view repo,
                          std::string_view commit, const fs::path& destination) {
  FATHOM_ASSIGN_OR_RETURN(RepositorySources sources, RepositorySources::Open(sources_dir, cache));
  FATHOM_ASSIGN_OR_RETURN(const fs::path bare, sources.BareRepository(repo));
  return CheckoutCommit(sources, bare, commit, destination);
}

// Sources: tiny.bundle and shallow.git, a bare clone of it at depth 1. Made once per process.
class CheckoutTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new base::testing::ScopedTempDir();
    const fs::path root = dir_->path();
    fs::create_directories(root / "sources");
    head_ = MakeTinyRepository(root / "tiny");
    Bundle(root / "tiny", root / "sources/tiny.bundle", "--all");
    Git(root, "-c protocol.file.allow=always clone -q --bare --depth 1 file://" +
                  (root / "tiny").string() + " " + Quoted(root / "sources/shallow.git"));
  }
  static void TearDownTestSuite() { delete dir_; }

  base::Status CheckOut(std::string_view repo, std::string_view commit,
                        const fs::path& destination) {
    return CheckOutFrom(dir_->path() / "sources", work_ / "cache", repo, commit, destination);
  }

  static base::testing::ScopedTempDir* dir_;
  static std::string head_;
  base::testing::ScopedTempDir work_;
};

base::testing::ScopedTempDir* CheckoutTest::dir_ = nullptr;
std::string CheckoutTest::head_;

// Sources (in sources/): leaf, mid (deps/leaf -> leaf) and top (vendor/mid -> mid) bundles, and
// stray, whose gitlink has no .gitmodules entry.
// partial/ holds top and mid and a leaf bundle without the pinned commit; orphan/ holds top and
// mid only. Made once per process.
class SubmoduleCheckoutTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new base::testing::ScopedTempDir();
    const fs::path root = dir_->path();
    const fs::path sources = root / "sources";
    fs::create_directories(sources);
    leaf_head_ = MakeTinyRepository(root / "leaf");
    Bundle(root / "leaf", sources / "leaf.bundle", "--all");
    MakeSuperproject(root / "mid", "deps/leaf", "deps/leaf", "https://example.invalid/org/leaf.git",
                     leaf_head_);
    mid_head_ = Git(root / "mid", "rev-parse HEAD");
    Bundle(root / "mid", sources / "mid.bundle", "--all");
    MakeSuperproject(root / "top", "mid", "vendor/mid", "git@example.invalid:org/mid.git",
                     mid_head_);
    top_head_ = Git(root / "top", "rev-parse HEAD");
    Bundle(root / "top", sources / "top.bundle", "--all");

    Git(root, "init -q stray");
    Git(root / "stray", "update-index --add --cacheinfo 160000," + leaf_head_ + ",deps/leaf");
    Git(root / "stray", "commit -q -m 'a gitlink without .gitmodules'");
    stray_head_ = Git(root / "stray", "rev-parse HEAD");
    Bundle(root / "stray", sources / "stray.bundle", "--all");

    for (const char* other : {"partial", "orphan"}) {
      fs::create_directories(root / other);
      fs::copy_file(sources / "top.bundle", root / other / "top.bundle");
      fs::copy_file(sources / "mid.bundle", root / other / "mid.bundle");
    }
    Git(root / "leaf", "branch old main~1");
    Bundle(root / "leaf", root / "partial/leaf.bundle", "old");
  }
  static void TearDownTestSuite() { delete dir_; }

  // Checks out top's head from the sources in `sources_dir` into `destination`.
  base::Status CheckOutTop(const std::string& sources_dir, const fs::path& destination) {
    return CheckOutFrom(dir_->path() / sources_dir, work_ / "cache", "acme/top", top_head_,
                        destination);
  }

  static base::testing::ScopedTempDir* dir_;
  static std::string leaf_head_, mid_head_, top_head_, stray_head_;
  base::testing::ScopedTempDir work_;
};

base::testing::ScopedTempDir* SubmoduleCheckoutTest::dir_ = nullptr;
std::string SubmoduleCheckoutTest::leaf_head_, SubmoduleCheckoutTest::mid_head_,
    SubmoduleCheckoutTest::top_head_, SubmoduleCheckoutTest::stray_head_;

TEST_F(CheckoutTest, ChecksOutACommitBorrowingTheObjects) {
  const fs::path checkout = work_ / "checkout";
  base::Status status = CheckOut("acme/tiny", head_, checkout);
  ASSERT_TRUE(status.ok()) << status.error();
  EXPECT_EQ(Git(checkout, "rev-parse HEAD"), head_);
  EXPECT_EQ(Git(checkout, "symbolic-ref -q HEAD || echo detached"), "detached");
  EXPECT_EQ(Git(checkout, "status --porcelain"), "");
  EXPECT_EQ(Git(checkout, "rev-parse --is-bare-repository"), "false");
  EXPECT_EQ(Git(checkout, "count-objects"), "0 objects, 0 kilobytes");
  EXPECT_EQ(Git(checkout, "cat-file -p HEAD:src/deep/file.txt"), "nested");
  struct stat info {};
  ASSERT_EQ(::stat((checkout / "run.sh").c_str(), &info), 0);
  EXPECT_NE(info.st_mode & S_IXUSR, 0u);
  EXPECT_EQ(Git(checkout, "cat-file -p HEAD:run.sh"), "#!/bin/sh\necho hi");
}

TEST_F(CheckoutTest, AcceptsAnAbbreviatedCommit) {
  const fs::path checkout = work_ / "checkout";
  base::Status status = CheckOut("tiny", head_.substr(0, 7), checkout);
  ASSERT_TRUE(status.ok()) << status.error();
  EXPECT_EQ(Git(checkout, "rev-parse HEAD"), head_);
}

TEST_F(SubmoduleCheckoutTest, PopulatesNestedSubmodulesAsTheGitCliWould) {
  const fs::path checkout = work_ / "checkout";
  base::Status status = CheckOutTop("sources", checkout);
  ASSERT_TRUE(status.ok()) << status.error();
  EXPECT_EQ(Git(checkout, "status --porcelain --ignore-submodules=none"), "");
  EXPECT_EQ(Git(checkout, "submodule status --recursive"),
            " " + mid_head_ + " vendor/mid (" + mid_head_.substr(0, 7) + ")\n " + leaf_head_ +
                " vendor/mid/deps/leaf (" + leaf_head_.substr(0, 7) + ")");
  EXPECT_TRUE(fs::is_directory(checkout / ".git/modules/mid/modules/deps/leaf"));
  EXPECT_TRUE(fs::is_regular_file(checkout / "vendor/mid/.git"));
  EXPECT_FALSE(Git(checkout / "vendor/mid", "config core.worktree").starts_with("/"));
  EXPECT_EQ(Git(checkout, "config submodule.mid.url"), "git@example.invalid:org/mid.git");
  EXPECT_EQ(Git(checkout, "submodule update --init --recursive"), "");

  const fs::path copy = work_ / "copy";
  ASSERT_EQ(Shell("cp -a " + Quoted(checkout) + " " + Quoted(copy)).exit_code, 0);
  fs::remove_all(checkout);
  EXPECT_EQ(Git(copy, "status --porcelain --ignore-submodules=none"), "");
  EXPECT_EQ(Git(copy / "vendor/mid/deps/leaf", "rev-parse HEAD"), leaf_head_);
  EXPECT_EQ(Git(copy / "vendor/mid/deps/leaf", "cat-file -p HEAD:src/deep/file.txt"), "nested");
}

TEST_F(CheckoutTest, CopiesTheShallowFile) {
  const fs::path checkout = work_ / "checkout";
  base::Status status = CheckOut("acme/shallow", head_, checkout);
  ASSERT_TRUE(status.ok()) << status.error();
  EXPECT_EQ(Git(checkout, "rev-parse --is-shallow-repository"), "true");
  EXPECT_EQ(Git(checkout, "log --format=%H"), head_);
  EXPECT_EQ(Git(checkout, "status --porcelain"), "");
}

TEST_F(CheckoutTest, AnUnknownCommitIsNotFound) {
  const fs::path checkout = work_ / "checkout";
  const std::string unknown = "0123456789abcdef0123456789abcdef01234567";
  base::Status status = CheckOut("acme/tiny", unknown, checkout);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), base::ErrorCode::kNotFound);
  EXPECT_NE(status.error().message().find("tiny.git has no commit " + unknown), std::string::npos)
      << status.error();
  EXPECT_FALSE(fs::exists(checkout));
}

TEST_F(CheckoutTest, ABadCommitIdIsInvalid) {
  base::Status status = CheckOut("acme/tiny", "main", work_ / "checkout");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), base::ErrorCode::kInvalidArgument) << status.error();
}

TEST_F(CheckoutTest, ANonEmptyDestinationIsRefused) {
  const fs::path checkout = work_ / "checkout";
  fs::create_directories(checkout);
  std::ofstream(checkout / "keep.txt") << "mine\n";
  base::Status status = CheckOut("acme/tiny", head_, checkout);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), base::ErrorCode::kFailedPrecondition) << status.error();
  EXPECT_TRUE(fs::exists(checkout / "keep.txt"));
}

TEST_F(SubmoduleCheckoutTest, ASubmoduleWithoutASourceFailsAndLeavesNothing) {
  const fs::path checkout = work_ / "checkout";
  base::Status status = CheckOutTop("orphan", checkout);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), base::ErrorCode::kNotFound);
  EXPECT_NE(status.error().message().find("submodule deps/leaf"), std::string::npos)
      << status.error();
  EXPECT_NE(status.error().message().find("\"leaf\""), std::string::npos) << status.error();
  EXPECT_FALSE(fs::exists(checkout));
}

TEST_F(SubmoduleCheckoutTest, ASubmoduleCommitMissingFromItsSourceIsNotFound) {
  const fs::path checkout = work_ / "checkout";
  fs::create_directories(checkout);
  base::Status status = CheckOutTop("partial", checkout);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), base::ErrorCode::kNotFound);
  EXPECT_NE(status.error().message().find("has no commit " + leaf_head_), std::string::npos)
      << status.error();
  EXPECT_TRUE(fs::is_empty(checkout));
}

TEST_F(SubmoduleCheckoutTest, AGitlinkWithoutAGitmodulesEntryIsNotFound) {
  const fs::path checkout = work_ / "checkout";
  base::Status status =
      CheckOutFrom(dir_->path() / "sources", work_ / "cache", "stray", stray_head_, checkout);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), base::ErrorCode::kNotFound);
  EXPECT_NE(status.error().message().find("no url in .gitmodules for the submodule at deps/leaf"),
            std::string::npos)
      << status.error();
  EXPECT_FALSE(fs::exists(checkout));
}

}  // namespace
}  // namespace fathom::evals::git
