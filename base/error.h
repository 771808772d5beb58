// Error: a status code and a human-readable message, the failure half of Result<T>.
// Messages name the thing that failed ("reading config.json: ..."); WithContext prepends
// such a prefix as an error travels up. Value type, thread-compatible.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

namespace fathom::base {

enum class ErrorCode {
  kCancelled,
  kUnknown,
  kInvalidArgument,
  kDeadlineExceeded,
  kNotFound,
  kAlreadyExists,
  kPermissionDenied,
  kResourceExhausted,
  kFailedPrecondition,
  kAborted,
  kOutOfRange,
  kUnimplemented,
  kInternal,
  kUnavailable,
  kDataLoss,
};

// The lowercase name of `code`, such as "invalid_argument".
std::string_view ErrorCodeName(ErrorCode code);

class Error {
 public:
  Error(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns this error with "context: " prepended to its message.
  Error WithContext(std::string_view context) const&;
  Error WithContext(std::string_view context) &&;

  // "invalid_argument: message".
  std::string ToString() const;

  friend bool operator==(const Error&, const Error&) = default;

 private:
  ErrorCode code_;
  std::string message_;
};

std::ostream& operator<<(std::ostream& out, const Error& error);

// Shorthands for the common codes.
Error InvalidArgumentError(std::string message);
Error NotFoundError(std::string message);
Error AlreadyExistsError(std::string message);
Error PermissionDeniedError(std::string message);
Error FailedPreconditionError(std::string message);
Error OutOfRangeError(std::string message);
Error UnimplementedError(std::string message);
Error InternalError(std::string message);
Error UnavailableError(std::string message);
Error DataLossError(std::string message);
Error ResourceExhaustedError(std::string message);
Error DeadlineExceededError(std::string message);
Error CancelledError(std::string message);

// An error for a failed system call: the message is "what: strerror(errno_value)" and the code
// follows errno (ENOENT is kNotFound, EACCES/EPERM kPermissionDenied, ...).
Error ErrnoError(std::string_view what, int errno_value);

}  // namespace fathom::base
