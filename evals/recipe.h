// Recipes: how to build and test one repository offline, without the official Docker images.
// A recipe names the build steps the environment runs once per (repo, commit) and caches, the
// official eval-script lines those steps make redundant, the environment and helper files the
// tests need on Debian, and the test command for rows that carry no eval_script.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sandbox/policy.h"

namespace fathom::evals {

// A file the recipe writes into the run's support directory before each run.
struct SupportFile {
  std::string relative_path;  // under the support directory, such as "bin/python"
  std::string content;
  bool executable = false;
};

// Build steps (run after the test patch) and the test command (possibly several lines).
struct GeneratedCommands {
  std::vector<std::string> build;
  std::string test;
};

struct Recipe {
  std::string repo;  // "owner/name", as in the dataset's repo field
  // Bumped whenever the commands below change; part of the build cache key.
  int version = 1;
  std::string log_parser;  // used when the row names none
  bool python = false;     // Python-style scripts: `git apply -v` for the test patch
  // Lines of the eval script (official or generated) that the cached setup has already done and
  // that would only undo it if repeated ("make clean", "./configure ..."): setup runs them, the
  // graded run skips them.
  std::vector<std::string> setup_only_commands;
  // For rows without an eval_script: the build and test commands, from the files the test patch
  // touches (the official specs name the test target after the test file).
  GeneratedCommands (*commands)(std::span<const std::string> test_files) = nullptr;
  // Variables set for every command; "{support}" stands for the support directory.
  std::vector<std::pair<std::string, std::string>> environment;
  std::vector<SupportFile> support_files;
  // Host programs the official image lacks and whose presence changes a build or a test suite
  // (jq's configure turns valgrind on when it finds it); hidden in the sandbox when installed.
  std::vector<std::string> hidden_programs;
  sandbox::NetworkAccess network = sandbox::NetworkAccess::kOff;
};

// The recipe for `repo`, or null when fathom has none.
const Recipe* FindRecipe(std::string_view repo);

// Every recipe, in a fixed order.
std::span<const Recipe> Recipes();

}  // namespace fathom::evals
