// `fathom generate` end to end on the hf_tiny_a fixture: the first greedy token is the argmax of
// transformers' golden logits at the prompt's last position; a text prompt goes through the
// golden tokenizer.json; bad input fails with a message.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <vector>

#include "engine/tokenizer/tokenizer.h"
#include "engine/weights/tensor_conversion.h"
#include "engine/weights/weight_store.h"
#include "tests/cli/run_fathom.h"

namespace fathom::cli {
namespace {

const std::filesystem::path kFixture =
    std::filesystem::path(FATHOM_SHARED_DIR) / "fixtures/hf_tiny_a";

TEST(GenerateCommandTest, FirstTokenIsTheGoldenArgmax) {
  if (!std::filesystem::exists(kFixture)) GTEST_SKIP() << "no fixtures";
  auto golden = engine::WeightStore::Open(kFixture / "golden.safetensors");
  ASSERT_TRUE(golden.ok()) << golden.error();
  auto ids = engine::ToInt32(**golden->Get("input_ids"));
  auto logits = engine::ToFloat32(**golden->Get("logits"));
  ASSERT_TRUE(ids.ok() && logits.ok());
  constexpr size_t kPrompt = 8, kVocab = 512;
  std::ostringstream prompt;
  for (size_t i = 0; i < kPrompt; ++i) prompt << (i ? "," : "") << (*ids)[i];
  auto row = logits->begin() + (kPrompt - 1) * kVocab;
  const long expected = std::max_element(row, row + kVocab) - row;

  const CommandOutput result = RunFathom("generate --model '" + kFixture.string() +
                                         "' --prompt-ids " + prompt.str() + " -n 4 --threads 2");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("generated: " + std::to_string(expected) + " "), std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("decode: 3 tokens"), std::string::npos) << result.output;
}

TEST(GenerateCommandTest, OutOfVocabularyPromptIsAnError) {
  if (!std::filesystem::exists(kFixture)) GTEST_SKIP() << "no fixtures";
  const CommandOutput result =
      RunFathom("generate --model '" + kFixture.string() + "' --prompt-ids 1,99999");
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_NE(result.output.find("token id 99999 is outside the vocabulary of 512"),
            std::string::npos)
      << result.output;
}

const std::filesystem::path kTokenizer =
    std::filesystem::path(FATHOM_SHARED_DIR) / "fixtures/tokenizer/deepseek_v3_tokenizer.json";

TEST(GenerateCommandTest, TextPromptIsTokenizedAndOutputDecoded) {
  if (!std::filesystem::exists(kFixture)) GTEST_SKIP() << "no fixtures";
  // The tiny model has a 512-token vocabulary; "a b c" encodes to ids below it.
  const CommandOutput result =
      RunFathom("generate --model '" + kFixture.string() + "' --tokenizer '" + kTokenizer.string() +
                "' --prompt 'a b c' -n 3 --threads 2");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("prompt ids: 67 291 274\n"), std::string::npos) << result.output;

  // The printed text is the tokenizer's decoding of the printed ids.
  const size_t line = result.output.find("generated:");
  ASSERT_NE(line, std::string::npos) << result.output;
  std::istringstream ids(result.output.substr(line + 10, result.output.find('\n', line) - line));
  std::vector<int32_t> generated;
  for (int32_t id; ids >> id;) generated.push_back(id);
  ASSERT_EQ(generated.size(), 3u) << result.output;
  auto tokenizer = engine::Tokenizer::Load(kTokenizer);
  ASSERT_TRUE(tokenizer.ok()) << tokenizer.error();
  auto text = tokenizer->Decode(generated);
  ASSERT_TRUE(text.ok()) << text.error();
  EXPECT_NE(result.output.find("\ntext: " + *text + "\n"), std::string::npos) << result.output;
}

TEST(GenerateCommandTest, TextPromptWithoutTokenizerIsAnError) {
  if (!std::filesystem::exists(kFixture)) GTEST_SKIP() << "no fixtures";
  const CommandOutput result =
      RunFathom("generate --model '" + kFixture.string() + "' --prompt 'a b c'");
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_NE(result.output.find("has no tokenizer.json (pass --tokenizer PATH)"), std::string::npos)
      << result.output;
}

TEST(GenerateCommandTest, MissingModelDirectoryIsAnError) {
  const CommandOutput result = RunFathom("generate --model /nonexistent/model --prompt-ids 1");
  EXPECT_NE(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("/nonexistent/model"), std::string::npos) << result.output;
}

}  // namespace
}  // namespace fathom::cli
