// SafetensorsFile: round trip of every dtype and the header validation failures, each with the
// message a user would see.
#include "engine/weights/safetensors_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "tests/engine/weights/safetensors_test_util.h"

namespace fathom::engine {
namespace {

using testing::BuildSafetensors;
using testing::BytesOf;
using ::testing::HasSubstr;
using testing::SafetensorsBytes;
using testing::TempDir;
using testing::TestTensor;

// One tensor of every dtype, with distinctive bytes.
std::vector<TestTensor> EveryDTypeTensors() {
  return {
      {"f32", "F32", {2, 2}, BytesOf<float>({1.5f, -2.25f, 0.0f, 3e10f})},
      {"f16", "F16", {3}, BytesOf<uint16_t>({0x3C00, 0xC000, 0x0001})},
      {"bf16", "BF16", {1, 3}, BytesOf<uint16_t>({0x3F80, 0xC040, 0x4049})},
      {"f8_e4m3", "F8_E4M3", {2, 2}, BytesOf<uint8_t>({0x38, 0xB8, 0x7E, 0x01})},
      {"f8_e8m0", "F8_E8M0", {2}, BytesOf<uint8_t>({127, 130})},
      {"i8", "I8", {4}, BytesOf<int8_t>({-128, -1, 0, 127})},
      {"u8", "U8", {2}, BytesOf<uint8_t>({0, 255})},
      {"i32", "I32", {2}, BytesOf<int32_t>({-7, 2147483647})},
      {"i64", "I64", {1, 2}, BytesOf<int64_t>({-5, int64_t{1} << 40})},
      {"scalar", "F32", {}, BytesOf<float>({42.0f})},
      {"empty", "BF16", {0, 4}, ""},
  };
}

class SafetensorsFileTest : public ::testing::Test {
 protected:
  // Writes `bytes` to a file and returns the error Open reports for it.
  std::string OpenError(const std::string& bytes) {
    std::filesystem::path path = dir_ / "bad.safetensors";
    testing::WriteBytes(path, bytes);
    base::Result<SafetensorsFile> file = SafetensorsFile::Open(path);
    if (file.ok()) return "<opened>";
    EXPECT_THAT(file.error().message(), HasSubstr(path.string()));
    return file.error().message();
  }

  // A file whose header is `header` (JSON text) followed by `data_size` zero bytes.
  std::string OpenErrorForHeader(const std::string& header, size_t data_size) {
    return OpenError(SafetensorsBytes(header, std::string(data_size, '\0')));
  }

  TempDir dir_;
};

TEST_F(SafetensorsFileTest, RoundTripsEveryDType) {
  std::vector<TestTensor> written = EveryDTypeTensors();
  std::filesystem::path path = dir_ / "every.safetensors";
  testing::WriteBytes(path, BuildSafetensors(written, {{"format", "pt"}}));

  base::Result<SafetensorsFile> file = SafetensorsFile::Open(path);
  ASSERT_TRUE(file.ok()) << file.error();
  EXPECT_EQ(file->path(), path);
  EXPECT_EQ(file->metadata().at("format"), "pt");
  ASSERT_EQ(file->tensors().size(), written.size());
  for (const TestTensor& expected : written) {
    SCOPED_TRACE(expected.name);
    const TensorView* tensor = file->Find(expected.name);
    ASSERT_NE(tensor, nullptr);
    EXPECT_EQ(tensor->name, expected.name);
    EXPECT_EQ(DTypeName(tensor->dtype), expected.dtype);
    EXPECT_EQ(tensor->shape, expected.shape);
    std::string bytes(reinterpret_cast<const char*>(tensor->data.data()), tensor->data.size());
    EXPECT_EQ(bytes, expected.bytes);
  }
  EXPECT_EQ(file->Find("f32")->NumElements(), 4);
  EXPECT_EQ(file->Find("scalar")->NumElements(), 1);
  EXPECT_EQ(file->Find("empty")->NumElements(), 0);
  EXPECT_EQ(file->Find("missing"), nullptr);
}

TEST_F(SafetensorsFileTest, ListsTensorsSortedByName) {
  testing::WriteBytes(dir_ / "order.safetensors",
                      BuildSafetensors({{"b", "U8", {1}, "x"}, {"a", "U8", {1}, "y"}}));
  base::Result<SafetensorsFile> file = SafetensorsFile::Open(dir_ / "order.safetensors");
  ASSERT_TRUE(file.ok()) << file.error();
  ASSERT_EQ(file->tensors().size(), 2u);
  EXPECT_EQ(file->tensors()[0].name, "a");
  EXPECT_EQ(file->tensors()[1].name, "b");
}

TEST_F(SafetensorsFileTest, AcceptsHeaderPaddedWithSpaces) {
  std::string header = R"({"t":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}})";
  testing::WriteBytes(dir_ / "padded.safetensors", SafetensorsBytes(header + "    ", "ab"));
  base::Result<SafetensorsFile> file = SafetensorsFile::Open(dir_ / "padded.safetensors");
  ASSERT_TRUE(file.ok()) << file.error();
  EXPECT_EQ(file->Find("t")->data.size(), 2u);
}

TEST_F(SafetensorsFileTest, RejectsFileShorterThanLengthPrefix) {
  EXPECT_THAT(OpenError("abc"), HasSubstr("file is 3 bytes, too short for the 8-byte header"));
  EXPECT_THAT(OpenError(""), HasSubstr("file is 0 bytes"));
}

TEST_F(SafetensorsFileTest, RejectsHeaderLengthPastEndOfFile) {
  std::string bytes = SafetensorsBytes("{}", "");
  bytes[0] = 100;
  EXPECT_THAT(OpenError(bytes), HasSubstr("header length 100 runs past the end of the file, "
                                          "which has 2 bytes after the length"));
}

TEST_F(SafetensorsFileTest, RejectsAbsurdHeaderLengths) {
  std::string huge(8, '\xff');
  EXPECT_THAT(OpenError(huge + "{}"), HasSubstr("exceeds the limit of 100 MiB"));
  EXPECT_THAT(OpenError(SafetensorsBytes("{", "")), HasSubstr("header length 1 is below"));
}

TEST_F(SafetensorsFileTest, RejectsHeaderThatIsNotJson) {
  EXPECT_THAT(OpenErrorForHeader("{not json}", 0), HasSubstr("header is not valid JSON"));
  EXPECT_THAT(OpenErrorForHeader("[1, 2]", 0), HasSubstr("header is [1,2], not an object"));
  EXPECT_THAT(OpenErrorForHeader("{\"bad\xff\": 1}", 0), HasSubstr("header is not valid JSON"));
}

TEST_F(SafetensorsFileTest, RejectsUnknownDType) {
  std::string header = R"({"w":{"dtype":"F4","shape":[2],"data_offsets":[0,1]}})";
  std::string error = OpenErrorForHeader(header, 1);
  EXPECT_THAT(error, HasSubstr("tensor 'w': unsupported dtype 'F4'"));
}

TEST_F(SafetensorsFileTest, RejectsMalformedEntries) {
  EXPECT_THAT(OpenErrorForHeader(R"({"w":{"shape":[1],"data_offsets":[0,1]}})", 1),
              HasSubstr("tensor 'w': entry has no \"dtype\""));
  EXPECT_THAT(OpenErrorForHeader(R"({"w":{"dtype":"U8","shape":[-1],"data_offsets":[0,1]}})", 1),
              HasSubstr("tensor 'w': shape [-1] has a dimension -1 that is not a non-negative"));
  EXPECT_THAT(OpenErrorForHeader(R"({"w":{"dtype":"U8","shape":[1.5],"data_offsets":[0,1]}})", 1),
              HasSubstr("dimension 1.5"));
  EXPECT_THAT(OpenErrorForHeader(R"({"w":{"dtype":"U8","shape":[1],"data_offsets":[0]}})", 1),
              HasSubstr("tensor 'w': data_offsets is [0], expected [begin, end]"));
  EXPECT_THAT(OpenErrorForHeader(R"({"w":[1]})", 1), HasSubstr("tensor 'w': entry is [1]"));
}

TEST_F(SafetensorsFileTest, RejectsOffsetsOutsideDataSection) {
  std::string header = R"({"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})";
  EXPECT_THAT(OpenErrorForHeader(header, 8),
              HasSubstr("tensor 'w': data_offsets [0, 16] are outside the data section of 8 "
                        "bytes (truncated file?)"));
  std::string reversed = R"({"w":{"dtype":"U8","shape":[0],"data_offsets":[4,2]}})";
  EXPECT_THAT(OpenErrorForHeader(reversed, 8), HasSubstr("data_offsets [4, 2] are outside"));
}

