// Grading decisions on hand-checked logs: each case states the rule of the official grading.py
// (or its v5 hardening) it exercises, and the expected verdict was worked out from that rule by
// hand. The logs use the automake (jq) and pytest line formats the official parsers read.
#include "evals/grading.h"

#include <gtest/gtest.h>

namespace fathom::evals {
namespace {

TaskInstance Instance(std::vector<std::string> f2p, std::vector<std::string> p2p) {
  TaskInstance instance;
  instance.instance_id = "jqlang__jq-1";
  instance.repo = "jqlang/jq";
  instance.fail_to_pass = std::move(f2p);
  instance.pass_to_pass = std::move(p2p);
  return instance;
}

// An eval-script output as bash -x writes it, with `body` as the test command's output.
std::string Output(std::string_view body, std::optional<int> exit_code) {
  std::string output = "+ make -j2\nCC src/jq.o\n+ : '>>>>> Start Test Output'\n+ make check\n";
  output += body;
  if (exit_code) output += "+ SWEBENCH_TEST_EXIT_CODE=" + std::to_string(*exit_code) + "\n";
  output += "+ : '>>>>> End Test Output'\n";
  if (exit_code) {
    output += "+ echo '>>>>> Test Exit Code: " + std::to_string(*exit_code) + "'\n";
    output += ">>>>> Test Exit Code: " + std::to_string(*exit_code) + "\n";
  }
  return output;
}

TEST(GradingTest, AllTestsPassingResolves) {
  base::Result<InstanceReport> report =
      GradeTestOutput(Instance({"tests/jqtest"}, {"tests/shtest"}), "parse_log_jq",
                      Output("PASS: tests/jqtest\nPASS: tests/shtest\n", 0));
  ASSERT_TRUE(report.ok()) << report.error();
  EXPECT_TRUE(report->patch_successfully_applied);
  EXPECT_TRUE(report->resolved);
  EXPECT_EQ(report->test_exit_code, 0);
  EXPECT_EQ(report->tests_status->fail_to_pass.success, std::vector<std::string>{"tests/jqtest"});
  EXPECT_EQ(report->tests_status->pass_to_pass.success, std::vector<std::string>{"tests/shtest"});
}

TEST(GradingTest, PartialPassIsUnresolved) {
  // get_resolution_status: F2P 1/2 is PARTIAL, which scores as not resolved.
  base::Result<InstanceReport> report =
      GradeTestOutput(Instance({"tests/jqtest", "tests/mantest"}, {}), "parse_log_jq",
                      Output("PASS: tests/jqtest\nFAIL: tests/mantest\n", 1));
  ASSERT_TRUE(report.ok()) << report.error();
  EXPECT_FALSE(report->resolved);
  EXPECT_EQ(report->tests_status->fail_to_pass.success, std::vector<std::string>{"tests/jqtest"});
  EXPECT_EQ(report->tests_status->fail_to_pass.failure, std::vector<std::string>{"tests/mantest"});
  EXPECT_TRUE(report->rejected_log.empty());
}

TEST(GradingTest, MissingTestIsAFailure) {
  base::Result<InstanceReport> report =
      GradeTestOutput(Instance({"tests/jqtest"}, {"tests/onigtest"}), "parse_log_jq",
                      Output("PASS: tests/jqtest\n", 0));
  ASSERT_TRUE(report.ok()) << report.error();
  EXPECT_FALSE(report->resolved);
  EXPECT_EQ(report->tests_status->pass_to_pass.failure, std::vector<std::string>{"tests/onigtest"});
}

TEST(GradingTest, SkippedFailsFailToPassButKeepsPassToPass) {
  const std::string log =
      "PASSED tests/test_a.py::test_fixed\nSKIPPED tests/test_a.py::test_skipped\n";
  base::Result<InstanceReport> p2p_skip =
      GradeTestOutput(Instance({"tests/test_a.py::test_fixed"}, {"tests/test_a.py::test_skipped"}),
                      "parse_log_pytest", Output(log, 0));
  ASSERT_TRUE(p2p_skip.ok()) << p2p_skip.error();
  EXPECT_TRUE(p2p_skip->resolved);

  base::Result<InstanceReport> f2p_skip = GradeTestOutput(
      Instance({"tests/test_a.py::test_skipped"}, {}), "parse_log_pytest", Output(log, 0));
  ASSERT_TRUE(f2p_skip.ok()) << f2p_skip.error();
  EXPECT_FALSE(f2p_skip->resolved);
  EXPECT_EQ(f2p_skip->tests_status->fail_to_pass.failure,
            std::vector<std::string>{"tests/test_a.py::test_skipped"});
}

TEST(GradingTest, XfailCountsAsPassing) {
  base::Result<InstanceReport> report =
      GradeTestOutput(Instance({"tests/test_a.py::test_x"}, {}), "parse_log_pytest",
                      Output("XFAIL tests/test_a.py::test_x - reason\n", 0));
  ASSERT_TRUE(report.ok()) << report.error();
  EXPECT_TRUE(report->resolved);
}

TEST(GradingTest, SpoofedPassingLogWithFailingExitCodeIsRejected) {
  // A patch that prints fake PASS lines cannot hide the exit status of the real test command.
  base::Result<InstanceReport> report =
      GradeTestOutput(Instance({"tests/jqtest"}, {"tests/shtest"}), "parse_log_jq",
                      Output("PASS: tests/jqtest\nPASS: tests/shtest\n", 2));
  ASSERT_TRUE(report.ok()) << report.error();
  EXPECT_FALSE(report->resolved);
  EXPECT_EQ(report->test_exit_code, 2);
  EXPECT_NE(report->rejected_log.find("exited with 2"), std::string::npos);
}

TEST(GradingTest, MissingEndMarkerMeansNotApplied) {
  std::string output = Output("PASS: tests/jqtest\n", 0);
  output.erase(output.find(">>>>> End Test Output"));
  base::Result<InstanceReport> report =
      GradeTestOutput(Instance({"tests/jqtest"}, {}), "parse_log_jq", output);
  ASSERT_TRUE(report.ok()) << report.error();
  EXPECT_FALSE(report->patch_successfully_applied);
  EXPECT_FALSE(report->resolved);
  EXPECT_FALSE(report->tests_status.has_value());
}

TEST(GradingTest, HarnessFailureMarkerMeansNotApplied) {
  base::Result<InstanceReport> report =
      GradeTestOutput(Instance({"tests/jqtest"}, {}), "parse_log_jq",
                      Output("PASS: tests/jqtest\n>>>>> Tests Timed Out\n", 0));
  ASSERT_TRUE(report.ok()) << report.error();
  EXPECT_FALSE(report->patch_successfully_applied);
}

TEST(GradingTest, EmptyListsNeedEvidenceTheTestsRan) {
  // tokio-rs__axum-1730 has empty FAIL_TO_PASS and PASS_TO_PASS: 100% of nothing.
  base::Result<InstanceReport> ran =
      GradeTestOutput(Instance({}, {}), "parse_log_jq", Output("nothing parsable\n", 0));
  ASSERT_TRUE(ran.ok()) << ran.error();
  EXPECT_TRUE(ran->resolved);
  base::Result<InstanceReport> no_evidence =
      GradeTestOutput(Instance({}, {}), "parse_log_jq", Output("nothing parsable\n", 1));
  ASSERT_TRUE(no_evidence.ok()) << no_evidence.error();
  EXPECT_FALSE(no_evidence->resolved);
  EXPECT_FALSE(no_evidence->rejected_log.empty());
}

TEST(GradingTest, TruncatedParametrisedIdTakesTheStatusItsCompletionsAgreeOn) {
  const std::string log =
      "PASSED tests/test_a.py::test_p[a-1]\nPASSED tests/test_a.py::test_p[a-2]\n"
      "PASSED tests/test_a.py::test_q[b-1]\nFAILED tests/test_a.py::test_q[b-2]\n";
  base::Result<InstanceReport> agreed = GradeTestOutput(
      Instance({"tests/test_a.py::test_p[a-"}, {}), "parse_log_pytest", Output(log, 1));
  ASSERT_TRUE(agreed.ok()) << agreed.error();
  EXPECT_EQ(agreed->tests_status->fail_to_pass.success,
            std::vector<std::string>{"tests/test_a.py::test_p[a-"});
  base::Result<InstanceReport> disagreed = GradeTestOutput(
      Instance({"tests/test_a.py::test_q[b-"}, {}), "parse_log_pytest", Output(log, 1));
  ASSERT_TRUE(disagreed.ok()) << disagreed.error();
  EXPECT_FALSE(disagreed->resolved);
}

TEST(GradingTest, FallsBackToTheWholeLogWhenNothingParsesBetweenTheMarkers) {
  const std::string output = "PASS: tests/jqtest\n" + Output("no results here\n", 0);
  base::Result<InstanceReport> report =
      GradeTestOutput(Instance({"tests/jqtest"}, {}), "parse_log_jq", output);
  ASSERT_TRUE(report.ok()) << report.error();
  EXPECT_TRUE(report->resolved);
}

TEST(GradingTest, RecordedExitCodeIgnoresTheTracedEchoLine) {
  EXPECT_EQ(RecordedExitCode("+ echo '>>>>> Test Exit Code: 3'\n>>>>> Test Exit Code: 3\n"), 3);
  EXPECT_EQ(RecordedExitCode("echo \">>>>> Test Exit Code: $SWEBENCH_TEST_EXIT_CODE\"\n"),
            std::nullopt);
  EXPECT_EQ(RecordedExitCode("no code"), std::nullopt);
}

TEST(GradingTest, ReportJsonHasTheOfficialShape) {
  base::Result<InstanceReport> report =
      GradeTestOutput(Instance({"tests/jqtest"}, {"tests/shtest"}), "parse_log_jq",
                      Output("PASS: tests/jqtest\nFAIL: tests/shtest\n", 1));
  ASSERT_TRUE(report.ok()) << report.error();
  const base::Json json = ReportToJson(*report);
  const base::Json& fields = json.at("jqlang__jq-1");
  EXPECT_EQ(fields.at("patch_is_None"), false);
  EXPECT_EQ(fields.at("patch_exists"), true);
  EXPECT_EQ(fields.at("patch_successfully_applied"), true);
  EXPECT_EQ(fields.at("resolved"), false);
  const base::Json& status = fields.at("tests_status");
  EXPECT_EQ(status.at("FAIL_TO_PASS").at("success"), base::Json({"tests/jqtest"}));
  EXPECT_EQ(status.at("PASS_TO_PASS").at("failure"), base::Json({"tests/shtest"}));
  EXPECT_TRUE(status.at("FAIL_TO_FAIL").at("success").empty());
  EXPECT_TRUE(status.at("PASS_TO_FAIL").at("failure").empty());
}

TEST(GradingTest, UnknownParserIsAnError) {
  EXPECT_FALSE(GradeTestOutput(Instance({}, {}), "parse_log_nope", Output("", 0)).ok());
}

}  // namespace
}  // namespace fathom::evals
