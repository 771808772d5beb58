// RepositorySources on a sources directory of tiny repositories: matching by the last name
// component (owner/name, https and scp-style URLs, exact before '-' suffixed, ambiguity, files
// that are no source), bundles, tarballs and bare directories, the cache kept across instances
// and refreshed when the source changes, tar failures, and many threads asking at once.
#include "evals/git/repository_sources.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "base/file.h"
#include "tests/base/temp_dir.h"
#include "tests/evals/git/git_test_util.h"

namespace fathom::evals::git {
namespace {

namespace fs = std::filesystem;
using testing::Git;
using testing::MakeTinyRepository;
using testing::Quoted;
using testing::Shell;

ino_t Inode(const fs::path& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_ino;
}

// Sources: tiny.bundle, tiny-old.bundle, widget.git/ (bare), gadget-lite.git.tar.gz (a tarball
// of gadget-shallow/), thing-a.bundle and thing-b.bundle, notes.txt.
class RepositorySourcesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    head_ = MakeTinyRepository(dir_ / "repo");
    fs::create_directories(sources_);
    Git(dir_ / "repo", "bundle create -q " + Quoted(sources_ / "tiny.bundle") + " --all");
    for (const char* copy : {"tiny-old.bundle", "thing-a.bundle", "thing-b.bundle"}) {
      fs::copy_file(sources_ / "tiny.bundle", sources_ / copy);
    }
    Git(dir_.path(),
        "-c protocol.file.allow=always clone -q --bare repo " + Quoted(sources_ / "widget.git"));
    Git(dir_.path(), "-c protocol.file.allow=always clone -q --bare repo gadget-shallow");
    ASSERT_EQ(Shell("tar -czf " + Quoted(sources_ / "gadget-lite.git.tar.gz") + " -C " +
                    Quoted(dir_.path()) + " gadget-shallow")
                  .exit_code,
              0);
    ASSERT_TRUE(base::WriteFileAtomically(sources_ / "notes.txt", "not a source\n").ok());
  }

  RepositorySources Open() {
    base::Result<RepositorySources> sources = RepositorySources::Open(sources_, cache_);
    EXPECT_TRUE(sources.ok()) << sources.error();
    return *std::move(sources);
  }

  // The bare repository for `repo`; a failure fails the test.
  fs::path Bare(RepositorySources& sources, std::string_view repo) {
    base::Result<fs::path> bare = sources.BareRepository(repo);
    EXPECT_TRUE(bare.ok()) << bare.error();
    return bare.value_or(fs::path());
  }

  base::testing::ScopedTempDir dir_;
  fs::path sources_ = dir_ / "sources";
  fs::path cache_ = dir_ / "cache";
  std::string head_;
};

TEST_F(RepositorySourcesTest, ImportsABundleOnceForEverySpelling) {
  RepositorySources sources = Open();
  const fs::path bare = Bare(sources, "acme/tiny");
  EXPECT_EQ(bare, cache_ / "tiny.git");
  EXPECT_EQ(Git(bare, "rev-parse main"), head_);
  EXPECT_EQ(Bare(sources, "https://example.com/acme/tiny.git"), bare);
  EXPECT_EQ(Bare(sources, "git@example.com:acme/tiny.git/"), bare);
  EXPECT_EQ(Bare(sources, "tiny"), bare);
}

TEST_F(RepositorySourcesTest, ExtractsATarballMatchedByPrefix) {
  RepositorySources sources = Open();
  const fs::path bare = Bare(sources, "acme/gadget");
  EXPECT_EQ(bare, cache_ / "gadget-lite.git");
  EXPECT_EQ(Git(bare, "rev-parse main"), head_);
  for (const fs::directory_entry& entry : fs::directory_iterator(cache_)) {
    EXPECT_FALSE(entry.path().filename().string().starts_with(".import")) << entry.path();
  }
}

TEST_F(RepositorySourcesTest, UsesABareDirectoryInPlace) {
  RepositorySources sources = Open();
  EXPECT_EQ(Bare(sources, "acme/widget"), sources_ / "widget.git");
  EXPECT_FALSE(fs::exists(cache_ / "widget.git"));
}

