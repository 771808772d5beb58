// ImportBundle on bundles the git CLI writes from a tiny repository: every ref, tag and HEAD
// arrives and `git fsck` accepts the result; prerequisites, truncation, a foreign file, a bad
// header line and a ref whose object is not in the pack are errors naming the bundle.
#include "evals/git/bundle.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "base/file.h"
#include "tests/base/temp_dir.h"
#include "tests/evals/git/git_test_util.h"

namespace fathom::evals::git {
namespace {

namespace fs = std::filesystem;
using testing::Git;
using testing::MakeTinyRepository;

class BundleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    head_ = MakeTinyRepository(dir_ / "repo");
    Git(dir_ / "repo", "bundle create -q " + (dir_ / "full.bundle").string() + " --all");
  }

  // Writes `contents` to a file of this test and returns its path.
  fs::path WriteFile(const std::string& name, const std::string& contents) {
    EXPECT_TRUE(base::WriteFileAtomically(dir_ / name, contents).ok());
    return dir_ / name;
  }

  std::string FullBundle() { return base::ReadFileToString(dir_ / "full.bundle").value(); }

  base::testing::ScopedTempDir dir_;
  std::string head_;
};

TEST_F(BundleTest, ImportsEveryRefAndHead) {
  const fs::path imported = dir_ / "imported.git";
  base::Status status = ImportBundle(dir_ / "full.bundle", imported);
  ASSERT_TRUE(status.ok()) << status.error();
  const std::string refs = "for-each-ref --format='%(objectname) %(refname)'";
  EXPECT_EQ(Git(imported, refs), Git(dir_ / "repo", refs));
  EXPECT_EQ(Git(imported, "rev-parse HEAD"), head_);
  EXPECT_EQ(Git(imported, "rev-parse --is-bare-repository"), "true");
  EXPECT_EQ(Git(imported, "cat-file -t v1"), "tag");
  EXPECT_EQ(Git(imported, "fsck --strict --no-dangling"), "");
}

TEST_F(BundleTest, PrerequisitesAreRefused) {
  Git(dir_ / "repo", "bundle create -q " + (dir_ / "tip.bundle").string() + " main~1..main");
  base::Status status = ImportBundle(dir_ / "tip.bundle", dir_ / "imported.git");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), base::ErrorCode::kFailedPrecondition);
  EXPECT_NE(status.error().message().find("prerequisite"), std::string::npos) << status.error();
  EXPECT_NE(status.error().message().find("tip.bundle"), std::string::npos) << status.error();
  EXPECT_FALSE(fs::exists(dir_ / "imported.git"));
}

TEST_F(BundleTest, TruncatedPackIsDataLoss) {
  const std::string full = FullBundle();
  const fs::path truncated = WriteFile("truncated.bundle", full.substr(0, full.size() - 30));
  base::Status status = ImportBundle(truncated, dir_ / "imported.git");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), base::ErrorCode::kDataLoss) << status.error();
  EXPECT_NE(status.error().message().find("truncated.bundle"), std::string::npos);
}

TEST_F(BundleTest, TruncatedHeaderIsInvalid) {
  const fs::path truncated = WriteFile("header.bundle", FullBundle().substr(0, 60));
  base::Status status = ImportBundle(truncated, dir_ / "imported.git");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), base::ErrorCode::kInvalidArgument) << status.error();
}

TEST_F(BundleTest, AnotherFileIsNotABundle) {
  const fs::path other = WriteFile("notes.bundle", "# v3 git bundle\n@object-format=sha1\n\n");
  base::Status status = ImportBundle(other, dir_ / "imported.git");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), base::ErrorCode::kInvalidArgument);
  EXPECT_NE(status.error().message().find("not a v2 git bundle"), std::string::npos)
      << status.error();
}

TEST_F(BundleTest, MalformedRefLineIsInvalid) {
  const fs::path bad = WriteFile("bad.bundle", "# v2 git bundle\nxyz refs/heads/main\n\nPACK");
  base::Status status = ImportBundle(bad, dir_ / "imported.git");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), base::ErrorCode::kInvalidArgument);
  EXPECT_NE(status.error().message().find("line 2"), std::string::npos) << status.error();
}

TEST_F(BundleTest, RefOutsideThePackIsDataLoss) {
  const std::string full = FullBundle();
  const std::string pack = full.substr(full.find("\n\n") + 2);
  const fs::path lying = WriteFile(
      "lying.bundle",
      "# v2 git bundle\n0123456789abcdef0123456789abcdef01234567 refs/heads/ghost\n\n" + pack);
  base::Status status = ImportBundle(lying, dir_ / "imported.git");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), base::ErrorCode::kDataLoss);
  EXPECT_NE(status.error().message().find("refs/heads/ghost"), std::string::npos) << status.error();
}

TEST_F(BundleTest, MissingFileIsNotFound) {
  base::Status status = ImportBundle(dir_ / "absent.bundle", dir_ / "imported.git");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), base::ErrorCode::kNotFound);
}

}  // namespace
}  // namespace fathom::evals::git
