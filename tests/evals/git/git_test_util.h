// Helpers for the evals/git tests: running the git CLI (through the shell, output captured) and
// building tiny repositories with it. Used by one test at a time; not thread-safe.
#pragma once

#include <gtest/gtest.h>
#include <stdio.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace fathom::evals::git::testing {

// git with an identity for commits, a fixed default branch and every transport refused, so a
// command that would fetch fails instead.
inline const std::string kGit =
    "git -c user.name=fathom -c user.email=fathom@example.com -c init.defaultBranch=main "
    "-c protocol.allow=never -c advice.detachedHead=false -c maintenance.auto=false";

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

// `path` in single quotes, for a shell command line.
inline std::string Quoted(const std::filesystem::path& path) {
  std::string quoted = "'";
  quoted += path.string();
  quoted += '\'';
  return quoted;
}

// Runs `command` with /bin/sh, stderr merged into stdout.
inline CommandResult Shell(const std::string& command) {
  CommandResult result;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  for (size_t count; (count = fread(buffer, 1, sizeof(buffer), pipe)) > 0;) {
    result.output.append(buffer, count);
  }
  const int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

// The output of `git -C dir arguments`, trailing newline removed; a failure fails the test.
inline std::string Git(const std::filesystem::path& dir, const std::string& arguments) {
  const CommandResult result = Shell(kGit + " -C " + Quoted(dir) + " " + arguments);
  EXPECT_EQ(result.exit_code, 0) << "git " << arguments << " in " << dir << ":\n" << result.output;
  std::string output = result.output;
  while (!output.empty() && output.back() == '\n') output.pop_back();
  return output;
}

// A repository at `dir` with two commits on main (an executable script, a nested file) and an
// annotated tag v1 on the first; returns the second commit.
inline std::string MakeTinyRepository(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  EXPECT_EQ(Shell(kGit + " init -q " + Quoted(dir)).exit_code, 0);
  std::ofstream(dir / "run.sh") << "#!/bin/sh\necho hi\n";
  fs::permissions(dir / "run.sh", fs::perms::owner_exec, fs::perm_options::add);
  Git(dir, "add run.sh");
  Git(dir, "commit -q -m first");
  Git(dir, "tag -a v1 -m 'version 1'");
  fs::create_directories(dir / "src/deep");
  std::ofstream(dir / "src/deep/file.txt") << "nested\n";
  Git(dir, "add src");
  Git(dir, "commit -q -m second");
  return Git(dir, "rev-parse HEAD");
}

}  // namespace fathom::evals::git::testing