TEST_F(RepositorySourcesTest, MissingAndAmbiguousSources) {
  RepositorySources sources = Open();
  base::Result<fs::path> missing = sources.BareRepository("acme/nothing");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), base::ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message().find("\"nothing\""), std::string::npos) << missing.error();
  EXPECT_NE(missing.error().message().find(sources_.string()), std::string::npos);

  base::Result<fs::path> notes = sources.BareRepository("acme/notes");
  ASSERT_FALSE(notes.ok());
  EXPECT_EQ(notes.error().code(), base::ErrorCode::kNotFound);

  base::Result<fs::path> ambiguous = sources.BareRepository("acme/thing");
  ASSERT_FALSE(ambiguous.ok());
  EXPECT_EQ(ambiguous.error().code(), base::ErrorCode::kInvalidArgument);
  EXPECT_NE(ambiguous.error().message().find("thing-a.bundle"), std::string::npos)
      << ambiguous.error();
}

TEST_F(RepositorySourcesTest, MissingSourcesDirectoryIsNotFound) {
  base::Result<RepositorySources> sources = RepositorySources::Open(dir_ / "absent", cache_);
  ASSERT_FALSE(sources.ok());
  EXPECT_EQ(sources.error().code(), base::ErrorCode::kNotFound);
}

TEST_F(RepositorySourcesTest, ALaterInstanceReusesTheImportUntilTheSourceChanges) {
  fs::path first_bare;
  {
    RepositorySources first = Open();
    first_bare = Bare(first, "acme/tiny");
  }
  const ino_t imported = Inode(first_bare);
  RepositorySources second = Open();
  EXPECT_EQ(Bare(second, "acme/tiny"), first_bare);
  EXPECT_EQ(Inode(first_bare), imported);

  fs::last_write_time(sources_ / "tiny.bundle",
                      fs::last_write_time(sources_ / "tiny.bundle") + std::chrono::seconds(5));
  RepositorySources third = Open();
  EXPECT_EQ(Bare(third, "acme/tiny"), first_bare);
  EXPECT_NE(Inode(first_bare), imported);
  EXPECT_EQ(Git(first_bare, "rev-parse main"), head_);
}

TEST_F(RepositorySourcesTest, ATarFailureCarriesTarsMessage) {
  ASSERT_TRUE(base::WriteFileAtomically(sources_ / "broken.tar.gz", "not gzip").ok());
  RepositorySources sources = Open();
  base::Result<fs::path> broken = sources.BareRepository("acme/broken");
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.error().message().find("tar -x -f"), std::string::npos) << broken.error();
  EXPECT_NE(broken.error().message().find("gzip"), std::string::npos) << broken.error();
}

TEST_F(RepositorySourcesTest, ATarballWithoutAGitDirectoryIsNotFound) {
  ASSERT_EQ(Shell("tar -cf " + Quoted(sources_ / "plain.tar") + " -C " +
                  Quoted(dir_ / "repo" / "src") + " deep")
                .exit_code,
            0);
  RepositorySources sources = Open();
  base::Result<fs::path> plain = sources.BareRepository("acme/plain");
  ASSERT_FALSE(plain.ok());
  EXPECT_EQ(plain.error().code(), base::ErrorCode::kNotFound);
  EXPECT_NE(plain.error().message().find("no git directory"), std::string::npos) << plain.error();
}

TEST_F(RepositorySourcesTest, ParallelCallersGetOneImport) {
  RepositorySources sources = Open();
  std::vector<base::Result<fs::path>> results(8, base::NotFoundError("unset"));
  std::vector<std::thread> threads;
  for (size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back(
        [&, i] { results[i] = sources.BareRepository(i % 2 ? "a/tiny" : "tiny"); });
  }
  for (std::thread& thread : threads) thread.join();
  for (const base::Result<fs::path>& result : results) {
    ASSERT_TRUE(result.ok()) << result.error();
    EXPECT_EQ(*result, cache_ / "tiny.git");
  }
  EXPECT_EQ(std::distance(fs::directory_iterator(cache_), fs::directory_iterator()), 1);
}

}  // namespace
}  // namespace fathom::evals::git
