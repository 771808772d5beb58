// RunProgram: success, a failing exit with the program's output in the error, a missing program.
#include "base/run_program.h"

#include <gtest/gtest.h>

namespace fathom::base {
namespace {

TEST(RunProgramTest, SucceedsWhenTheProgramExitsZero) { EXPECT_TRUE(RunProgram({"true"}).ok()); }

TEST(RunProgramTest, FailureCarriesTheCommandAndItsOutput) {
  const Status status = RunProgram({"sh", "-c", "echo to-stdout; echo to-stderr >&2; exit 3"});
  ASSERT_FALSE(status.ok());
  const std::string& message = status.error().message();
  EXPECT_NE(message.find("exited with 3"), std::string::npos) << message;
  EXPECT_NE(message.find("to-stdout"), std::string::npos) << message;
  EXPECT_NE(message.find("to-stderr"), std::string::npos) << message;
}

TEST(RunProgramTest, MissingProgramIsAnErrorNamingIt) {
  const Status status = RunProgram({"fathom-no-such-program"});
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message().find("fathom-no-such-program"), std::string::npos);
  EXPECT_FALSE(RunProgram({}).ok());
}

}  // namespace
}  // namespace fathom::base
