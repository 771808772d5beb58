// DeepSeek-V4 config parsing in both dialects (the fixtures' config.json files, checked against
// ../shared/fixtures/README.md) and the refusal of unsupported or malformed configs.
#include "engine/models/deepseek_v4/config.h"

#include <gtest/gtest.h>

#include "tests/engine/deepseek_v4/fixture.h"

namespace fathom::engine::deepseek_v4 {
namespace {

using testing::FixtureDir;

base::Json OfficialTinyJson() {
  auto json = base::ReadJsonFile(FixtureDir("official_tiny") / "config.json");
  EXPECT_TRUE(json.ok()) << json.error();
  return json.ok() ? *json : base::Json();
}

TEST(ConfigTest, ReadsTransformersDialect) {
  if (!std::filesystem::exists(FixtureDir("hf_tiny_a"))) GTEST_SKIP() << "no fixtures";
  auto config = LoadDeepSeekV4Config(FixtureDir("hf_tiny_a") / "config.json");
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_TRUE(config->transformers_format);
  EXPECT_EQ(config->num_layers, 6);
  std::vector<AttentionKind> kinds = {
      AttentionKind::kSliding,          AttentionKind::kSliding,
      AttentionKind::kCompressedSparse, AttentionKind::kHeavilyCompressed,
      AttentionKind::kCompressedSparse, AttentionKind::kHeavilyCompressed};
  EXPECT_EQ(config->attention_kinds, kinds);
  EXPECT_EQ(config->csa_ratio, 4);
  EXPECT_EQ(config->hca_ratio, 16);
  EXPECT_EQ(config->rope_head_dim, 16);
  EXPECT_EQ(config->routing_kinds[2], RoutingKind::kHash);
  EXPECT_EQ(config->routing_kinds[3], RoutingKind::kScore);
  EXPECT_FALSE(config->main_rope.yarn);
  EXPECT_TRUE(config->compress_rope.yarn);
  EXPECT_DOUBLE_EQ(config->compress_rope.theta, 160000.0);
  EXPECT_DOUBLE_EQ(config->swiglu_limit, 0.25);
  EXPECT_FALSE(config->fp8_weights);
}

TEST(ConfigTest, ReadsReleaseDialect) {
  if (!std::filesystem::exists(FixtureDir("official_tiny"))) GTEST_SKIP() << "no fixtures";
  auto config = ParseDeepSeekV4Config(OfficialTinyJson());
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_FALSE(config->transformers_format);
  EXPECT_EQ(config->CompressRatio(0), 0);
  EXPECT_EQ(config->CompressRatio(2), 4);
  EXPECT_EQ(config->CompressRatio(3), 16);
  EXPECT_EQ(config->routing_kinds[2], RoutingKind::kHash);
  EXPECT_EQ(config->routing_kinds[3], RoutingKind::kScore);
  EXPECT_EQ(config->rope_head_dim, 64);
  EXPECT_EQ(config->compress_rope.original_max_position, 65536);
  EXPECT_DOUBLE_EQ(config->compress_rope.factor, 16.0);
  EXPECT_TRUE(config->fp8_weights);
  EXPECT_TRUE(config->fp4_experts);
}

TEST(ConfigTest, RefusesUnsupportedVariants) {
  if (!std::filesystem::exists(FixtureDir("official_tiny"))) GTEST_SKIP() << "no fixtures";
  for (const char* key : {"dspark_num_heads", "engram_layers"}) {
    base::Json json = OfficialTinyJson();
    json[key] = 1;
    auto config = ParseDeepSeekV4Config(json);
    ASSERT_FALSE(config.ok()) << key;
    EXPECT_EQ(config.error().code(), base::ErrorCode::kUnimplemented);
    EXPECT_NE(config.error().message().find(key), std::string::npos);
  }
}

TEST(ConfigTest, NamesTheOffendingKey) {
  if (!std::filesystem::exists(FixtureDir("official_tiny"))) GTEST_SKIP() << "no fixtures";
  base::Json missing = OfficialTinyJson();
  missing.erase("hidden_size");
  auto config = ParseDeepSeekV4Config(missing);
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message().find("'hidden_size' is missing"), std::string::npos);

  base::Json wrong_type = OfficialTinyJson();
  wrong_type["o_groups"] = "two";
  config = ParseDeepSeekV4Config(wrong_type);
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message().find("'o_groups' must be an integer"), std::string::npos);

  base::Json neither = OfficialTinyJson();
  neither.erase("compress_ratios");
  config = ParseDeepSeekV4Config(neither);
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message().find("layer_types"), std::string::npos);
}

TEST(ModelLoadTest, MismatchedCheckpointNamesTheTensor) {
  if (!std::filesystem::exists(FixtureDir("hf_tiny_a"))) GTEST_SKIP() << "no fixtures";
  base::ThreadPool pool(1);
  auto directory = std::filesystem::temp_directory_path() / "fathom_missing_tensor_model";
  std::filesystem::create_directories(directory);
  std::filesystem::copy_file(FixtureDir("official_tiny") / "config.json", directory / "config.json",
                             std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(FixtureDir("hf_tiny_a") / "model.safetensors",
                             directory / "model.safetensors",
                             std::filesystem::copy_options::overwrite_existing);
  auto model = DeepSeekV4Model::Load(directory, &pool);
  std::filesystem::remove_all(directory);
  ASSERT_FALSE(model.ok());
  // hf_tiny_a's tensors have other shapes than official_tiny's config: the first mismatch is named.
  EXPECT_NE(model.error().message().find("model.embed_tokens.weight"), std::string::npos)
      << model.error();
  EXPECT_NE(model.error().message().find("[512, 128]"), std::string::npos) << model.error();
}

}  // namespace
}  // namespace fathom::engine::deepseek_v4
