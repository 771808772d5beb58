#include "base/json.h"

#include <gtest/gtest.h>

#include "base/file.h"
#include "tests/base/temp_dir.h"

namespace fathom::base {
namespace {

TEST(JsonTest, ParsesDocument) {
  Result<Json> json = ParseJson(R"({"name": "fathom", "layers": [1, 2, 3], "ok": true})");
  ASSERT_TRUE(json.ok()) << json.error();
  EXPECT_EQ(json->at("name"), "fathom");
  EXPECT_EQ(json->at("layers").size(), 3u);
  EXPECT_TRUE(json->at("ok").get<bool>());
}

TEST(JsonTest, SyntaxErrorNamesByteOffsetAndReason) {
  Result<Json> json = ParseJson(R"({"a": 1,, "b": 2})");
  ASSERT_FALSE(json.ok());
  EXPECT_EQ(json.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(json.error().message().find("byte offset 9"), std::string::npos)
      << json.error().message();
  EXPECT_NE(json.error().message().find("syntax error"), std::string::npos);
  EXPECT_EQ(json.error().message().find("[json.exception"), std::string::npos);
}

TEST(JsonTest, TruncatedAndEmptyInputFail) {
  Result<Json> truncated = ParseJson(R"({"a": [1, 2)");
  ASSERT_FALSE(truncated.ok());
  EXPECT_NE(truncated.error().message().find("unexpected end of input"), std::string::npos)
      << truncated.error().message();
  EXPECT_FALSE(ParseJson("").ok());
  EXPECT_FALSE(ParseJson("{} trailing").ok());
}

TEST(JsonTest, InvalidUtf8StringFails) {
  Result<Json> json = ParseJson("\"\xC0\xAF\"");
  ASSERT_FALSE(json.ok());
  EXPECT_EQ(json.error().code(), ErrorCode::kInvalidArgument);
}

TEST(JsonTest, ReadsFile) {
  testing::ScopedTempDir dir;
  ASSERT_TRUE(WriteFileAtomically(dir / "config.json", R"({"hidden_size": 4096})").ok());
  Result<Json> json = ReadJsonFile(dir / "config.json");
  ASSERT_TRUE(json.ok()) << json.error();
  EXPECT_EQ(json->at("hidden_size").get<int>(), 4096);
}

TEST(JsonTest, MissingFileIsNotFoundAndNamesPath) {
  testing::ScopedTempDir dir;
  Result<Json> json = ReadJsonFile(dir / "absent.json");
  ASSERT_FALSE(json.ok());
  EXPECT_EQ(json.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(json.error().message().find("absent.json"), std::string::npos);
}

TEST(JsonTest, BadFileNamesPathAndOffset) {
  testing::ScopedTempDir dir;
  ASSERT_TRUE(WriteFileAtomically(dir / "bad.json", "[1, 2,]").ok());
  Result<Json> json = ReadJsonFile(dir / "bad.json");
  ASSERT_FALSE(json.ok());
  EXPECT_EQ(json.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(json.error().message().find("bad.json"), std::string::npos);
  EXPECT_NE(json.error().message().find("byte offset 7"), std::string::npos)
      << json.error().message();
}

}  // namespace
}  // namespace fathom::base
