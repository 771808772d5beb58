// LoadTaskInstances: line-by-line JSONL, each row checked field by field.
#include "evals/task.h"

#include <fstream>
#include <set>

namespace fathom::evals {

namespace {

base::Result<std::string> RequiredString(const base::Json& row, const char* field) {
  const auto it = row.find(field);
  if (it == row.end()) return base::InvalidArgumentError(std::string(field) + ": missing");
  if (!it->is_string()) {
    return base::InvalidArgumentError(std::string(field) + ": expected a string, got " +
                                      it->type_name());
  }
  return it->get<std::string>();
}

// A string field that may be absent or null ("hints_text" is often null in exports).
base::Result<std::optional<std::string>> OptionalString(const base::Json& row, const char* field) {
  const auto it = row.find(field);
  if (it == row.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string()) {
    return base::InvalidArgumentError(std::string(field) + ": expected a string, got " +
                                      it->type_name());
  }
  return std::optional<std::string>(it->get<std::string>());
}

// A list of test names, given as a JSON list or as a string holding one.
base::Result<std::vector<std::string>> TestList(const base::Json& row, const char* field) {
  const auto it = row.find(field);
  if (it == row.end()) return base::InvalidArgumentError(std::string(field) + ": missing");
  base::Json list = *it;
  if (list.is_string()) {
    base::Result<base::Json> parsed = base::ParseJson(list.get<std::string>());
    if (!parsed.ok()) {
      return base::InvalidArgumentError(
          std::string(field) + ": a string that is not a JSON list: " + parsed.error().message());
    }
    list = *std::move(parsed);
  }
  if (!list.is_array()) {
    return base::InvalidArgumentError(std::string(field) + ": expected a list of strings, got " +
                                      list.type_name());
  }
  std::vector<std::string> names;
  for (const base::Json& name : list) {
    if (!name.is_string()) {
      return base::InvalidArgumentError(std::string(field) + ": expected a list of strings, got " +
                                        "an element of type " + name.type_name());
    }
    names.push_back(name.get<std::string>());
  }
  return names;
}

}  // namespace

base::Result<TaskInstance> TaskInstanceFromJson(const base::Json& row) {
  if (!row.is_object()) return base::InvalidArgumentError("expected a JSON object per row");
  TaskInstance instance;
  FATHOM_ASSIGN_OR_RETURN(instance.instance_id, RequiredString(row, "instance_id"));
  FATHOM_ASSIGN_OR_RETURN(instance.repo, RequiredString(row, "repo"));
  FATHOM_ASSIGN_OR_RETURN(instance.base_commit, RequiredString(row, "base_commit"));
  FATHOM_ASSIGN_OR_RETURN(instance.patch, RequiredString(row, "patch"));
  FATHOM_ASSIGN_OR_RETURN(instance.test_patch, RequiredString(row, "test_patch"));
  FATHOM_ASSIGN_OR_RETURN(instance.problem_statement, RequiredString(row, "problem_statement"));
  FATHOM_ASSIGN_OR_RETURN(std::optional<std::string> hints, OptionalString(row, "hints_text"));
  instance.hints_text = hints.value_or("");
  FATHOM_ASSIGN_OR_RETURN(std::optional<std::string> created, OptionalString(row, "created_at"));
  instance.created_at = created.value_or("");
  FATHOM_ASSIGN_OR_RETURN(std::optional<std::string> version, OptionalString(row, "version"));
  instance.version = version.value_or("");
  FATHOM_ASSIGN_OR_RETURN(instance.environment_setup_commit,
                          OptionalString(row, "environment_setup_commit"));
  FATHOM_ASSIGN_OR_RETURN(instance.eval_script, OptionalString(row, "eval_script"));
  FATHOM_ASSIGN_OR_RETURN(instance.log_parser, OptionalString(row, "log_parser"));
  FATHOM_ASSIGN_OR_RETURN(std::optional<std::string> eval_type, OptionalString(row, "eval_type"));
  instance.fail_only = eval_type == "fail_only";
  FATHOM_ASSIGN_OR_RETURN(instance.fail_to_pass, TestList(row, "FAIL_TO_PASS"));
  FATHOM_ASSIGN_OR_RETURN(instance.pass_to_pass, TestList(row, "PASS_TO_PASS"));
  return instance;
}

base::Result<std::vector<TaskInstance>> LoadTaskInstances(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return base::NotFoundError("cannot open the task file " + path.string());
  std::vector<TaskInstance> instances;
  std::set<std::string> seen;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = path.string() + ":" + std::to_string(number) + ": ";
    base::Result<base::Json> row = base::ParseJson(line);
    if (!row.ok()) return base::InvalidArgumentError(where + row.error().message());
    base::Result<TaskInstance> instance = TaskInstanceFromJson(*row);
    if (!instance.ok()) return base::InvalidArgumentError(where + instance.error().message());
    if (!seen.insert(instance->instance_id).second) {
      return base::InvalidArgumentError(where + "duplicate instance_id " + instance->instance_id);
    }
    instances.push_back(*std::move(instance));
  }
  if (in.bad()) return base::DataLossError("reading the task file " + path.string() + " failed");
  return instances;
}

}  // namespace fathom::evals
