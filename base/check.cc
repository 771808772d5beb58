#include "base/check.h"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace fathom::base::internal {

CheckFailure::CheckFailure(std::string_view file, int line, std::string_view condition) {
  stream_ << file << ":" << line << ": check failed: " << condition << " ";
}

CheckFailure::~CheckFailure() {
  std::string message = stream_.str();
  std::fprintf(stderr, "%s\n", message.c_str());
  std::fflush(stderr);
  std::abort();
}

}  // namespace fathom::base::internal
