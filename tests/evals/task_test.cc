// Task instances from the real SWE-bench exports in ../shared/datasets/swebench (Multilingual and
// Lite; counts per repository from the spec, [SBD]) and from hand-written rows for the encodings
// and the errors: test lists as JSON strings, nulls, missing fields, duplicates.
#include "evals/task.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace fathom::evals {
namespace {

namespace fs = std::filesystem;

const fs::path kDatasets = fs::path(FATHOM_SHARED_DIR) / "datasets/swebench";

size_t CountRepo(const std::vector<TaskInstance>& instances, std::string_view repo) {
  return static_cast<size_t>(std::count_if(instances.begin(), instances.end(),
                                           [&](const TaskInstance& i) { return i.repo == repo; }));
}

base::Json Row() {
  return {{"instance_id", "jqlang__jq-1"},
          {"repo", "jqlang/jq"},
          {"base_commit", "abc"},
          {"patch", "diff --git a/x b/x"},
          {"test_patch", "diff"},
          {"problem_statement", "p"},
          {"hints_text", nullptr},
          {"created_at", "2024-01-01"},
          {"version", "1"},
          {"FAIL_TO_PASS", {"t1"}},
          {"PASS_TO_PASS", base::Json::array()}};
}

TEST(TaskInstanceTest, LoadsTheMultilingualExport) {
  base::Result<std::vector<TaskInstance>> instances =
      LoadTaskInstances(kDatasets / "multilingual_test.jsonl");
  ASSERT_TRUE(instances.ok()) << instances.error();
  EXPECT_EQ(instances->size(), 300u);
  EXPECT_EQ(CountRepo(*instances, "jqlang/jq"), 9u);
  EXPECT_EQ(CountRepo(*instances, "fmtlib/fmt"), 11u);
  EXPECT_EQ(CountRepo(*instances, "redis/redis"), 12u);
  const TaskInstance& first = instances->front();
  EXPECT_EQ(first.instance_id, "apache__druid-13704");
  EXPECT_EQ(first.base_commit, "51dfde02840017092486fb75be2b16566aff6a19");
  EXPECT_TRUE(first.patch.starts_with("diff --git a/docs/querying/post-aggregations.md"));
  for (const TaskInstance& instance : *instances) {
    EXPECT_TRUE(instance.log_parser.has_value()) << instance.instance_id;
    EXPECT_FALSE(instance.environment_setup_commit.has_value()) << instance.instance_id;
  }
}

TEST(TaskInstanceTest, LoadsTheLiteExport) {
  base::Result<std::vector<TaskInstance>> instances =
      LoadTaskInstances(kDatasets / "lite_test.jsonl");
  ASSERT_TRUE(instances.ok()) << instances.error();
  EXPECT_EQ(instances->size(), 300u);
  EXPECT_EQ(CountRepo(*instances, "django/django"), 114u);
  EXPECT_EQ(CountRepo(*instances, "sympy/sympy"), 77u);
  for (const TaskInstance& instance : *instances) {
    EXPECT_TRUE(instance.environment_setup_commit.has_value()) << instance.instance_id;
  }
}

TEST(TaskInstanceTest, TestListsMayBeJsonStrings) {
  base::Json row = Row();
  row["FAIL_TO_PASS"] = R"(["tests/a.py::test_x", "tests/a.py::test_y[1-2]"])";
  row["PASS_TO_PASS"] = "[]";
  base::Result<TaskInstance> instance = TaskInstanceFromJson(row);
  ASSERT_TRUE(instance.ok()) << instance.error();
  EXPECT_EQ(instance->fail_to_pass,
            (std::vector<std::string>{"tests/a.py::test_x", "tests/a.py::test_y[1-2]"}));
  EXPECT_TRUE(instance->pass_to_pass.empty());
  EXPECT_EQ(instance->hints_text, "");
}

TEST(TaskInstanceTest, BadRowsNameTheField) {
  base::Json missing = Row();
  missing.erase("base_commit");
  base::Result<TaskInstance> result = TaskInstanceFromJson(missing);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message().find("base_commit: missing"), std::string::npos);

  base::Json not_a_list = Row();
  not_a_list["FAIL_TO_PASS"] = "not json";
  result = TaskInstanceFromJson(not_a_list);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message().find("FAIL_TO_PASS"), std::string::npos);

  base::Json numbers = Row();
  numbers["PASS_TO_PASS"] = {1, 2};
  result = TaskInstanceFromJson(numbers);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message().find("PASS_TO_PASS"), std::string::npos);
}

TEST(TaskInstanceTest, FileErrorsNameTheLine) {
  const fs::path path =
      fs::temp_directory_path() / ("fathom_task_test_" + std::to_string(getpid()) + ".jsonl");
  std::ofstream(path) << Row().dump() << "\n\n" << Row().dump() << "\n";
  base::Result<std::vector<TaskInstance>> duplicate = LoadTaskInstances(path);
  ASSERT_FALSE(duplicate.ok());
  EXPECT_NE(duplicate.error().message().find(":3: duplicate instance_id jqlang__jq-1"),
            std::string::npos)
      << duplicate.error();
  std::ofstream(path) << "{not json\n";
  base::Result<std::vector<TaskInstance>> malformed = LoadTaskInstances(path);
  ASSERT_FALSE(malformed.ok());
  EXPECT_NE(malformed.error().message().find(":1: "), std::string::npos);
  fs::remove(path);
  EXPECT_FALSE(LoadTaskInstances(path).ok());
}

}  // namespace
}  // namespace fathom::evals