TEST_F(SafetensorsFileTest, RejectsTruncatedDataSection) {
  std::string whole = BuildSafetensors({{"w", "F32", {4}, BytesOf<float>({1, 2, 3, 4})}});
  std::string error = OpenError(whole.substr(0, whole.size() - 3));
  EXPECT_THAT(error, HasSubstr("tensor 'w': data_offsets [0, 16] are outside the data section "
                               "of 13 bytes"));
}

TEST_F(SafetensorsFileTest, RejectsSizeThatDisagreesWithShape) {
  std::string header = R"({"w":{"dtype":"BF16","shape":[2,3],"data_offsets":[0,10]}})";
  EXPECT_THAT(OpenErrorForHeader(header, 16),
              HasSubstr("tensor 'w': data_offsets [0, 10] hold 10 bytes, but shape [2, 3] of "
                        "BF16 needs 12"));
}

TEST_F(SafetensorsFileTest, RejectsShapeWhoseSizeOverflows) {
  std::string header =
      R"({"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,0]}})";
  EXPECT_THAT(OpenErrorForHeader(header, 0), HasSubstr("tensor 'w': the element count of shape "
                                                       "[4294967296, 4294967296] overflows"));
}

TEST_F(SafetensorsFileTest, RejectsOverlappingRanges) {
  std::string header = R"({"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},)"
                       R"("b":{"dtype":"U8","shape":[4],"data_offsets":[2,6]}})";
  EXPECT_THAT(OpenErrorForHeader(header, 8),
              HasSubstr("tensor 'b' at bytes [2, 6) overlaps tensor 'a' at [0, 4)"));
}

TEST_F(SafetensorsFileTest, AllowsEmptyTensorsAnywhere) {
  std::string header = R"({"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},)"
                       R"("b":{"dtype":"U8","shape":[0],"data_offsets":[2,2]}})";
  testing::WriteBytes(dir_ / "empty.safetensors", SafetensorsBytes(header, "wxyz"));
  EXPECT_TRUE(SafetensorsFile::Open(dir_ / "empty.safetensors").ok());
}

TEST_F(SafetensorsFileTest, RejectsMetadataThatIsNotStrings) {
  EXPECT_THAT(OpenErrorForHeader(R"({"__metadata__":{"format":1}})", 0),
              HasSubstr("__metadata__ entry 'format' is 1, expected a string"));
}

TEST_F(SafetensorsFileTest, ReportsMissingFile) {
  base::Result<SafetensorsFile> file = SafetensorsFile::Open(dir_ / "absent.safetensors");
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.error().code(), base::ErrorCode::kNotFound);
  EXPECT_THAT(file.error().message(), HasSubstr("absent.safetensors"));
}

}  // namespace
}  // namespace fathom::engine
