// `fathom eval` through the built binary: a real sympy instance graded, the run resumed from its
// state, the summary and per-instance files where the official harness puts them, and the
// argument errors (unknown instance, bad shard, missing sources) that must stop before grading.
#include "tests/cli/eval_test_support.h"

namespace fathom::cli {
namespace {

constexpr const char* kInstance = "sympy__sympy-20590";

class EvalCommandTest : public EvalCommandTestBase {
 protected:
  std::string Tasks() const {
    return "--tasks '" + (kDatasets / "swebench/lite_test.jsonl").string() + "'";
  }
};

TEST_F(EvalCommandTest, GradesGoldAndResumesFromTheRunState) {
  const CommandOutput first =
      Eval(Tasks() + " --predictions gold --run-id r1 --instance-ids " + kInstance);
  ASSERT_EQ(first.exit_code, 0) << first.output;
  EXPECT_NE(first.output.find("sympy/sympy"), std::string::npos) << first.output;
  const base::Json summary = Summary("gold", "r1");
  EXPECT_EQ(summary.at("schema_version"), 2);
  EXPECT_EQ(summary.at("total_instances"), 1);
  EXPECT_EQ(summary.at("resolved_ids"), base::Json({kInstance}));
  const fs::path instance_dir = scratch_ / "logs/r1/gold" / kInstance;
  for (const char* file :
       {"report.json", "test_output.txt", "run_instance.log", "eval.sh", "patch.diff"}) {
    EXPECT_TRUE(fs::exists(instance_dir / file)) << file;
  }
  base::Result<base::Json> report = base::ReadJsonFile(instance_dir / "report.json");
  ASSERT_TRUE(report.ok()) << report.error();
  EXPECT_EQ(report->at(kInstance).at("resolved"), true);

  // Same run id, same patch: nothing is graded again.
  const CommandOutput second =
      Eval(Tasks() + " --predictions gold --run-id r1 --instance-ids " + kInstance);
  ASSERT_EQ(second.exit_code, 0) << second.output;
  EXPECT_NE(second.output.find("resolved (recorded)"), std::string::npos) << second.output;
  EXPECT_EQ(Summary("gold", "r1").at("resolved_instances"), 1);
}

TEST_F(EvalCommandTest, EmptyPredictionsAreCountedNotRun) {
  const CommandOutput output =
      Eval(Tasks() + " --predictions empty --json --instance-ids " + kInstance);
  ASSERT_EQ(output.exit_code, 0) << output.output;
  const base::Json summary = Summary("empty", "empty");
  EXPECT_EQ(summary.at("empty_patch_ids"), base::Json({kInstance}));
  EXPECT_EQ(summary.at("resolved_instances"), 0);
  EXPECT_FALSE(fs::exists(scratch_ / "logs/empty/empty" / kInstance / "report.json"));
}

TEST_F(EvalCommandTest, ShardsSplitTheSelection) {
  const std::string ids = std::string(kInstance) + ",sympy__sympy-24066";
  const CommandOutput output =
      Eval(Tasks() + " --predictions empty --run-id s --shard 2/2 --instance-ids " + ids);
  ASSERT_EQ(output.exit_code, 0) << output.output;
  EXPECT_EQ(Summary("empty", "s").at("submitted_ids"), base::Json({"sympy__sympy-24066"}));
}

TEST_F(EvalCommandTest, RejectsBadArgumentsBeforeGrading) {
  const CommandOutput unknown =
      Eval(Tasks() + " --predictions gold --instance-ids nobody__nothing-1");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.output.find("nobody__nothing-1"), std::string::npos) << unknown.output;

  const CommandOutput shard = Eval(Tasks() + " --predictions gold --shard 3/2");
  EXPECT_EQ(shard.exit_code, 2);
  EXPECT_NE(shard.output.find("--shard"), std::string::npos) << shard.output;

  const CommandOutput predictions = Eval(Tasks() + " --predictions /nonexistent.jsonl");
  EXPECT_EQ(predictions.exit_code, 2);
  EXPECT_NE(predictions.output.find("/nonexistent.jsonl"), std::string::npos) << predictions.output;

  const CommandOutput repos = RunFathom("eval " + Tasks() + " --predictions gold --repos /nope");
  EXPECT_NE(repos.exit_code, 0);
  EXPECT_NE(repos.output.find("/nope"), std::string::npos) << repos.output;
  EXPECT_FALSE(fs::exists(scratch_ / "reports"));
}

TEST_F(EvalCommandTest, BenchNeedsInstancesItKnows) {
  const std::string common = "bench eval " + Tasks() + " --repos '" +
                             (kDatasets / "repos").string() + "' --work-dir '" +
                             (scratch_ / "bench").string() + "'";
  const CommandOutput none = RunFathom(common);
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_NE(none.output.find("--overhead-ids or --throughput-ids"), std::string::npos)
      << none.output;

  const CommandOutput unknown = RunFathom(common + " --throughput-ids nobody__nothing-1");
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.output.find("nobody__nothing-1"), std::string::npos) << unknown.output;
}

}  // namespace
}  // namespace fathom::cli
