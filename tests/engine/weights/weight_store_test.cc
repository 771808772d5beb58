// WeightStore: single files, directories, Hugging Face sharded checkpoints, lookups and the
// messages of each failure.
#include "engine/weights/weight_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/engine/weights/safetensors_test_util.h"

namespace fathom::engine {
namespace {

using testing::BuildSafetensors;
using testing::BytesOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::WriteBytes;

constexpr std::string_view kIndexName = "model.safetensors.index.json";

class WeightStoreTest : public ::testing::Test {
 protected:
  // Two shards: shard 1 holds "embed.weight" and "layers.0.attn.wq_a.weight", shard 2
  // "layers.1.attn.wq_a.weight" and "norm.weight".
  void WriteTwoShards() {
    WriteBytes(dir_ / "shard-1.safetensors",
               BuildSafetensors({{"embed.weight", "BF16", {4, 2}, std::string(16, '\1')},
                                 {"layers.0.attn.wq_a.weight", "F8_E4M3", {2, 4}, "abcdefgh"}}));
    WriteBytes(dir_ / "shard-2.safetensors",
               BuildSafetensors({{"layers.1.attn.wq_a.weight", "F8_E4M3", {2, 4}, "ijklmnop"},
                                 {"norm.weight", "F32", {2}, BytesOf<float>({1, 2})}}));
  }

  // The index of WriteTwoShards, listing every tensor.
  void WriteFullIndex() {
    WriteIndex(R"({"embed.weight": "shard-1.safetensors",
                   "layers.0.attn.wq_a.weight": "shard-1.safetensors",
                   "layers.1.attn.wq_a.weight": "shard-2.safetensors",
                   "norm.weight": "shard-2.safetensors"})");
  }

  void WriteIndex(const std::string& weight_map) {
    WriteBytes(dir_ / kIndexName,
               R"({"metadata": {"total_size": 42}, "weight_map": )" + weight_map + "}");
  }

  std::string OpenError() {
    base::Result<WeightStore> store = WeightStore::Open(dir_.path());
    return store.ok() ? "<opened>" : store.error().message();
  }

  testing::TempDir dir_;
};

TEST_F(WeightStoreTest, OpensSingleFile) {
  WriteBytes(dir_ / "one.safetensors",
             BuildSafetensors({{"b", "U8", {1}, "x"}, {"a", "U8", {2}, "yz"}}));
  base::Result<WeightStore> store = WeightStore::Open(dir_ / "one.safetensors");
  ASSERT_TRUE(store.ok()) << store.error();
  EXPECT_EQ(store->size(), 2u);
  EXPECT_THAT(store->Names(), ElementsAre("a", "b"));
  EXPECT_TRUE(store->Contains("a"));
  EXPECT_FALSE(store->Contains("c"));
  base::Result<const TensorView*> tensor = store->Get("a");
  ASSERT_TRUE(tensor.ok()) << tensor.error();
  EXPECT_EQ((*tensor)->data.size(), 2u);
}

TEST_F(WeightStoreTest, OpensDirectoryWithModelSafetensors) {
  WriteBytes(dir_ / "model.safetensors", BuildSafetensors({{"a", "U8", {1}, "x"}}));
  base::Result<WeightStore> store = WeightStore::Open(dir_.path());
  ASSERT_TRUE(store.ok()) << store.error();
  EXPECT_THAT(store->Names(), ElementsAre("a"));
  EXPECT_EQ(store->FileOf("a")->path(), dir_ / "model.safetensors");
}

TEST_F(WeightStoreTest, OpensTwoShards) {
  WriteTwoShards();
  WriteFullIndex();
  base::Result<WeightStore> opened = WeightStore::Open(dir_.path());
  ASSERT_TRUE(opened.ok()) << opened.error();
  WeightStore store = std::move(opened).value();
  EXPECT_THAT(store.Names(), ElementsAre("embed.weight", "layers.0.attn.wq_a.weight",
                                         "layers.1.attn.wq_a.weight", "norm.weight"));
  EXPECT_EQ(store.FileOf("norm.weight")->path(), dir_ / "shard-2.safetensors");
  base::Result<const TensorView*> wq_a = store.Get("layers.1.attn.wq_a.weight");
  ASSERT_TRUE(wq_a.ok()) << wq_a.error();
  EXPECT_EQ(std::string(reinterpret_cast<const char*>((*wq_a)->data.data()), 8), "ijklmnop");
  EXPECT_TRUE(store.ExpectShape(**wq_a, {2, 4}).ok());
}

TEST_F(WeightStoreTest, GetNamesMissingTensorAndSuggestsCloseName) {
  WriteTwoShards();
  WriteFullIndex();
  base::Result<WeightStore> store = WeightStore::Open(dir_.path());
  ASSERT_TRUE(store.ok()) << store.error();
  base::Result<const TensorView*> missing = store->Get("layers.2.attn.wq_a.weight");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), base::ErrorCode::kNotFound);
  EXPECT_THAT(
      missing.error().message(),
      HasSubstr("tensor 'layers.2.attn.wq_a.weight' not found in model " + dir_.path().string() +
                " (4 tensors); did you mean "
                "'layers.0.attn.wq_a.weight'?"));
  base::Result<const TensorView*> unlike = store->Get("completely.different");
  ASSERT_FALSE(unlike.ok());
  EXPECT_THAT(unlike.error().message(), ::testing::Not(HasSubstr("did you mean")));
}

