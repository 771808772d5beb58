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
  // `known_unfinished`: instances whose tests do not finish within the timeout here (listed with
  // the reason at the call); every other instance must resolve.
  void GradeAll(const char* tasks_file, const char* repo, size_t expected_count,
                const std::vector<std::string>& known_unfinished = {}) {
    const fs::path tasks = kDatasets / "swebench" / tasks_file;
    const std::vector<std::string> ids = InstanceIdsOf(tasks, repo);
    ASSERT_EQ(ids.size(), expected_count);
    const std::string common =
        "--tasks '" + tasks.string() + "' -j 2 --timeout 300 --instance-ids " + Join(ids);

    const CommandOutput gold = Eval(common + " --predictions gold --run-id gold");
    EXPECT_EQ(gold.exit_code, known_unfinished.empty() ? 0 : 1) << gold.output;  // 1: errors
    std::cout << gold.output;  // the per-repository table and any errors, for the record
    const base::Json gold_summary = Summary("gold", "gold");
    EXPECT_EQ(gold_summary.at("resolved_instances"), expected_count - known_unfinished.size())
        << gold_summary.dump(2);
    for (const std::string id : gold_summary.at("error_ids")) {
      EXPECT_NE(std::find(known_unfinished.begin(), known_unfinished.end(), id),
                known_unfinished.end())
          << id;
    }

    const CommandOutput empty = Eval(common + " --predictions empty --run-id empty");
    EXPECT_EQ(empty.exit_code, 0) << empty.output;
    EXPECT_EQ(Summary("empty", "empty").at("resolved_instances"), 0);
    EXPECT_EQ(Summary("empty", "empty").at("empty_patch_instances"), expected_count);
  }
};

TEST_F(EvalFullSetsTest, AllJqInstances) { GradeAll("multilingual_test.jsonl", "jqlang/jq", 9); }

TEST_F(EvalFullSetsTest, AllFmtInstances) { GradeAll("multilingual_test.jsonl", "fmtlib/fmt", 11); }

TEST_F(EvalFullSetsTest, AllSympyLiteInstances) {
  // Debian's Python 3.11 with the official `bin/test -C` (sympy's cache off): these five sit in
  // one test (test_sin_cos, test_bell, test_image_piecewise, test_simplify_expr, test_equals) for
  // more than 300 s; with the cache on they take seconds. The official images use older Pythons.
  GradeAll("lite_test.jsonl", "sympy/sympy", 77,
           {"sympy__sympy-11870", "sympy__sympy-13437", "sympy__sympy-16988", "sympy__sympy-17139",
            "sympy__sympy-18057"});
}

}  // namespace
}  // namespace fathom::cli
