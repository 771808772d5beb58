// Predictions in every format the official harness reads (.jsonl, .json list, .json keyed by
// instance_id, the keywords gold and empty), checked against the real jq instances of the
// Multilingual export; and the errors: unknown or duplicate ids, bad entries, unknown formats.
#include "evals/predictions.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace fathom::evals {
namespace {

namespace fs = std::filesystem;

class PredictionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base::Result<std::vector<TaskInstance>> all = LoadTaskInstances(
        fs::path(FATHOM_SHARED_DIR) / "datasets/swebench/multilingual_test.jsonl");
    ASSERT_TRUE(all.ok()) << all.error();
    for (TaskInstance& instance : *all) {
      if (instance.repo == "jqlang/jq") instances_.push_back(std::move(instance));
    }
    ASSERT_EQ(instances_.size(), 9u);
    directory_ = fs::temp_directory_path() / ("fathom_predictions_" + std::to_string(getpid()));
    fs::create_directories(directory_);
  }
  void TearDown() override { fs::remove_all(directory_); }

  fs::path Write(const std::string& name, const std::string& content) {
    const fs::path path = directory_ / name;
    std::ofstream(path) << content;
    return path;
  }

  std::string Id(size_t i) const { return instances_[i].instance_id; }

  // One JSON document per line; "" gives a blank line.
  static std::string Lines(std::initializer_list<std::string> lines) {
    std::string text;
    for (const std::string& line : lines) {
      text += line;
      text += '\n';
    }
    return text;
  }

  std::vector<TaskInstance> instances_;
  fs::path directory_;
};

TEST_F(PredictionsTest, GoldIsEachInstancesOwnPatch) {
  base::Result<std::vector<Prediction>> gold = LoadPredictions("gold", instances_);
  ASSERT_TRUE(gold.ok()) << gold.error();
  ASSERT_EQ(gold->size(), instances_.size());
  for (size_t i = 0; i < instances_.size(); ++i) {
    EXPECT_EQ((*gold)[i].instance_id, Id(i));
    EXPECT_EQ((*gold)[i].model_patch, instances_[i].patch);
    EXPECT_EQ((*gold)[i].model_name_or_path, "gold");
    EXPECT_FALSE((*gold)[i].empty());
  }
}

TEST_F(PredictionsTest, EmptyHasNoPatches) {
  base::Result<std::vector<Prediction>> empty = LoadPredictions("empty", instances_);
  ASSERT_TRUE(empty.ok()) << empty.error();
  ASSERT_EQ(empty->size(), instances_.size());
  for (const Prediction& prediction : *empty) EXPECT_TRUE(prediction.empty());
}

TEST_F(PredictionsTest, ReadsJsonLines) {
  const base::Json first = {
      {"instance_id", Id(0)}, {"model_name_or_path", "m"}, {"model_patch", "diff --git a/x b/x"}};
  const base::Json second = {
      {"instance_id", Id(1)}, {"model_name_or_path", "m"}, {"model_patch", nullptr}};
  const fs::path path = Write("p.jsonl", Lines({first.dump(), "", second.dump()}));
  base::Result<std::vector<Prediction>> predictions = LoadPredictions(path.string(), instances_);
  ASSERT_TRUE(predictions.ok()) << predictions.error();
  ASSERT_EQ(predictions->size(), 2u);
  EXPECT_EQ((*predictions)[0].model_patch, "diff --git a/x b/x");
  EXPECT_EQ((*predictions)[0].model_name_or_path, "m");
  EXPECT_TRUE((*predictions)[1].empty());
}

TEST_F(PredictionsTest, ReadsJsonListsAndObjectsKeyedById) {
  const base::Json entry = {{"instance_id", Id(2)}, {"model_patch", "p"}};
  const fs::path list = Write("list.json", base::Json::array({entry}).dump());
  base::Result<std::vector<Prediction>> from_list = LoadPredictions(list.string(), instances_);
  ASSERT_TRUE(from_list.ok()) << from_list.error();
  ASSERT_EQ(from_list->size(), 1u);
  EXPECT_EQ((*from_list)[0].instance_id, Id(2));

  const base::Json keyed = {{Id(3), {{"model_patch", "q"}, {"model_name_or_path", "k"}}}};
  const fs::path dict = Write("dict.json", keyed.dump());
  base::Result<std::vector<Prediction>> from_dict = LoadPredictions(dict.string(), instances_);
  ASSERT_TRUE(from_dict.ok()) << from_dict.error();
  ASSERT_EQ(from_dict->size(), 1u);
  EXPECT_EQ((*from_dict)[0].instance_id, Id(3));
  EXPECT_EQ((*from_dict)[0].model_patch, "q");
}

TEST_F(PredictionsTest, RejectsUnknownAndDuplicateIds) {
  const base::Json unknown = {{"instance_id", "nobody__nothing-1"}, {"model_patch", "p"}};
  base::Result<std::vector<Prediction>> result =
      LoadPredictions(Write("u.jsonl", Lines({unknown.dump()})).string(), instances_);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message().find("nobody__nothing-1"), std::string::npos);

  const base::Json twice = {{"instance_id", Id(0)}, {"model_patch", "p"}};
  result =
      LoadPredictions(Write("d.jsonl", Lines({twice.dump(), twice.dump()})).string(), instances_);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message().find("two predictions for " + Id(0)), std::string::npos);
}

TEST_F(PredictionsTest, RejectsMalformedEntriesAndFormats) {
  const base::Json bad_patch = {{"instance_id", Id(0)}, {"model_patch", 3}};
  base::Result<std::vector<Prediction>> result =
      LoadPredictions(Write("b.jsonl", Lines({"", bad_patch.dump()})).string(), instances_);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message().find(":2: model_patch"), std::string::npos) << result.error();

  const base::Json mismatch = {{Id(0), {{"instance_id", Id(1)}}}};
  result = LoadPredictions(Write("m.json", mismatch.dump()).string(), instances_);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message().find("differs from its key"), std::string::npos);

  result = LoadPredictions(Write("p.txt", "").string(), instances_);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message().find("neither gold, empty"), std::string::npos);
}

}  // namespace
}  // namespace fathom::evals
