// Grading one finished run the way SWE-bench's grading.py does, with the v5 hardening: the test
// output between the markers is parsed with the repo's log parser, each FAIL_TO_PASS and
// PASS_TO_PASS test is a success or a failure (a missing test fails; SKIPPED fails an F2P test but
// keeps a P2P one), and a log whose recorded exit code contradicts it is rejected.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "evals/task.h"
#include "tools/test_log/test_log_parser.h"

namespace fathom::evals {

struct TestOutcomes {
  std::vector<std::string> success;
  std::vector<std::string> failure;
};

struct TestsStatus {
  TestOutcomes fail_to_pass;
  TestOutcomes pass_to_pass;
  TestOutcomes fail_to_fail;  // always empty: the datasets carry no such lists
  TestOutcomes pass_to_fail;
};

// One instance's report.json content (the official fields) plus fathom's own diagnostics.
struct InstanceReport {
  std::string instance_id;
  bool patch_is_none = false;
  bool patch_exists = false;
  bool patch_successfully_applied = false;
  bool resolved = false;
  std::optional<TestsStatus> tests_status;  // set once the log was found and parsed
  std::optional<int> test_exit_code;        // ">>>>> Test Exit Code: N", when recorded
  // Why a parsed log was not trusted ("exit code 2 but no test failed"), or empty.
  std::string rejected_log;
  size_t parsed_tests = 0;  // entries in the status map
};

// The official name of a test list key.
inline constexpr std::string_view kFailToPass = "FAIL_TO_PASS";
inline constexpr std::string_view kPassToPass = "PASS_TO_PASS";

// The status map of `test_output` (the eval script's whole output): the text between the markers,
// or the whole output when nothing parses there; nullopt when a marker is missing or the output
// carries one of the harness's failure markers (the official "patch not applied" case).
base::Result<std::optional<tools::TestStatusMap>> ParseEvalOutput(std::string_view parser_name,
                                                                  std::string_view test_output);

// The report of a run whose model patch applied and whose eval script ran to the end.
base::Result<InstanceReport> GradeTestOutput(const TaskInstance& instance,
                                             std::string_view parser_name,
                                             std::string_view test_output);

// The recorded test exit code in `test_output`, if any.
std::optional<int> RecordedExitCode(std::string_view test_output);

// {"<instance_id>": {"patch_is_None": ..., "tests_status": {...}}}, the official report.json.
base::Json ReportToJson(const InstanceReport& report);

}  // namespace fathom::evals
