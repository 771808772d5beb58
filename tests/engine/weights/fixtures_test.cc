// The real checkpoints under ../shared/fixtures: a Hugging Face bf16 model, the official
// FP8/FP4 format and a golden-output file. Skipped when the shared directory is absent.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "engine/weights/tensor_conversion.h"
#include "engine/weights/weight_store.h"

namespace fathom::engine {
namespace {

using ::testing::AllOf;
using ::testing::Each;
using ::testing::Ge;
using ::testing::Lt;

const std::filesystem::path kFixtures = std::filesystem::path(FATHOM_SHARED_DIR) / "fixtures";

class WeightFixturesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kFixtures)) GTEST_SKIP() << kFixtures << " is absent";
  }
};

// The tensor `name`, which must have `dtype` and `shape`.
const TensorView* Expect(const WeightStore& store, const std::string& name, DType dtype,
                         std::vector<int64_t> shape) {
  base::Result<const TensorView*> tensor = store.Get(name);
  EXPECT_TRUE(tensor.ok()) << tensor.error();
  if (!tensor.ok()) return nullptr;
  EXPECT_EQ(DTypeName((*tensor)->dtype), DTypeName(dtype)) << name;
  base::Status shape_ok = store.ExpectShape(**tensor, shape);
  EXPECT_TRUE(shape_ok.ok()) << shape_ok.error();
  return *tensor;
}

bool AllFinite(const std::vector<float>& values) {
  return std::all_of(values.begin(), values.end(),
                     [](float value) { return std::isfinite(value); });
}

TEST_F(WeightFixturesTest, HuggingFaceTinyModel) {
  base::Result<WeightStore> opened = WeightStore::Open(kFixtures / "hf_tiny_a");
  ASSERT_TRUE(opened.ok()) << opened.error();
  const WeightStore& store = *opened;
  // The file holds transformers' serialized names (release names under "model.", experts
  // unfused), not the module names of tensors.txt ("self_attn.q_a_proj", fused experts).
  EXPECT_EQ(store.size(), 304u);
  EXPECT_TRUE(store.Contains("model.embed_tokens.weight"));
  EXPECT_FALSE(store.Contains("model.layers.0.self_attn.q_a_proj.weight"));
  const TensorView* q_a = Expect(store, "model.layers.0.attn.wq_a.weight", DType::kBF16, {64, 128});
  ASSERT_NE(q_a, nullptr);
  base::Result<std::vector<float>> values = ToFloat32(*q_a);
  ASSERT_TRUE(values.ok()) << values.error();
  EXPECT_EQ(values->size(), 64u * 128u);
  EXPECT_TRUE(AllFinite(*values));
  EXPECT_TRUE(std::any_of(values->begin(), values->end(), [](float value) { return value != 0; }));
}

TEST_F(WeightFixturesTest, OfficialTinyModel) {
  base::Result<WeightStore> opened =
      WeightStore::Open(kFixtures / "official_tiny/model.safetensors");
  ASSERT_TRUE(opened.ok()) << opened.error();
  const WeightStore& store = *opened;
  EXPECT_EQ(store.size(), 492u);
  const TensorView* wq_a = Expect(store, "layers.0.attn.wq_a.weight", DType::kF8E4M3, {128, 256});
  Expect(store, "layers.0.attn.wq_a.scale", DType::kF8E8M0, {1, 2});
  Expect(store, "layers.0.ffn.experts.0.w1.weight", DType::kI8, {128, 128});
  const TensorView* tid2eid = Expect(store, "layers.0.ffn.gate.tid2eid", DType::kI64, {512, 3});
  ASSERT_NE(wq_a, nullptr);
  ASSERT_NE(tid2eid, nullptr);
  base::Result<std::vector<float>> weights = ToFloat32(*wq_a);
  ASSERT_TRUE(weights.ok()) << weights.error();
  EXPECT_TRUE(AllFinite(*weights));
  base::Result<std::vector<int32_t>> experts = ToInt32(*tid2eid);
  ASSERT_TRUE(experts.ok()) << experts.error();
  EXPECT_EQ(experts->size(), 512u * 3u);
  EXPECT_THAT(*experts, Each(AllOf(Ge(0), Lt(8))));

  std::map<std::string, int> census;
  for (const std::string& name : store.Names())
    ++census[std::string(DTypeName((*store.Get(name))->dtype))];
  EXPECT_EQ(
      census,
      (std::map<std::string, int>{
          {"BF16", 15}, {"F32", 98}, {"F8_E4M3", 44}, {"F8_E8M0", 188}, {"I64", 3}, {"I8", 144}}));
}

TEST_F(WeightFixturesTest, GoldenOutputs) {
  base::Result<WeightStore> opened = WeightStore::Open(kFixtures / "hf_tiny_a/golden.safetensors");
  ASSERT_TRUE(opened.ok()) << opened.error();
  const WeightStore& store = *opened;
  const TensorView* input_ids = Expect(store, "input_ids", DType::kI64, {256});
  const TensorView* logits = Expect(store, "logits", DType::kF32, {256, 512});
  ASSERT_NE(input_ids, nullptr);
  ASSERT_NE(logits, nullptr);
  base::Result<std::vector<int32_t>> ids = ToInt32(*input_ids);
  ASSERT_TRUE(ids.ok()) << ids.error();
  EXPECT_THAT(*ids, Each(AllOf(Ge(0), Lt(512))));
  base::Result<std::vector<float>> values = ToFloat32(*logits);
  ASSERT_TRUE(values.ok()) << values.error();
  EXPECT_EQ(values->size(), 256u * 512u);
  EXPECT_TRUE(AllFinite(*values));
}

}  // namespace
}  // namespace fathom::engine
