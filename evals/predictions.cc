// LoadPredictions: keywords first, then the file's shape decides (.jsonl, .json list or dict).
#include "evals/predictions.h"

#include <filesystem>
#include <fstream>
#include <set>

namespace fathom::evals {

namespace {

namespace fs = std::filesystem;

base::Result<Prediction> PredictionFromJson(const base::Json& entry,
                                            const std::string& id_from_key) {
  if (!entry.is_object()) return base::InvalidArgumentError("expected a JSON object");
  Prediction prediction;
  const auto id = entry.find("instance_id");
  if (id != entry.end()) {
    if (!id->is_string()) return base::InvalidArgumentError("instance_id: expected a string");
    prediction.instance_id = id->get<std::string>();
  }
  if (prediction.instance_id.empty()) prediction.instance_id = id_from_key;
  if (prediction.instance_id.empty()) return base::InvalidArgumentError("instance_id: missing");
  if (!id_from_key.empty() && prediction.instance_id != id_from_key) {
    return base::InvalidArgumentError("instance_id " + prediction.instance_id +
                                      " differs from its key " + id_from_key);
  }
  const auto model = entry.find("model_name_or_path");
  if (model != entry.end() && !model->is_null()) {
    if (!model->is_string()) {
      return base::InvalidArgumentError("model_name_or_path: expected a string");
    }
    prediction.model_name_or_path = model->get<std::string>();
  }
  const auto patch = entry.find("model_patch");
  if (patch != entry.end() && !patch->is_null()) {
    if (!patch->is_string()) return base::InvalidArgumentError("model_patch: expected a string");
    prediction.model_patch = patch->get<std::string>();
  }
  return prediction;
}

base::Result<std::vector<Prediction>> FromKeyword(std::string_view keyword,
                                                  std::span<const TaskInstance> instances) {
  std::vector<Prediction> predictions;
  for (const TaskInstance& instance : instances) {
    Prediction prediction{instance.instance_id, std::string(keyword), std::nullopt};
    if (keyword == "gold") prediction.model_patch = instance.patch;
    predictions.push_back(std::move(prediction));
  }
  return predictions;
}

base::Result<std::vector<Prediction>> FromJsonLines(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return base::NotFoundError("cannot open the predictions file " + path.string());
  std::vector<Prediction> predictions;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = path.string() + ":" + std::to_string(number) + ": ";
    base::Result<base::Json> entry = base::ParseJson(line);
    if (!entry.ok()) return base::InvalidArgumentError(where + entry.error().message());
    base::Result<Prediction> prediction = PredictionFromJson(*entry, "");
    if (!prediction.ok()) return base::InvalidArgumentError(where + prediction.error().message());
    predictions.push_back(*std::move(prediction));
  }
  return predictions;
}

base::Result<std::vector<Prediction>> FromJson(const fs::path& path) {
  FATHOM_ASSIGN_OR_RETURN(base::Json document, base::ReadJsonFile(path));
  std::vector<Prediction> predictions;
  const std::string where = path.string() + ": ";
  if (document.is_array()) {
    for (size_t i = 0; i < document.size(); ++i) {
      base::Result<Prediction> prediction = PredictionFromJson(document[i], "");
      if (!prediction.ok()) {
        return base::InvalidArgumentError(where + "entry " + std::to_string(i) + ": " +
                                          prediction.error().message());
      }
      predictions.push_back(*std::move(prediction));
    }
    return predictions;
  }
  if (!document.is_object()) {
    return base::InvalidArgumentError(where +
                                      "expected a list of predictions or an object "
                                      "keyed by instance_id");
  }
  for (const auto& [key, entry] : document.items()) {
    base::Result<Prediction> prediction = PredictionFromJson(entry, key);
    if (!prediction.ok()) {
      return base::InvalidArgumentError(where + key + ": " + prediction.error().message());
    }
    predictions.push_back(*std::move(prediction));
  }
  return predictions;
}

// Every prediction names a known instance, once.
base::Status CheckAgainst(const std::vector<Prediction>& predictions,
                          std::span<const TaskInstance> instances, std::string_view source) {
  std::set<std::string> known;
  for (const TaskInstance& instance : instances) known.insert(instance.instance_id);
  std::set<std::string> seen;
  for (const Prediction& prediction : predictions) {
    if (!known.contains(prediction.instance_id)) {
      return base::InvalidArgumentError(std::string(source) + ": prediction for " +
                                        prediction.instance_id +
                                        ", which is not an instance of the task file");
    }
    if (!seen.insert(prediction.instance_id).second) {
      return base::InvalidArgumentError(std::string(source) + ": two predictions for " +
                                        prediction.instance_id);
    }
  }
  return base::Ok();
}

}  // namespace

base::Result<std::vector<Prediction>> LoadPredictions(std::string_view source,
                                                      std::span<const TaskInstance> instances) {
  if (source == "gold" || source == "empty") return FromKeyword(source, instances);
  const fs::path path(source);
  std::vector<Prediction> predictions;
  if (path.extension() == ".jsonl") {
    FATHOM_ASSIGN_OR_RETURN(predictions, FromJsonLines(path));
  } else if (path.extension() == ".json") {
    FATHOM_ASSIGN_OR_RETURN(predictions, FromJson(path));
  } else {
    return base::InvalidArgumentError("predictions: " + path.string() +
                                      " is neither gold, empty, a .jsonl nor a .json file");
  }
  FATHOM_TRY(CheckAgainst(predictions, instances, source));
  return predictions;
}

}  // namespace fathom::evals
