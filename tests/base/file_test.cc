#include "base/file.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "tests/base/temp_dir.h"

namespace fathom::base {
namespace {

mode_t ModeOf(const std::filesystem::path& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0);
  return info.st_mode & 07777;
}

size_t CountEntries(const std::filesystem::path& directory) {
  size_t count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    (void)entry;
    ++count;
  }
  return count;
}

TEST(FileTest, WritesAndReadsBack) {
  testing::ScopedTempDir dir;
  std::string contents = "line one\nline two\n";
  contents.push_back('\0');
  contents += "after a NUL";
  ASSERT_TRUE(WriteFileAtomically(dir / "a.txt", contents).ok());
  Result<std::string> read = ReadFileToString(dir / "a.txt");
  ASSERT_TRUE(read.ok()) << read.error();
  EXPECT_EQ(*read, contents);
}

TEST(FileTest, ReadsLargeFile) {
  testing::ScopedTempDir dir;
  std::string contents(300 * 1024 + 17, 'x');
  for (size_t i = 0; i < contents.size(); i += 4096) contents[i] = static_cast<char>('a' + i % 26);
  ASSERT_TRUE(WriteFileAtomically(dir / "big", contents).ok());
  Result<std::string> read = ReadFileToString(dir / "big");
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(*read, contents);
}

TEST(FileTest, ReadsEmptyFile) {
  testing::ScopedTempDir dir;
  ASSERT_TRUE(WriteFileAtomically(dir / "empty", "").ok());
  Result<std::string> read = ReadFileToString(dir / "empty");
  ASSERT_TRUE(read.ok());
  EXPECT_TRUE(read->empty());
}

TEST(FileTest, ReadsProcFileWhoseSizeIsZero) {
  ASSERT_EQ(std::filesystem::file_size("/proc/self/status"), 0u);
  Result<std::string> status = ReadFileToString("/proc/self/status");
  ASSERT_TRUE(status.ok()) << status.error();
  EXPECT_NE(status->find("Name:"), std::string::npos);
  EXPECT_NE(status->find("VmRSS:"), std::string::npos);
}

TEST(FileTest, MissingFileIsNotFoundAndNamesPath) {
  testing::ScopedTempDir dir;
  Result<std::string> read = ReadFileToString(dir / "nope.txt");
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(read.error().message().find((dir / "nope.txt").string()), std::string::npos);
  EXPECT_NE(read.error().message().find("No such file"), std::string::npos);
}

TEST(FileTest, ReadingDirectoryFails) {
  testing::ScopedTempDir dir;
  Result<std::string> read = ReadFileToString(dir.path());
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(read.error().message().find(dir.path().string()), std::string::npos);
}

TEST(FileTest, ReplacesExistingFileKeepingModeAndLeavesNoTemporary) {
  testing::ScopedTempDir dir;
  std::filesystem::path path = dir / "script.sh";
  ASSERT_TRUE(WriteFileAtomically(path, "old").ok());
  EXPECT_EQ(ModeOf(path), 0644u);
  ASSERT_EQ(::chmod(path.c_str(), 0750), 0);
  ASSERT_TRUE(WriteFileAtomically(path, "new contents").ok());
  EXPECT_EQ(*ReadFileToString(path), "new contents");
  EXPECT_EQ(ModeOf(path), 0750u);
  EXPECT_EQ(CountEntries(dir.path()), 1u);
}

TEST(FileTest, WriteIntoMissingDirectoryFailsAndNamesPath) {
  testing::ScopedTempDir dir;
  std::filesystem::path path = dir / "missing" / "out.txt";
  Status written = WriteFileAtomically(path, "x");
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(written.error().message().find(path.string()), std::string::npos);
}

TEST(FileTest, FailedRenameRemovesTemporary) {
  testing::ScopedTempDir dir;
  std::filesystem::create_directory(dir / "occupied");
  std::filesystem::create_directory(dir / "occupied" / "child");
  Status written = WriteFileAtomically(dir / "occupied", "x");
  ASSERT_FALSE(written.ok());
  EXPECT_NE(written.error().message().find("rename"), std::string::npos);
  EXPECT_EQ(CountEntries(dir.path()), 1u);
}

TEST(UniqueFdTest, ClosesOnDestructionAndMoves) {
  int raw = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  ASSERT_GE(raw, 0);
  {
    UniqueFd first(raw);
    UniqueFd second = std::move(first);
    EXPECT_FALSE(first.valid());
    EXPECT_EQ(second.get(), raw);
    EXPECT_NE(::fcntl(raw, F_GETFD), -1);
  }
  EXPECT_EQ(::fcntl(raw, F_GETFD), -1);
}

TEST(UniqueFdTest, ReleaseKeepsDescriptorOpenAndCloseReportsSuccess) {
  Result<UniqueFd> fd = OpenForReading("/dev/null");
  ASSERT_TRUE(fd.ok());
  int raw = fd->release();
  EXPECT_FALSE(fd->valid());
  EXPECT_NE(::fcntl(raw, F_GETFD), -1);
  UniqueFd again(raw);
  EXPECT_TRUE(again.Close().ok());
  EXPECT_FALSE(again.valid());
  EXPECT_TRUE(again.Close().ok());
}

}  // namespace
}  // namespace fathom::base
