// tokenizer.json validation and the BPE merge order on a small synthetic tokenizer: every
// unsupported feature or inconsistent table is an error that names it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "base/file.h"
#include "engine/tokenizer/tokenizer.h"
#include "tests/engine/tokenizer/test_tokenizer_json.h"

namespace fathom::engine {
namespace {

using base::Json;
using ::testing::HasSubstr;

std::vector<int32_t> EncodeOrDie(const Tokenizer& tokenizer, std::string_view text) {
  auto ids = tokenizer.Encode(text);
  EXPECT_TRUE(ids.ok()) << ids.error();
  return ids.ok() ? *ids : std::vector<int32_t>{};
}

TEST(TokenizerJsonTest, MergesByRankThenLeftmost) {
  auto tokenizer = Tokenizer::FromJson(SmallTokenizerJson());
  ASSERT_TRUE(tokenizer.ok()) << tokenizer.error();
  // "hello" → he ll o → hell o; " world" → Ġw o r l d.
  EXPECT_EQ(EncodeOrDie(*tokenizer, "hello world"),
            (std::vector<int32_t>{258, 'o', 259, 'o', 'r', 'l', 'd'}));
  // "b c" (rank 4) merges before "a b" (rank 5) although "a b" is further left.
  EXPECT_EQ(EncodeOrDie(*tokenizer, "abc"), (std::vector<int32_t>{'a', 260}));
  EXPECT_EQ(EncodeOrDie(*tokenizer, "ab<eot>hello"), (std::vector<int32_t>{261, 262, 258, 'o'}));
  EXPECT_EQ(EncodeOrDie(*tokenizer, ""), std::vector<int32_t>{});
  EXPECT_EQ(tokenizer->vocab_size(), 263);
  EXPECT_EQ(tokenizer->TokenText(259), "Ġw");
  EXPECT_EQ(tokenizer->TokenBytes(259), " w");
}

TEST(TokenizerJsonTest, AcceptsMergesAsPairs) {
  Json json = SmallTokenizerJson();
  json["model"]["merges"] = Json::array({Json::array({"h", "e"})});
  auto tokenizer = Tokenizer::FromJson(json);
  ASSERT_TRUE(tokenizer.ok()) << tokenizer.error();
  EXPECT_EQ(EncodeOrDie(*tokenizer, "he"), std::vector<int32_t>{256});
}

struct BadCase {
  std::string name;
  std::function<void(Json&)> change;
  std::string message;  // a substring of the error
};

TEST(TokenizerJsonTest, UnsupportedOrInvalidInputsNameTheFeature) {
  const std::vector<BadCase> cases = {
      {"model type", [](Json& j) { j["model"]["type"] = "WordPiece"; }, "model \"WordPiece\""},
      {"dropout", [](Json& j) { j["model"]["dropout"] = 0.1; }, "BPE dropout"},
      {"byte fallback", [](Json& j) { j["model"]["byte_fallback"] = true; }, "byte_fallback"},
      {"subword prefix", [](Json& j) { j["model"]["continuing_subword_prefix"] = "##"; },
       "continuing_subword_prefix"},
      {"normalizer",
       [](Json& j) {
         j["normalizer"] = {{"type", "NFC"}};
       },
       "normalizer \"NFC\""},
      {"truncation",
       [](Json& j) {
         j["truncation"] = {{"max_length", 8}};
       },
       "truncation"},
      {"unknown key", [](Json& j) { j["extra"] = 1; }, "top-level key \"extra\""},
      {"lstrip", [](Json& j) { j["added_tokens"][0]["lstrip"] = true; }, "\"lstrip\": true"},
      {"single word", [](Json& j) { j["added_tokens"][0]["single_word"] = true; }, "single_word"},
      {"empty added token", [](Json& j) { j["added_tokens"][0]["content"] = ""; }, "empty content"},
      {"added id clash", [](Json& j) { j["added_tokens"][0]["id"] = 256; },
       "id 256 is already token \"he\""},
      {"split behavior",
       [](Json& j) { j["pre_tokenizer"]["pretokenizers"][0]["behavior"] = "Removed"; },
       "Split behavior \"Removed\""},
      {"split string pattern",
       [](Json& j) {
         j["pre_tokenizer"]["pretokenizers"][0]["pattern"] = {{"String", " "}};
       },
       "Split pattern"},
      {"bad regex",
       [](Json& j) { j["pre_tokenizer"]["pretokenizers"][0]["pattern"]["Regex"] = "(ab"; },
       "regex \"(ab\" does not compile"},
      {"byte level regex",
       [](Json& j) { j["pre_tokenizer"]["pretokenizers"][1]["use_regex"] = true; }, "use_regex"},
      {"metaspace",
       [](Json& j) {
         j["pre_tokenizer"]["pretokenizers"][1] = {{"type", "Metaspace"}};
       },
       "\"Metaspace\""},
      {"decoder",
       [](Json& j) {
         j["decoder"] = {{"type", "WordPiece"}};
       },
       "decoder \"WordPiece\""},
      {"post processor",
       [](Json& j) {
         j["post_processor"] = {{"type", "BertProcessing"}};
       },
       "post_processor \"BertProcessing\""},
      {"missing byte", [](Json& j) { j["model"]["vocab"].erase("Ġ"); }, "byte 32"},
      {"merge out of vocabulary", [](Json& j) { j["model"]["merges"].push_back("o r"); },
       "merge 6 (\"o\" + \"r\"): \"or\" is not in the vocabulary"},
      {"malformed merge", [](Json& j) { j["model"]["merges"][0] = "h e x"; }, "merge 0"},
      {"shared id", [](Json& j) { j["model"]["vocab"]["he"] = 257; }, "share id 257"},
      {"negative id", [](Json& j) { j["model"]["vocab"]["he"] = -3; }, "not an integer"},
  };
  for (const BadCase& bad : cases) {
    Json json = SmallTokenizerJson();
    bad.change(json);
    auto tokenizer = Tokenizer::FromJson(json);
    ASSERT_FALSE(tokenizer.ok()) << bad.name;
    EXPECT_THAT(tokenizer.error().message(), HasSubstr(bad.message)) << bad.name;
    EXPECT_THAT(tokenizer.error().message(), HasSubstr("tokenizer.json")) << bad.name;
  }
}

TEST(TokenizerJsonTest, LoadErrorsNameTheFile) {
  const std::filesystem::path directory = std::filesystem::temp_directory_path() /
                                          ("fathom_tokenizer_test_" + std::to_string(getpid()));
  std::filesystem::create_directories(directory);
  const std::filesystem::path broken = directory / "tokenizer.json";
  ASSERT_TRUE(base::WriteFileAtomically(broken, "{\"model\": ").ok());
  auto tokenizer = Tokenizer::Load(broken);
  ASSERT_FALSE(tokenizer.ok());
  EXPECT_THAT(tokenizer.error().message(), HasSubstr(broken.string()));

  Json json = SmallTokenizerJson();
  json["decoder"] = nullptr;
  ASSERT_TRUE(base::WriteFileAtomically(broken, json.dump()).ok());
  tokenizer = Tokenizer::Load(broken);
  ASSERT_FALSE(tokenizer.ok());
  EXPECT_THAT(tokenizer.error().message(), HasSubstr(broken.string() + ": tokenizer.json: "));
  EXPECT_EQ(tokenizer.error().code(), base::ErrorCode::kUnimplemented);

  tokenizer = Tokenizer::Load(directory / "missing.json");
  ASSERT_FALSE(tokenizer.ok());
  EXPECT_THAT(tokenizer.error().message(), HasSubstr("missing.json"));
  std::filesystem::remove_all(directory);
}

}  // namespace
}  // namespace fathom::engine
