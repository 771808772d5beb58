// The acceptance runs of the harness (label slow): every jq (9) and fmt (11) instance of
// SWE-bench Multilingual and every sympy instance of SWE-bench Lite, from the bundled
// repositories. Gold must resolve each one and `empty` none. (That the FAIL_TO_PASS tests really
// fail without the fix is shown per repository by harness_end_to_end_test's no-fix patches.)
#include <algorithm>
#include <iostream>

#include "tests/cli/eval_test_support.h"

namespace fathom::cli {
namespace {

class EvalFullSetsTest : public EvalCommandTestBase {
 protected:
  void GradeAll(const char* tasks_file, const char* repo, size_t expected_count) {
    const fs::path tasks = kDatasets / "swebench" / tasks_file;
    const std::vector<std::string> ids = InstanceIdsOf(tasks, repo);
    ASSERT_EQ(ids.size(), expected_count);
    const std::string common =
        "--tasks '" + tasks.string() + "' -j 2 --timeout 1800 --instance-ids " + Join(ids);

    const CommandOutput gold = Eval(common + " --predictions gold --run-id gold");
    EXPECT_EQ(gold.exit_code, 0) << gold.output;
    std::cout << gold.output;  // the per-repository table and any errors, for the record
    const base::Json gold_summary = Summary("gold", "gold");
    std::vector<std::string> sorted_ids = ids;  // the summary lists ids sorted, as the official
    std::sort(sorted_ids.begin(), sorted_ids.end());
    EXPECT_EQ(gold_summary.at("resolved_ids"), base::Json(sorted_ids)) << gold_summary.dump(2);

    const CommandOutput empty = Eval(common + " --predictions empty --run-id empty");
    EXPECT_EQ(empty.exit_code, 0) << empty.output;
    EXPECT_EQ(Summary("empty", "empty").at("resolved_instances"), 0);
    EXPECT_EQ(Summary("empty", "empty").at("empty_patch_instances"), expected_count);
  }
};

TEST_F(EvalFullSetsTest, AllJqInstances) { GradeAll("multilingual_test.jsonl", "jqlang/jq", 9); }

TEST_F(EvalFullSetsTest, AllFmtInstances) { GradeAll("multilingual_test.jsonl", "fmtlib/fmt", 11); }

TEST_F(EvalFullSetsTest, AllSympyLiteInstances) {
  // The longest, sympy__sympy-11870, spends ~1,000 s in test_sin_cos under the official
  // `bin/test -C` (sympy's cache off), inside the official 1,800 s timeout.
  GradeAll("lite_test.jsonl", "sympy/sympy", 77);
}

}  // namespace
}  // namespace fathom::cli
