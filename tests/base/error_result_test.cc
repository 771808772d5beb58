#include <gtest/gtest.h>

#include <cerrno>
#include <memory>
#include <sstream>
#include <string>

#include "base/error.h"
#include "base/result.h"

namespace fathom::base {
namespace {

Result<int> ParsePositive(int value) {
  if (value <= 0) return InvalidArgumentError("not positive: " + std::to_string(value));
  return value;
}

Result<int> DoublePositive(int value) {
  FATHOM_ASSIGN_OR_RETURN(int parsed, ParsePositive(value));
  return parsed * 2;
}

Status CheckBoth(int first, int second) {
  FATHOM_TRY(ParsePositive(first));
  FATHOM_TRY(ParsePositive(second));
  return Ok();
}

Result<std::unique_ptr<int>> MakeBox(int value) {
  if (value < 0) return OutOfRangeError("negative");
  return std::make_unique<int>(value);
}

Result<int> Unbox(int value) {
  FATHOM_ASSIGN_OR_RETURN(std::unique_ptr<int> box, MakeBox(value));
  return *box + 1;
}

TEST(ErrorTest, CodeNameAndToString) {
  Error error = NotFoundError("config.json");
  EXPECT_EQ(error.code(), ErrorCode::kNotFound);
  EXPECT_EQ(error.message(), "config.json");
  EXPECT_EQ(error.ToString(), "not_found: config.json");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kInvalidArgument), "invalid_argument");
  std::ostringstream stream;
  stream << error;
  EXPECT_EQ(stream.str(), "not_found: config.json");
}

TEST(ErrorTest, WithContextPrependsAndKeepsCode) {
  Error error = PermissionDeniedError("denied");
  Error wrapped = error.WithContext("opening /etc/shadow");
  EXPECT_EQ(wrapped.code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(wrapped.message(), "opening /etc/shadow: denied");
  EXPECT_EQ(error.message(), "denied");
  EXPECT_EQ(std::move(error).WithContext("a").WithContext("b").message(), "b: a: denied");
}

TEST(ErrorTest, ErrnoErrorMapsCodesAndDescribes) {
  Error missing = ErrnoError("open x", ENOENT);
  EXPECT_EQ(missing.code(), ErrorCode::kNotFound);
  EXPECT_EQ(missing.message(), "open x: No such file or directory");
  EXPECT_EQ(ErrnoError("w", EACCES).code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(ErrnoError("w", EEXIST).code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(ErrnoError("w", ENOSPC).code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(ErrnoError("w", EXDEV).code(), ErrorCode::kUnknown);
}

TEST(ResultTest, HoldsValueOrError) {
  Result<int> value = ParsePositive(3);
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(*value, 3);
  EXPECT_EQ(value.value_or(7), 3);
  Result<int> error = ParsePositive(-1);
  ASSERT_FALSE(error.ok());
  EXPECT_EQ(error.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(error.value_or(7), 7);
}

TEST(ResultTest, AssignOrReturnPropagates) {
  Result<int> doubled = DoublePositive(4);
  ASSERT_TRUE(doubled.ok());
  EXPECT_EQ(*doubled, 8);
  Result<int> failed = DoublePositive(0);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().message(), "not positive: 0");
}

TEST(ResultTest, AssignOrReturnMovesOnlyTypes) {
  Result<int> unboxed = Unbox(41);
  ASSERT_TRUE(unboxed.ok());
  EXPECT_EQ(*unboxed, 42);
  EXPECT_EQ(Unbox(-1).error().code(), ErrorCode::kOutOfRange);
}

TEST(ResultTest, TryPropagatesFirstFailure) {
  EXPECT_TRUE(CheckBoth(1, 2).ok());
  Status second = CheckBoth(1, -2);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().message(), "not positive: -2");
  EXPECT_EQ(CheckBoth(-1, -2).error().message(), "not positive: -1");
}

TEST(ResultTest, StatusDefaultsToOk) {
  Status status = Ok();
  EXPECT_TRUE(status.ok());
  Status failed = InternalError("boom");
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code(), ErrorCode::kInternal);
}

TEST(ResultDeathTest, ValueOfErrorAborts) {
  Result<int> error = ParsePositive(0);
  EXPECT_DEATH((void)error.value(), "Result::value\\(\\) called on an error");
}

}  // namespace
}  // namespace fathom::base
