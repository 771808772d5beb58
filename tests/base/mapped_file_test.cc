#include "base/mapped_file.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "base/file.h"
#include "tests/base/temp_dir.h"

namespace fathom::base {
namespace {

std::string AsString(std::span<const std::byte> bytes) {
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

TEST(MappedFileTest, MapsContents) {
  testing::ScopedTempDir dir;
  std::string contents = "safetensors header and payload";
  ASSERT_TRUE(WriteFileAtomically(dir / "weights", contents).ok());
  Result<MappedFile> file = MappedFile::Open(dir / "weights");
  ASSERT_TRUE(file.ok()) << file.error();
  EXPECT_EQ(file->size(), contents.size());
  EXPECT_EQ(AsString(file->bytes()), contents);
  EXPECT_EQ(file->path(), dir / "weights");
}

TEST(MappedFileTest, EmptyFileGivesEmptySpan) {
  testing::ScopedTempDir dir;
  ASSERT_TRUE(WriteFileAtomically(dir / "empty", "").ok());
  Result<MappedFile> file = MappedFile::Open(dir / "empty");
  ASSERT_TRUE(file.ok()) << file.error();
  EXPECT_EQ(file->size(), 0u);
  EXPECT_TRUE(file->bytes().empty());
}

TEST(MappedFileTest, MappingOutlivesFileRemovalAndSurvivesMoves) {
  testing::ScopedTempDir dir;
  ASSERT_TRUE(WriteFileAtomically(dir / "data", "0123456789").ok());
  Result<MappedFile> opened = MappedFile::Open(dir / "data");
  ASSERT_TRUE(opened.ok());
  std::filesystem::remove(dir / "data");
  MappedFile moved = std::move(opened).value();
  EXPECT_EQ(AsString(moved.bytes()), "0123456789");
  ASSERT_TRUE(WriteFileAtomically(dir / "other", "abc").ok());
  Result<MappedFile> other = MappedFile::Open(dir / "other");
  ASSERT_TRUE(other.ok());
  moved = std::move(*other);
  EXPECT_EQ(AsString(moved.bytes()), "abc");
  EXPECT_EQ(moved.path(), dir / "other");
  EXPECT_EQ(other->size(), 0u);
}

TEST(MappedFileTest, MissingFileIsNotFoundAndNamesPath) {
  testing::ScopedTempDir dir;
  Result<MappedFile> file = MappedFile::Open(dir / "absent.safetensors");
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(file.error().message().find("absent.safetensors"), std::string::npos);
}

TEST(MappedFileTest, DirectoryIsRejectedAndNamed) {
  testing::ScopedTempDir dir;
  Result<MappedFile> file = MappedFile::Open(dir.path());
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(file.error().message().find(dir.path().string()), std::string::npos);
}

}  // namespace
}  // namespace fathom::base
