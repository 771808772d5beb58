// The rules of swebench/harness/grading.py (get_logs_eval, get_eval_tests_report,
// get_resolution_status) and the v5 additions (SKIPPED fails F2P, truncated parametrised ids,
// exit-code consistency).
#include "evals/grading.h"

#include <algorithm>
#include <array>
#include <charconv>

#include "evals/eval_script.h"

namespace fathom::evals {

namespace {

using tools::TestStatus;
using tools::TestStatusMap;

// Markers the official harness writes when a run never reached its tests.
constexpr std::array<std::string_view, 4> kFailureMarkers = {
    ">>>>> Patch Apply Failed", ">>>>> Reset Failed", ">>>>> Tests Errored",
    ">>>>> Tests Timed Out"};

// The status of `test`; a parametrised id cut short in the dataset ("test_x[a-" with no closing
// bracket) takes the status its completions agree on.
std::optional<TestStatus> StatusOf(const TestStatusMap& map, const std::string& test) {
  if (const auto it = map.find(test); it != map.end()) return it->second;
  if (test.find('[') == std::string::npos || test.ends_with(']')) return std::nullopt;
  std::optional<TestStatus> agreed;
  for (auto it = map.lower_bound(test); it != map.end() && it->first.starts_with(test); ++it) {
    if (agreed && *agreed != it->second) return std::nullopt;
    agreed = it->second;
  }
  return agreed;
}

bool Passed(std::optional<TestStatus> status) {
  return status == TestStatus::kPassed || status == TestStatus::kXfail;
}

void Classify(const std::vector<std::string>& tests, const TestStatusMap& map, bool fail_only,
              bool skip_is_success, TestOutcomes& outcomes) {
  for (const std::string& test : tests) {
    const std::optional<TestStatus> status = StatusOf(map, test);
    bool success;
    if (fail_only) {
      success = status != TestStatus::kFailed;
    } else {
      success = Passed(status) || (skip_is_success && status == TestStatus::kSkipped);
    }
    (success ? outcomes.success : outcomes.failure).push_back(test);
  }
}

// The official compute_fail_to_pass / compute_pass_to_pass: an empty list counts as 1.
bool AllSucceeded(const TestOutcomes& outcomes) { return outcomes.failure.empty(); }

base::Json OutcomesToJson(const TestOutcomes& outcomes) {
  return {{"success", outcomes.success}, {"failure", outcomes.failure}};
}

}  // namespace

std::optional<int> RecordedExitCode(std::string_view test_output) {
  std::optional<int> code;
  for (size_t at = test_output.find(kTestExitCode); at != std::string_view::npos;
       at = test_output.find(kTestExitCode, at + 1)) {
    const std::string_view digits = test_output.substr(at + kTestExitCode.size());
    int value = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    // The traced `echo ">>>>> Test Exit Code: $SWEBENCH_TEST_EXIT_CODE"` line carries no number.
    if (error == std::errc() && (end == digits.data() + digits.size() || *end == '\n' ||
                                 *end == '\r' || *end == '"' || *end == '\'')) {
      code = value;
    }
  }
  return code;
}

base::Result<std::optional<TestStatusMap>> ParseEvalOutput(std::string_view parser_name,
                                                           std::string_view test_output) {
  for (std::string_view marker : kFailureMarkers) {
    if (test_output.find(marker) != std::string_view::npos) return std::optional<TestStatusMap>();
  }
  const size_t start = test_output.find(kStartTestOutput);
  if (start == std::string_view::npos ||
      test_output.find(kEndTestOutput) == std::string_view::npos) {
    return std::optional<TestStatusMap>();
  }
  // content.split(START)[1].split(END)[0]: up to the first end marker after the first start.
  std::string_view section = test_output.substr(start + kStartTestOutput.size());
  const size_t end = section.find(kEndTestOutput);
  if (end != std::string_view::npos) section = section.substr(0, end);
  FATHOM_ASSIGN_OR_RETURN(TestStatusMap map, tools::ParseTestLog(parser_name, section));
  if (map.empty()) {
    FATHOM_ASSIGN_OR_RETURN(map, tools::ParseTestLog(parser_name, test_output));
  }
  return std::optional<TestStatusMap>(std::move(map));
}

base::Result<InstanceReport> GradeTestOutput(const TaskInstance& instance,
                                             std::string_view parser_name,
                                             std::string_view test_output) {
  InstanceReport report;
  report.instance_id = instance.instance_id;
  report.patch_exists = true;
  FATHOM_ASSIGN_OR_RETURN(std::optional<TestStatusMap> map,
                          ParseEvalOutput(parser_name, test_output));
  if (!map) return report;
  report.patch_successfully_applied = true;
  report.parsed_tests = map->size();
  report.test_exit_code = RecordedExitCode(test_output);

  TestsStatus status;
  Classify(instance.fail_to_pass, *map, instance.fail_only, false, status.fail_to_pass);
  Classify(instance.pass_to_pass, *map, instance.fail_only, true, status.pass_to_pass);
  report.resolved = AllSucceeded(status.fail_to_pass) && AllSucceeded(status.pass_to_pass);
  report.tests_status = std::move(status);

  const bool any_failure = std::any_of(map->begin(), map->end(), [](const auto& entry) {
    return entry.second == TestStatus::kFailed || entry.second == TestStatus::kError;
  });
  if (report.test_exit_code.value_or(0) != 0 && !any_failure) {
    report.rejected_log = "the test command exited with " + std::to_string(*report.test_exit_code) +
                          " but its log reports no failed test";
  } else if (map->empty() && report.test_exit_code.value_or(1) != 0) {
    report.rejected_log = "no test result in the log and no exit code 0 to show the tests ran";
  }
  if (!report.rejected_log.empty()) report.resolved = false;
  return report;
}

base::Json ReportToJson(const InstanceReport& report) {
  base::Json fields = {{"patch_is_None", report.patch_is_none},
                       {"patch_exists", report.patch_exists},
                       {"patch_successfully_applied", report.patch_successfully_applied},
                       {"resolved", report.resolved}};
  if (report.tests_status) {
    const TestsStatus& status = *report.tests_status;
    fields["tests_status"] = {{kFailToPass, OutcomesToJson(status.fail_to_pass)},
                              {kPassToPass, OutcomesToJson(status.pass_to_pass)},
                              {"FAIL_TO_FAIL", OutcomesToJson(status.fail_to_fail)},
                              {"PASS_TO_FAIL", OutcomesToJson(status.pass_to_fail)}};
  }
  if (report.test_exit_code) fields["test_exit_code"] = *report.test_exit_code;
  if (!report.rejected_log.empty()) fields["rejected_log"] = report.rejected_log;
  return {{report.instance_id, std::move(fields)}};
}

}  // namespace fathom::evals