TEST_F(WeightStoreTest, ExpectShapeNamesTensorFileAndBothShapes) {
  WriteTwoShards();
  WriteFullIndex();
  base::Result<WeightStore> store = WeightStore::Open(dir_.path());
  ASSERT_TRUE(store.ok()) << store.error();
  const TensorView* embed = *store->Get("embed.weight");
  base::Status status = store->ExpectShape(*embed, {2, 4});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message(), "tensor 'embed.weight' in file " +
                                          (dir_ / "shard-1.safetensors").string() +
                                          " has shape [4, 2], expected [2, 4]");
  EXPECT_FALSE(store->ExpectShape(*embed, {4, 2, 1}).ok());
}

TEST_F(WeightStoreTest, RejectsIndexReferencingMissingShard) {
  WriteTwoShards();
  WriteIndex(R"({"embed.weight": "shard-1.safetensors", "lost.weight": "shard-3.safetensors"})");
  EXPECT_THAT(OpenError(),
              HasSubstr("maps tensor 'lost.weight' to shard " +
                        (dir_ / "shard-3.safetensors").string() + ", which does not exist"));
}

TEST_F(WeightStoreTest, RejectsIndexTensorMissingFromItsShard) {
  WriteTwoShards();
  WriteIndex(R"({"embed.weight": "shard-1.safetensors", "norm.weight": "shard-1.safetensors"})");
  std::string error = OpenError();
  EXPECT_THAT(error, HasSubstr("index " + (dir_ / kIndexName).string()));
  EXPECT_THAT(error,
              HasSubstr("maps tensor 'norm.weight' to shard " +
                        (dir_ / "shard-1.safetensors").string() + ", which does not contain it"));
}

TEST_F(WeightStoreTest, RejectsTensorInTwoShards) {
  WriteTwoShards();
  WriteBytes(dir_ / "shard-3.safetensors",
             BuildSafetensors({{"norm.weight", "U8", {1}, "x"}, {"other", "U8", {1}, "y"}}));
  WriteIndex(R"({"embed.weight": "shard-1.safetensors", "norm.weight": "shard-2.safetensors",
                 "other": "shard-3.safetensors"})");
  EXPECT_THAT(OpenError(), HasSubstr("tensor 'norm.weight' appears in both " +
                                     (dir_ / "shard-2.safetensors").string() + " and " +
                                     (dir_ / "shard-3.safetensors").string()));
}

TEST_F(WeightStoreTest, RejectsShardOutsideDirectory) {
  WriteTwoShards();
  WriteIndex(R"({"embed.weight": "../shard-1.safetensors"})");
  EXPECT_THAT(OpenError(), HasSubstr("tensor 'embed.weight' is not mapped to a file name in the "
                                     "same directory"));
}

TEST_F(WeightStoreTest, OpensOnlyTheShardsTheIndexNames) {
  WriteTwoShards();
  WriteIndex(R"({"norm.weight": "shard-2.safetensors"})");
  base::Result<WeightStore> store = WeightStore::Open(dir_.path());
  ASSERT_TRUE(store.ok()) << store.error();
  EXPECT_THAT(store->Names(), ElementsAre("layers.1.attn.wq_a.weight", "norm.weight"));
}

TEST_F(WeightStoreTest, RejectsMalformedIndex) {
  WriteBytes(dir_ / kIndexName, R"({"weights": {}})");
  EXPECT_THAT(OpenError(), HasSubstr("expected an object with a \"weight_map\" object"));
  WriteBytes(dir_ / kIndexName, "{");
  EXPECT_THAT(OpenError(), HasSubstr(kIndexName));
}

TEST_F(WeightStoreTest, ReportsShardErrorsWithTheShardName) {
  WriteBytes(dir_ / "shard-1.safetensors", "short");
  WriteIndex(R"({"embed.weight": "shard-1.safetensors"})");
  EXPECT_THAT(OpenError(),
              HasSubstr((dir_ / "shard-1.safetensors").string() + ": file is 5 bytes"));
}

TEST_F(WeightStoreTest, RejectsMissingPathAndEmptyDirectory) {
  base::Result<WeightStore> missing = WeightStore::Open(dir_ / "nowhere");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), base::ErrorCode::kNotFound);
  EXPECT_THAT(missing.error().message(), HasSubstr("nowhere does not exist"));
  EXPECT_THAT(OpenError(), HasSubstr("holds neither model.safetensors.index.json nor "
                                     "model.safetensors"));
}

}  // namespace
}  // namespace fathom::engine
