// The run summary in the official schema (make_run_report, schema_version 2: counts and sorted id
// lists of submitted, completed, resolved, unresolved, empty-patch, error and incomplete
// instances) and a readable per-repository table of the same numbers.
#pragma once

#include <span>
#include <string>

#include "base/json.h"
#include "evals/instance_grader.h"
#include "evals/predictions.h"
#include "evals/task.h"

namespace fathom::evals {

// `instances`: every instance the run covers; `predictions`: those submitted for them;
// `outcomes`: the instances graded (or skipped as empty). An instance with a prediction and no
// outcome (an interrupted run) counts as an error, as in the official report.
base::Json RunSummaryJson(std::span<const TaskInstance> instances,
                          std::span<const Prediction> predictions,
                          std::span<const InstanceOutcome> outcomes);

// A fixed-width table: one row per repository, then the totals.
std::string RunSummaryTable(std::span<const TaskInstance> instances,
                            std::span<const Prediction> predictions,
                            std::span<const InstanceOutcome> outcomes);

}  // namespace fathom::evals
