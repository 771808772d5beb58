// FATHOM_CHECK(cond) << why: aborts the process with file, line, the condition and the streamed
// explanation when an invariant does not hold. For programming errors only; expected failures
// return base::Error. Thread-safe (writes one line to stderr, then abort()).
#pragma once

#include <sstream>
#include <string_view>

namespace fathom::base::internal {

// Collects the message of a failed check and aborts when destroyed.
class CheckFailure {
 public:
  CheckFailure(std::string_view file, int line, std::string_view condition);
  CheckFailure(const CheckFailure&) = delete;
  CheckFailure& operator=(const CheckFailure&) = delete;
  [[noreturn]] ~CheckFailure();

  std::ostream& stream() { return stream_; }

 private:
  std::ostringstream stream_;
};

// Lets the check macro discard the stream expression in a void context.
struct Voidify {
  void operator&(std::ostream&) {}
};

}  // namespace fathom::base::internal

#define FATHOM_CHECK(condition)               \
  (condition)                                 \
      ? (void)0                               \
      : ::fathom::base::internal::Voidify() & \
            ::fathom::base::internal::CheckFailure(__FILE__, __LINE__, #condition).stream()
