// The run's bookkeeping: instance selection (--instance-ids, --shard), the resumable run state in
// SQLite, and the summary in the official schema_version 2 layout with its readable table.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <set>
#include <sstream>

#include "evals/run_report.h"
#include "evals/run_state.h"
#include "evals/runner.h"

namespace fathom::evals {
namespace {

namespace fs = std::filesystem;

std::vector<TaskInstance> Instances(int count) {
  std::vector<TaskInstance> instances;
  for (int i = 0; i < count; ++i) {
    TaskInstance instance;
    instance.instance_id = "owner__repo-" + std::to_string(i);
    instance.repo = i % 2 == 0 ? "owner/repo" : "other/lib";
    instances.push_back(instance);
  }
  return instances;
}

Prediction PredictionFor(const std::string& id, std::optional<std::string> patch) {
  return {id, "model/x", std::move(patch)};
}

InstanceOutcome Outcome(const std::string& id, InstanceStatus status) {
  InstanceOutcome outcome;
  outcome.instance_id = id;
  outcome.status = status;
  return outcome;
}

TEST(ShardTest, ParsesIOverN) {
  base::Result<Shard> shard = ParseShard("2/4");
  ASSERT_TRUE(shard.ok()) << shard.error();
  EXPECT_EQ(shard->index, 2);
  EXPECT_EQ(shard->count, 4);
  for (const char* bad : {"0/4", "5/4", "2", "a/b", "2/0", "1/2/3", ""}) {
    EXPECT_FALSE(ParseShard(bad).ok()) << bad;
  }
}

TEST(SelectInstancesTest, ShardsPartitionTheSelection) {
  std::multiset<std::string> seen;
  for (int index = 1; index <= 3; ++index) {
    base::Result<std::vector<TaskInstance>> shard = SelectInstances(Instances(10), {}, {index, 3});
    ASSERT_TRUE(shard.ok()) << shard.error();
    EXPECT_GE(shard->size(), 3u);
    for (const TaskInstance& instance : *shard) seen.insert(instance.instance_id);
  }
  EXPECT_EQ(seen.size(), 10u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 10u);
}

TEST(SelectInstancesTest, FiltersByIdInDatasetOrderAndRejectsUnknownIds) {
  const std::vector<std::string> ids = {"owner__repo-7", "owner__repo-2"};
  base::Result<std::vector<TaskInstance>> named = SelectInstances(Instances(10), ids, {1, 1});
  ASSERT_TRUE(named.ok()) << named.error();
  ASSERT_EQ(named->size(), 2u);
  EXPECT_EQ((*named)[0].instance_id, "owner__repo-2");
  const std::vector<std::string> unknown = {"owner__repo-2", "nope__nope-1"};
  base::Result<std::vector<TaskInstance>> error = SelectInstances(Instances(10), unknown, {1, 1});
  ASSERT_FALSE(error.ok());
  EXPECT_NE(error.error().message().find("nope__nope-1"), std::string::npos);
}

TEST(LoadedPredictionsTest, FindsPredictionsById) {
  LoadedPredictions source(
      {PredictionFor("owner__repo-3", "diff"), PredictionFor("owner__repo-1", std::nullopt)});
  const std::vector<TaskInstance> instances = Instances(4);
  base::Result<std::optional<Prediction>> found = source.PredictionFor(instances[3]);
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->model_patch, "diff");
  base::Result<std::optional<Prediction>> missing = source.PredictionFor(instances[2]);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

class RunStateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = fs::temp_directory_path() / ("fathom-run-state-" + std::to_string(getpid()));
    fs::remove_all(directory_);
  }
  void TearDown() override { fs::remove_all(directory_); }
  fs::path directory_;
};

