// Test helper: runs the built `fathom` binary (FATHOM_BINARY) through the shell and captures its
// output and exit code.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace fathom::cli {

struct CommandOutput {
  int exit_code = -1;
  std::string output;
};

// Runs `fathom arguments`; `redirect` says what happens to stderr.
inline CommandOutput RunFathom(const std::string& arguments, const std::string& redirect = "2>&1") {
  const std::string command = "'" FATHOM_BINARY "' " + arguments + " " + redirect;
  CommandOutput result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  for (size_t count; (count = fread(buffer, 1, sizeof(buffer), pipe)) > 0;) {
    result.output.append(buffer, count);
  }
  const int status = pclose(pipe);
  if (status != -1 && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  return result;
}

}  // namespace fathom::cli
