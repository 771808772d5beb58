// Both views classify every instance once (Classify) and differ only in presentation.
#include "evals/run_report.h"

#include <algorithm>
#include <map>
#include <set>

namespace fathom::evals {

namespace {

enum class Category { kResolved, kUnresolved, kEmptyPatch, kError, kIncomplete };

std::map<std::string, Category> Classify(std::span<const TaskInstance> instances,
                                         std::span<const Prediction> predictions,
                                         std::span<const InstanceOutcome> outcomes) {
  std::set<std::string> submitted;
  for (const Prediction& prediction : predictions) submitted.insert(prediction.instance_id);
  std::map<std::string, const InstanceOutcome*> by_id;
  for (const InstanceOutcome& outcome : outcomes) by_id[outcome.instance_id] = &outcome;
  std::map<std::string, Category> categories;
  for (const TaskInstance& instance : instances) {
    Category category = Category::kIncomplete;
    if (submitted.contains(instance.instance_id)) {
      category = Category::kError;
      if (const auto it = by_id.find(instance.instance_id); it != by_id.end()) {
        switch (it->second->status) {
          case InstanceStatus::kResolved:
            category = Category::kResolved;
            break;
          case InstanceStatus::kUnresolved:
            category = Category::kUnresolved;
            break;
          case InstanceStatus::kEmptyPatch:
            category = Category::kEmptyPatch;
            break;
          case InstanceStatus::kError:
            break;
        }
      }
    }
    categories[instance.instance_id] = category;
  }
  return categories;
}

std::vector<std::string> IdsIn(const std::map<std::string, Category>& categories,
                               std::initializer_list<Category> wanted) {
  std::vector<std::string> ids;
  for (const auto& [id, category] : categories) {
    if (std::find(wanted.begin(), wanted.end(), category) != wanted.end()) ids.push_back(id);
  }
  return ids;
}

struct Counts {
  int total = 0;
  std::map<Category, int> by_category;
};

std::string Row(std::string_view name, const Counts& counts) {
  auto count = [&](Category category) {
    const auto it = counts.by_category.find(category);
    return it == counts.by_category.end() ? 0 : it->second;
  };
  const int resolved = count(Category::kResolved);
  char line[256];
  std::snprintf(line, sizeof line, "%-28.28s %6d %9d %11d %6d %6d %11d %8.1f%%\n",
                std::string(name).c_str(), counts.total, resolved, count(Category::kUnresolved),
                count(Category::kEmptyPatch), count(Category::kError), count(Category::kIncomplete),
                counts.total == 0 ? 0.0 : 100.0 * resolved / counts.total);
  return line;
}

}  // namespace

base::Json RunSummaryJson(std::span<const TaskInstance> instances,
                          std::span<const Prediction> predictions,
                          std::span<const InstanceOutcome> outcomes) {
  const std::map<std::string, Category> categories = Classify(instances, predictions, outcomes);
  const std::vector<std::string> resolved = IdsIn(categories, {Category::kResolved});
  const std::vector<std::string> unresolved = IdsIn(categories, {Category::kUnresolved});
  const std::vector<std::string> completed =
      IdsIn(categories, {Category::kResolved, Category::kUnresolved});
  const std::vector<std::string> empty = IdsIn(categories, {Category::kEmptyPatch});
  const std::vector<std::string> errors = IdsIn(categories, {Category::kError});
  const std::vector<std::string> incomplete = IdsIn(categories, {Category::kIncomplete});
  const std::vector<std::string> submitted =
      IdsIn(categories,
            {Category::kResolved, Category::kUnresolved, Category::kEmptyPatch, Category::kError});
  base::Json summary = base::Json::object();
  summary["total_instances"] = instances.size();
  summary["submitted_instances"] = submitted.size();
  summary["completed_instances"] = completed.size();
  summary["resolved_instances"] = resolved.size();
  summary["unresolved_instances"] = unresolved.size();
  summary["empty_patch_instances"] = empty.size();
  summary["error_instances"] = errors.size();
  summary["completed_ids"] = completed;
  summary["incomplete_ids"] = incomplete;
  summary["empty_patch_ids"] = empty;
  summary["submitted_ids"] = submitted;
  summary["resolved_ids"] = resolved;
  summary["unresolved_ids"] = unresolved;
  summary["error_ids"] = errors;
  summary["schema_version"] = 2;
  return summary;
}

std::string RunSummaryTable(std::span<const TaskInstance> instances,
                            std::span<const Prediction> predictions,
                            std::span<const InstanceOutcome> outcomes) {
  const std::map<std::string, Category> categories = Classify(instances, predictions, outcomes);
  std::map<std::string, Counts> by_repo;
  Counts total;
  for (const TaskInstance& instance : instances) {
    const Category category = categories.at(instance.instance_id);
    Counts& repo = by_repo[instance.repo];
    ++repo.total;
    ++repo.by_category[category];
    ++total.total;
    ++total.by_category[category];
  }
  char header[256];
  std::snprintf(header, sizeof header, "%-28s %6s %9s %11s %6s %6s %11s %9s\n", "repository",
                "total", "resolved", "unresolved", "empty", "error", "incomplete", "resolved%");
  std::string table = header;
  for (const auto& [repo, counts] : by_repo) table += Row(repo, counts);
  table += Row("all", total);
  return table;
}

}  // namespace fathom::evals
