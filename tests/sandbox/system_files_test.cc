// The /proc and /sys text readers: trimming, integer parsing, word splitting and joining.
#include "sandbox/system_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <string>

namespace fathom::sandbox {
namespace {

class SystemFilesTest : public ::testing::Test {
 protected:
  std::filesystem::path WriteFile(const std::string& name, const std::string& content) {
    const std::filesystem::path path = directory_ / name;
    std::ofstream(path) << content;
    return path;
  }

  void SetUp() override {
    directory_ = std::filesystem::temp_directory_path() /
                 ("fathom_system_files_test_" + std::to_string(getpid()));
    std::filesystem::create_directories(directory_);
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  std::filesystem::path directory_;
};

TEST_F(SystemFilesTest, ReadsATrimmedFile) {
  base::Result<std::string> content = ReadTrimmedFile(WriteFile("a", "  kill_process errno\n"));
  ASSERT_TRUE(content.ok()) << content.error();
  EXPECT_EQ(*content, "kill_process errno");
}

TEST_F(SystemFilesTest, ReadsProcFilesThatReportSizeZero) {
  base::Result<std::string> content = ReadTrimmedFile("/proc/self/status");
  ASSERT_TRUE(content.ok()) << content.error();
  EXPECT_TRUE(content->starts_with("Name:")) << *content;
}

TEST_F(SystemFilesTest, MissingFileIsAnError) {
  EXPECT_FALSE(ReadTrimmedFile(directory_ / "missing").ok());
}

TEST_F(SystemFilesTest, ParsesIntegers) {
  EXPECT_EQ(ReadIntegerFile(WriteFile("n", "96364\n")), 96364);
  EXPECT_EQ(ReadIntegerFile(WriteFile("negative", "-1\n")), -1);
  EXPECT_EQ(ReadIntegerFile(WriteFile("max", "max\n")), std::nullopt);
  EXPECT_EQ(ReadIntegerFile(WriteFile("trailing", "12 kB\n")), std::nullopt);
  EXPECT_EQ(ReadIntegerFile(directory_ / "missing"), std::nullopt);
}

TEST(SplitWordsTest, DropsEmptyPieces) {
  EXPECT_EQ(SplitWords("  a \tb\n\nc "), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(SplitWords("cpu,,cpuacct", ","), (std::vector<std::string>{"cpu", "cpuacct"}));
  EXPECT_TRUE(SplitWords("   ").empty());
}

TEST(JoinOrNoneTest, JoinsWithCommas) {
  EXPECT_EQ(JoinOrNone({}), "none");
  EXPECT_EQ(JoinOrNone({"memory"}), "memory");
  EXPECT_EQ(JoinOrNone({"memory", "pids"}), "memory, pids");
}

}  // namespace
}  // namespace fathom::sandbox
