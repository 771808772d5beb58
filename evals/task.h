// SWE-bench task instances: the dataset rows the harness grades (SWE-bench JSONL, as the official
// harness and the published parquet exports write them). FAIL_TO_PASS and PASS_TO_PASS may be JSON
// lists or JSON strings holding a list (Verified/Lite/full). Value types; loading is thread-safe.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"

namespace fathom::evals {

struct TaskInstance {
  std::string instance_id;  // "owner__repo-PR", e.g. "jqlang__jq-2839"
  std::string repo;         // "owner/name"
  std::string base_commit;
  std::string patch;       // the gold fix (hidden from the agent)
  std::string test_patch;  // applied at grading time only
  std::string problem_statement;
  std::string hints_text;
  std::string created_at;
  std::string version;
  std::optional<std::string> environment_setup_commit;  // Python sets only
  std::optional<std::string> eval_script;               // v5 exports: the complete grading script
  std::optional<std::string> log_parser;                // v5 exports: the parser's name
  // eval_type "fail_only" (the official FAIL_ONLY_REPOS): only an explicit FAILED fails a test.
  bool fail_only = false;
  std::vector<std::string> fail_to_pass;
  std::vector<std::string> pass_to_pass;
};

// One dataset row; errors name the field ("FAIL_TO_PASS: expected a list of strings ...").
base::Result<TaskInstance> TaskInstanceFromJson(const base::Json& row);

// Every row of a JSONL file, in file order. Blank lines are skipped; a malformed row or a
// duplicate instance_id is an error naming the file and line.
base::Result<std::vector<TaskInstance>> LoadTaskInstances(const std::filesystem::path& path);

}  // namespace fathom::evals
