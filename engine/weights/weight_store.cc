#include "engine/weights/weight_store.h"

#include <algorithm>
#include <numeric>
#include <system_error>
#include <utility>

#include "base/json.h"

namespace fathom::engine {
namespace {

namespace fs = std::filesystem;
using base::Json;
using base::Result;

constexpr std::string_view kIndexFileName = "model.safetensors.index.json";
constexpr std::string_view kSingleFileName = "model.safetensors";
constexpr size_t kMaxSuggestionDistance = 3;

// The shards of a sharded checkpoint, each with the tensors the index maps to it.
using ShardPlan = std::map<std::string, std::vector<std::string>>;

bool Exists(const fs::path& path) {
  std::error_code error;
  return fs::exists(path, error);
}

// The Levenshtein distance of `a` and `b` when it is at most `limit`, else limit + 1.
size_t BoundedEditDistance(std::string_view a, std::string_view b, size_t limit) {
  size_t length_difference = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
  if (length_difference > limit) return limit + 1;
  std::vector<size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), size_t{0});
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    size_t row_minimum = row[0];
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({above + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1] ? 1 : 0)});
      diagonal = above;
      row_minimum = std::min(row_minimum, row[j]);
    }
    if (row_minimum > limit) return limit + 1;
  }
  return std::min(row.back(), limit + 1);
}

// A shard name from the index must be a plain file name, so a hostile index cannot reach
// outside the checkpoint directory.
bool IsPlainFileName(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos;
}

Result<ShardPlan> ReadShardPlan(const fs::path& index_path) {
  FATHOM_ASSIGN_OR_RETURN(Json index, base::ReadJsonFile(index_path));
  std::string where = "index " + index_path.string();
  auto weight_map = index.is_object() ? index.find("weight_map") : index.end();
  if (!index.is_object() || weight_map == index.end() || !weight_map->is_object()) {
    return base::DataLossError(where + ": expected an object with a \"weight_map\" object");
  }
  ShardPlan plan;
  for (const auto& [tensor, shard] : weight_map->items()) {
    if (!shard.is_string() || !IsPlainFileName(shard.get_ref<const std::string&>())) {
      return base::DataLossError(where + ": tensor " + QuoteName(tensor) +
                                 " is not mapped to a file name in the same directory");
    }
    plan[shard.get<std::string>()].push_back(tensor);
  }
  return plan;
}

// Opens one shard and checks that it holds every tensor the index maps to it.
Result<SafetensorsFile> OpenShard(const fs::path& index_path, const std::string& shard,
                                  const std::vector<std::string>& tensors) {
  fs::path shard_path = index_path.parent_path() / shard;
  if (!Exists(shard_path)) {
    return base::NotFoundError("index " + index_path.string() + " maps tensor " +
                               QuoteName(tensors.front()) + " to shard " + shard_path.string() +
                               ", which does not exist");
  }
  FATHOM_ASSIGN_OR_RETURN(SafetensorsFile file, SafetensorsFile::Open(shard_path));
  for (const std::string& tensor : tensors) {
    if (file.Find(tensor) == nullptr) {
      return base::DataLossError("index " + index_path.string() + " maps tensor " +
                                 QuoteName(tensor) + " to shard " + shard_path.string() +
                                 ", which does not contain it");
    }
  }
  return file;
}

}  // namespace

Result<WeightStore> WeightStore::Open(const fs::path& path) {
  std::error_code error;
  fs::file_status status = fs::status(path, error);
  if (!fs::exists(status)) {
    return base::NotFoundError("model path " + path.string() + " does not exist");
  }
  if (!fs::is_directory(status)) {
    FATHOM_ASSIGN_OR_RETURN(SafetensorsFile file, SafetensorsFile::Open(path));
    std::vector<SafetensorsFile> files;
    files.push_back(std::move(file));
    return FromFiles(path, std::move(files));
  }
  if (Exists(path / kIndexFileName)) return OpenSharded(path, path / kIndexFileName);
  if (Exists(path / kSingleFileName)) {
    FATHOM_ASSIGN_OR_RETURN(SafetensorsFile file, SafetensorsFile::Open(path / kSingleFileName));
    std::vector<SafetensorsFile> files;
    files.push_back(std::move(file));
    return FromFiles(path, std::move(files));
  }
  return base::NotFoundError("model directory " + path.string() + " holds neither " +
                             std::string(kIndexFileName) + " nor " + std::string(kSingleFileName));
}

Result<WeightStore> WeightStore::OpenSharded(const fs::path& directory,
                                             const fs::path& index_path) {
  FATHOM_ASSIGN_OR_RETURN(ShardPlan plan, ReadShardPlan(index_path));
  std::vector<SafetensorsFile> files;
  files.reserve(plan.size());
  for (const auto& [shard, tensors] : plan) {
    FATHOM_ASSIGN_OR_RETURN(SafetensorsFile file, OpenShard(index_path, shard, tensors));
    files.push_back(std::move(file));
  }
  return FromFiles(directory, std::move(files));
}

Result<WeightStore> WeightStore::FromFiles(fs::path path, std::vector<SafetensorsFile> files) {
  WeightStore store(std::move(path), std::move(files));
  for (size_t file = 0; file < store.files_.size(); ++file) {
    for (const TensorView& tensor : store.files_[file].tensors()) {
      auto [slot, inserted] = store.index_.try_emplace(tensor.name, Location{&tensor, file});
      if (!inserted) {
        return base::DataLossError("tensor " + QuoteName(tensor.name) + " appears in both " +
                                   store.files_[slot->second.file].path().string() + " and " +
                                   store.files_[file].path().string());
      }
    }
  }
  return store;
}

bool WeightStore::Contains(std::string_view name) const { return index_.contains(name); }

Result<const TensorView*> WeightStore::Get(std::string_view name) const {
  auto found = index_.find(name);
  if (found != index_.end()) return found->second.tensor;
  std::string message = "tensor " + QuoteName(name) + " not found in model " + path_.string() +
                        " (" + std::to_string(index_.size()) + " tensors)";
  size_t best_distance = kMaxSuggestionDistance + 1;
  std::string_view suggestion;
  for (const auto& [candidate, location] : index_) {
    size_t distance = BoundedEditDistance(name, candidate, kMaxSuggestionDistance);
    if (distance < best_distance) {
      best_distance = distance;
      suggestion = candidate;
    }
  }
  if (best_distance <= kMaxSuggestionDistance)
    message += "; did you mean " + QuoteName(suggestion) + "?";
  return base::NotFoundError(message);
}

std::vector<std::string> WeightStore::Names() const {
  std::vector<std::string> names;
  names.reserve(index_.size());
  for (const auto& [name, location] : index_) names.push_back(name);
  return names;
}

const SafetensorsFile* WeightStore::FileOf(std::string_view name) const {
  auto found = index_.find(name);
  return found == index_.end() ? nullptr : &files_[found->second.file];
}

base::Status WeightStore::ExpectShape(const TensorView& tensor,
                                      std::span<const int64_t> shape) const {
  if (std::equal(tensor.shape.begin(), tensor.shape.end(), shape.begin(), shape.end())) {
    return base::Ok();
  }
  const SafetensorsFile* file = FileOf(tensor.name);
  std::string file_name = file != nullptr ? file->path().string() : path_.string();
  return base::InvalidArgumentError("tensor " + QuoteName(tensor.name) + " in file " + file_name +
                                    " has shape " + FormatShape(tensor.shape) + ", expected " +
                                    FormatShape(shape));
}

}  // namespace fathom::engine
