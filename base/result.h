// Result<T>: either a value of type T or an Error; Result<void> is the status of an operation
// that yields nothing. Our code returns these instead of throwing. FATHOM_TRY and
// FATHOM_ASSIGN_OR_RETURN propagate errors; accessing the wrong alternative aborts.
#pragma once

#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

#include "base/check.h"
#include "base/error.h"

namespace fathom::base {

template <typename T>
class [[nodiscard]] Result {
 public:
  static_assert(!std::is_same_v<std::remove_cv_t<T>, Error>, "Result<Error> is ambiguous");

  Result(T value) : storage_(std::in_place_index<0>, std::move(value)) {}      // NOLINT: implicit
  Result(Error error) : storage_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit
  template <typename U>
  requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::decay_t<U>, T> &&
           !std::is_same_v<std::decay_t<U>, Error> && !std::is_same_v<std::decay_t<U>, Result<T>>)
      Result(U&& value)  // NOLINT: implicit, like the value it wraps
      : storage_(std::in_place_index<0>, T(std::forward<U>(value))) {}

  bool ok() const { return storage_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return CheckedValue(); }
  const T& value() const& { return const_cast<Result*>(this)->CheckedValue(); }
  T&& value() && { return std::move(CheckedValue()); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& {
    FATHOM_CHECK(!ok()) << "Result::error() called on a value";
    return std::get<1>(storage_);
  }
  Error&& error() && {
    FATHOM_CHECK(!ok()) << "Result::error() called on a value";
    return std::get<1>(std::move(storage_));
  }

  // The value, or `fallback` when this holds an error.
  template <typename U>
  T value_or(U&& fallback) const& {
    return ok() ? std::get<0>(storage_) : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  T& CheckedValue() {
    FATHOM_CHECK(ok()) << "Result::value() called on an error: " << std::get<1>(storage_);
    return std::get<0>(storage_);
  }

  std::variant<T, Error> storage_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT: implicit

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }

  const Error& error() const& {
    FATHOM_CHECK(!ok()) << "Result::error() called on success";
    return *error_;
  }
  Error&& error() && {
    FATHOM_CHECK(!ok()) << "Result::error() called on success";
    return std::move(*error_);
  }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

// The successful Status.
inline Status Ok() { return Status(); }

}  // namespace fathom::base

#define FATHOM_INTERNAL_CONCAT_INNER(a, b) a##b
#define FATHOM_INTERNAL_CONCAT(a, b) FATHOM_INTERNAL_CONCAT_INNER(a, b)

// Evaluates the expression (a Result of any type; commas inside braces are fine) and returns its
// Error from the enclosing function when it failed.
#define FATHOM_TRY(...)                                                       \
  do {                                                                        \
    auto&& fathom_try_result = (__VA_ARGS__);                                 \
    if (!fathom_try_result.ok()) return std::move(fathom_try_result).error(); \
  } while (false)

// Declares or assigns `lhs` from the value of `expr` (a Result<T>), or returns its Error.
//   FATHOM_ASSIGN_OR_RETURN(auto file, MappedFile::Open(path));
#define FATHOM_ASSIGN_OR_RETURN(lhs, ...)                                                 \
  FATHOM_INTERNAL_ASSIGN_OR_RETURN(FATHOM_INTERNAL_CONCAT(fathom_result_, __LINE__), lhs, \
                                   __VA_ARGS__)

#define FATHOM_INTERNAL_ASSIGN_OR_RETURN(result, lhs, ...) \
  auto result = (__VA_ARGS__);                             \
  if (!result.ok()) return std::move(result).error();      \
  lhs = std::move(result).value()