TEST_F(RunStateTest, RemembersFinishedInstancesPerPatch) {
  const Prediction prediction = PredictionFor("owner__repo-1", "diff --git a/x b/x\n");
  const std::string fingerprint = PatchFingerprint(prediction);
  {
    base::Result<RunState> state = RunState::Open(directory_ / "state.sqlite");
    ASSERT_TRUE(state.ok()) << state.error();
    InstanceOutcome outcome = Outcome("owner__repo-1", InstanceStatus::kResolved);
    outcome.test_time = std::chrono::milliseconds(1234);
    ASSERT_TRUE(state->Record("run", fingerprint, outcome).ok());
    ASSERT_TRUE(
        state->Record("run", fingerprint, Outcome("owner__repo-2", InstanceStatus::kError)).ok());
  }
  base::Result<RunState> reopened = RunState::Open(directory_ / "state.sqlite");
  ASSERT_TRUE(reopened.ok()) << reopened.error();
  base::Result<std::optional<InstanceOutcome>> found =
      reopened->Find("run", "owner__repo-1", fingerprint);
  ASSERT_TRUE(found.ok()) << found.error();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->status, InstanceStatus::kResolved);
  EXPECT_EQ((*found)->test_time.count(), 1234);
  // Another patch, another run, or an error: grade again.
  EXPECT_FALSE(reopened->Find("run", "owner__repo-1", "other")->has_value());
  EXPECT_FALSE(reopened->Find("run2", "owner__repo-1", fingerprint)->has_value());
  EXPECT_FALSE(reopened->Find("run", "owner__repo-2", fingerprint)->has_value());
  EXPECT_NE(PatchFingerprint(PredictionFor("a", "x")), PatchFingerprint(PredictionFor("a", "y")));
  EXPECT_EQ(PatchFingerprint(PredictionFor("a", std::nullopt)), "none");
}

TEST(RunSummaryTest, CountsEveryInstanceOnceInTheOfficialLayout) {
  const std::vector<TaskInstance> instances = Instances(6);
  // 0 resolved, 1 unresolved, 2 empty, 3 error, 4 submitted but never finished, 5 no prediction.
  const std::vector<Prediction> predictions = {
      PredictionFor("owner__repo-0", "d"), PredictionFor("owner__repo-1", "d"),
      PredictionFor("owner__repo-2", ""), PredictionFor("owner__repo-3", "d"),
      PredictionFor("owner__repo-4", "d")};
  const std::vector<InstanceOutcome> outcomes = {
      Outcome("owner__repo-0", InstanceStatus::kResolved),
      Outcome("owner__repo-1", InstanceStatus::kUnresolved),
      Outcome("owner__repo-2", InstanceStatus::kEmptyPatch),
      Outcome("owner__repo-3", InstanceStatus::kError)};
  const base::Json summary = RunSummaryJson(instances, predictions, outcomes);
  EXPECT_EQ(summary.at("schema_version"), 2);
  EXPECT_EQ(summary.at("total_instances"), 6);
  EXPECT_EQ(summary.at("submitted_instances"), 5);
  EXPECT_EQ(summary.at("completed_instances"), 2);
  EXPECT_EQ(summary.at("resolved_instances"), 1);
  EXPECT_EQ(summary.at("unresolved_instances"), 1);
  EXPECT_EQ(summary.at("empty_patch_instances"), 1);
  EXPECT_EQ(summary.at("error_instances"), 2);
  EXPECT_EQ(summary.at("resolved_ids"), base::Json({"owner__repo-0"}));
  EXPECT_EQ(summary.at("completed_ids"), base::Json({"owner__repo-0", "owner__repo-1"}));
  EXPECT_EQ(summary.at("error_ids"), base::Json({"owner__repo-3", "owner__repo-4"}));
  EXPECT_EQ(summary.at("incomplete_ids"), base::Json({"owner__repo-5"}));

  const std::string table = RunSummaryTable(instances, predictions, outcomes);
  EXPECT_NE(table.find("owner/repo"), std::string::npos);
  EXPECT_NE(table.find("other/lib"), std::string::npos);
  // all: 6 total, 1 resolved, 1 unresolved, 1 empty, 2 error, 1 incomplete, 16.7%.
  const size_t all = table.find("\nall ");
  ASSERT_NE(all, std::string::npos) << table;
  std::istringstream row(table.substr(all + 1));
  std::vector<std::string> cells(8);
  for (std::string& cell : cells) row >> cell;
  EXPECT_EQ(cells, (std::vector<std::string>{"all", "6", "1", "1", "1", "2", "1", "16.7%"}))
      << table;
}

}  // namespace
}  // namespace fathom::evals
