#include "base/error.h"

#include <cerrno>
#include <cstring>

namespace fathom::base {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kCancelled:
      return "cancelled";
    case ErrorCode::kUnknown:
      return "unknown";
    case ErrorCode::kInvalidArgument:
      return "invalid_argument";
    case ErrorCode::kDeadlineExceeded:
      return "deadline_exceeded";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kAlreadyExists:
      return "already_exists";
    case ErrorCode::kPermissionDenied:
      return "permission_denied";
    case ErrorCode::kResourceExhausted:
      return "resource_exhausted";
    case ErrorCode::kFailedPrecondition:
      return "failed_precondition";
    case ErrorCode::kAborted:
      return "aborted";
    case ErrorCode::kOutOfRange:
      return "out_of_range";
    case ErrorCode::kUnimplemented:
      return "unimplemented";
    case ErrorCode::kInternal:
      return "internal";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kDataLoss:
      return "data_loss";
  }
  return "unknown";
}

Error Error::WithContext(std::string_view context) const& {
  return Error(*this).WithContext(context);
}

Error Error::WithContext(std::string_view context) && {
  message_ = std::string(context) + ": " + message_;
  return std::move(*this);
}

std::string Error::ToString() const { return std::string(ErrorCodeName(code_)) + ": " + message_; }

std::ostream& operator<<(std::ostream& out, const Error& error) { return out << error.ToString(); }

Error InvalidArgumentError(std::string message) {
  return Error(ErrorCode::kInvalidArgument, std::move(message));
}
Error NotFoundError(std::string message) { return Error(ErrorCode::kNotFound, std::move(message)); }
Error AlreadyExistsError(std::string message) {
  return Error(ErrorCode::kAlreadyExists, std::move(message));
}
Error PermissionDeniedError(std::string message) {
  return Error(ErrorCode::kPermissionDenied, std::move(message));
}
Error FailedPreconditionError(std::string message) {
  return Error(ErrorCode::kFailedPrecondition, std::move(message));
}
Error OutOfRangeError(std::string message) {
  return Error(ErrorCode::kOutOfRange, std::move(message));
}
Error UnimplementedError(std::string message) {
  return Error(ErrorCode::kUnimplemented, std::move(message));
}
Error InternalError(std::string message) { return Error(ErrorCode::kInternal, std::move(message)); }
Error UnavailableError(std::string message) {
  return Error(ErrorCode::kUnavailable, std::move(message));
}
Error DataLossError(std::string message) { return Error(ErrorCode::kDataLoss, std::move(message)); }
Error ResourceExhaustedError(std::string message) {
  return Error(ErrorCode::kResourceExhausted, std::move(message));
}
Error DeadlineExceededError(std::string message) {
  return Error(ErrorCode::kDeadlineExceeded, std::move(message));
}
Error CancelledError(std::string message) {
  return Error(ErrorCode::kCancelled, std::move(message));
}

Error ErrnoError(std::string_view what, int errno_value) {
  ErrorCode code = ErrorCode::kUnknown;
  switch (errno_value) {
    case ENOENT:
    case ENOTDIR:
      code = ErrorCode::kNotFound;
      break;
    case EACCES:
    case EPERM:
    case EROFS:
      code = ErrorCode::kPermissionDenied;
      break;
    case EEXIST:
      code = ErrorCode::kAlreadyExists;
      break;
    case EINVAL:
    case ENAMETOOLONG:
    case EISDIR:
      code = ErrorCode::kInvalidArgument;
      break;
    case ENOMEM:
    case ENOSPC:
    case EMFILE:
    case ENFILE:
    case EDQUOT:
      code = ErrorCode::kResourceExhausted;
      break;
    case EAGAIN:
    case EBUSY:
    case EINTR:
      code = ErrorCode::kUnavailable;
      break;
    case ETIMEDOUT:
      code = ErrorCode::kDeadlineExceeded;
      break;
    case ENOSYS:
    case EOPNOTSUPP:
      code = ErrorCode::kUnimplemented;
      break;
    case EIO:
      code = ErrorCode::kDataLoss;
      break;
    default:
      break;
  }
  return Error(code, std::string(what) + ": " + std::strerror(errno_value));
}

}  // namespace fathom::base
