// Predictions to grade: the official harness's formats — a .jsonl file (one object per line), a
// .json file (a list of objects, or an object keyed by instance_id), or the keywords "gold" (each
// instance's own patch) and "empty" (no patch at all). Value types; loading is thread-safe.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "evals/task.h"

namespace fathom::evals {

struct Prediction {
  std::string instance_id;
  std::string model_name_or_path;
  std::optional<std::string> model_patch;  // null or absent in the file: no patch

  // No patch, or an empty one: graded as "empty patch", never run.
  bool empty() const { return !model_patch.has_value() || model_patch->empty(); }
};

// The predictions of `source` for `instances`. A prediction whose instance_id is not among
// `instances`, a duplicate instance_id, or a malformed entry is an error naming it (and the line
// of a .jsonl file). Instances without a prediction are simply absent (the report counts them as
// incomplete).
base::Result<std::vector<Prediction>> LoadPredictions(std::string_view source,
                                                      std::span<const TaskInstance> instances);

}  // namespace fathom::evals
