// Checkouts of the real SWE-bench repositories in ../shared/datasets/repos, verified with the git
// CLI: jq at a base commit that pins the oniguruma submodule, fmt (imported by two threads at
// once), sympy from the shallow tarball. Each source is imported once per test process into a
// suite-level cache under a temp dir.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <thread>

#include "evals/git/checkout.h"
#include "evals/git/repository_sources.h"
#include "tests/base/temp_dir.h"
#include "tests/evals/git/git_test_util.h"

namespace fathom::evals::git {
namespace {

namespace fs = std::filesystem;
using testing::Git;
using testing::kGit;
using testing::Quoted;
using testing::Shell;

const fs::path kRepos = fs::path(FATHOM_SHARED_DIR) / "datasets/repos";
constexpr std::string_view kJqBase = "f86566b2631b777c0d0c9a4572eb21146a14829b";  // jq-2839
constexpr std::string_view kOnigurumaPin = "d2f1a14ced5d5d461acac0da0d477ab240a7ab5f";
constexpr std::string_view kFmtBase = "840ec8569ddb304345f082bb82d733742f431504";    // fmt-3248
constexpr std::string_view kSympyBase = "8dcb12a6cf500e8738d6729ab954a261758f49ca";  // 11400

class RealRepositoriesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    cache_ = std::make_unique<base::testing::ScopedTempDir>();
    base::Result<RepositorySources> sources = RepositorySources::Open(kRepos, cache_->path());
    ASSERT_TRUE(sources.ok()) << sources.error();
    sources_ = std::make_unique<RepositorySources>(*std::move(sources));
  }
  static void TearDownTestSuite() {
    sources_.reset();
    cache_.reset();
  }

  // Checks `commit` of `repo` out into a fresh directory of this test and returns it.
  fs::path CheckOut(std::string_view repo, std::string_view commit) {
    base::Result<fs::path> bare = sources_->BareRepository(repo);
    EXPECT_TRUE(bare.ok()) << bare.error();
    const fs::path destination = work_ / "checkout";
    if (!bare.ok()) return destination;
    base::Status status = CheckoutCommit(*sources_, *bare, commit, destination);
    EXPECT_TRUE(status.ok()) << status.error();
    return destination;
  }

  // The checks every checkout must pass: HEAD at `commit`, a clean status, a working `git log`.
  static void ExpectCleanCheckout(const fs::path& checkout, std::string_view commit) {
    EXPECT_EQ(Git(checkout, "rev-parse HEAD"), commit);
    EXPECT_EQ(Git(checkout, "status --porcelain"), "");
    EXPECT_EQ(Git(checkout, "log -1 --format=%H"), commit);
    EXPECT_EQ(Git(checkout, "symbolic-ref -q HEAD || echo detached"), "detached");
  }

  static std::unique_ptr<base::testing::ScopedTempDir> cache_;
  static std::unique_ptr<RepositorySources> sources_;
  base::testing::ScopedTempDir work_;
};

std::unique_ptr<base::testing::ScopedTempDir> RealRepositoriesTest::cache_;
std::unique_ptr<RepositorySources> RealRepositoriesTest::sources_;

TEST_F(RealRepositoriesTest, JqBaseCommitWithOnigurumaSubmodule) {
  const fs::path checkout = CheckOut("jqlang/jq", kJqBase);
  ExpectCleanCheckout(checkout, kJqBase);
  const std::string submodule = Git(checkout, "submodule status");
  EXPECT_TRUE(submodule.starts_with(' ')) << submodule;  // neither '-' (absent) nor '+' (moved)
  EXPECT_EQ(submodule.substr(1, kOnigurumaPin.size()), kOnigurumaPin);
  EXPECT_EQ(Git(checkout, "submodule update --init"), "");
  EXPECT_EQ(Git(checkout, "status --porcelain --ignore-submodules=none"), "");

  const fs::path copy = work_ / "copy";
  ASSERT_EQ(Shell("cp -a " + Quoted(checkout) + " " + Quoted(copy)).exit_code, 0);
  EXPECT_EQ(Git(copy, "status --porcelain"), "");
  EXPECT_EQ(Git(copy / "modules/oniguruma", "rev-parse HEAD"), kOnigurumaPin);
  EXPECT_EQ(Git(copy / "modules/oniguruma", "rev-parse --show-toplevel"),
            fs::weakly_canonical(copy / "modules/oniguruma").string());
}

TEST_F(RealRepositoriesTest, FmtImportedOnceForParallelCallers) {
  std::atomic<bool> done = false;
  std::atomic<int> most_imports = 0;
  std::thread watcher([&] {
    while (!done) {
      int imports = 0;
      std::error_code ignored;
      for (const auto& entry : fs::directory_iterator(cache_->path(), ignored)) {
        imports += entry.path().filename().string().starts_with(".import-fmt") ? 1 : 0;
      }
      most_imports = std::max(most_imports.load(), imports);
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  base::Result<fs::path> first = base::NotFoundError("unset");
  base::Result<fs::path> second = base::NotFoundError("unset");
  std::thread a([&] { first = sources_->BareRepository("fmtlib/fmt"); });
  std::thread b([&] { second = sources_->BareRepository("https://github.com/fmtlib/fmt.git"); });
  a.join();
  b.join();
  done = true;
  watcher.join();
  ASSERT_TRUE(first.ok()) << first.error();
  ASSERT_TRUE(second.ok()) << second.error();
  EXPECT_EQ(*first, *second);
  EXPECT_EQ(most_imports, 1);

  const fs::path checkout = CheckOut("fmtlib/fmt", kFmtBase);
  ExpectCleanCheckout(checkout, kFmtBase);
}

TEST_F(RealRepositoriesTest, SympyFromTheShallowTarball) {
  const fs::path checkout = CheckOut("sympy/sympy", kSympyBase);
  ExpectCleanCheckout(checkout, kSympyBase);
  EXPECT_TRUE(fs::exists(checkout / ".git/shallow"));
  EXPECT_EQ(Git(checkout, "rev-parse --is-shallow-repository"), "true");
}

}  // namespace
}  // namespace fathom::evals::git
