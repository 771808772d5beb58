#include "base/check.h"

#include <gtest/gtest.h>

namespace fathom::base {
namespace {

bool CountedCondition(int& evaluations, bool result) {
  ++evaluations;
  return result;
}

TEST(CheckTest, PassingCheckEvaluatesConditionOnceAndSkipsMessage) {
  int evaluations = 0;
  int message_evaluations = 0;
  FATHOM_CHECK(CountedCondition(evaluations, true)) << ++message_evaluations;
  EXPECT_EQ(evaluations, 1);
  EXPECT_EQ(message_evaluations, 0);
}

TEST(CheckDeathTest, FailingCheckAbortsWithConditionAndMessage) {
  int limit = 3;
  EXPECT_DEATH(FATHOM_CHECK(limit > 5) << "limit is " << limit,
               "check_test.cc:[0-9]+: check failed: limit > 5 limit is 3");
}

TEST(CheckDeathTest, FailingCheckWorksAsStatementInBranches) {
  bool flag = false;
  EXPECT_DEATH(
      {
        if (!flag) FATHOM_CHECK(flag) << "flag unset";
      },
      "check failed: flag flag unset");
}

}  // namespace
}  // namespace fathom::base
