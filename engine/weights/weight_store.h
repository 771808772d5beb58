// WeightStore: every tensor of one checkpoint, opened from a .safetensors file, a directory with
// model.safetensors, or a Hugging Face sharded directory (model.safetensors.index.json). It owns
// the mapped files (move-only); the TensorViews it hands out live as long as the store. Read-only
// after Open, so any number of threads may use it concurrently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "engine/weights/safetensors_file.h"

namespace fathom::engine {

class WeightStore {
 public:
  // Opens `path`: a safetensors file, or a directory holding model.safetensors.index.json
  // ({"weight_map": {tensor: shard file}}) or else model.safetensors. A sharded index must name
  // only existing shards in the same directory, every mapped tensor must be in its shard, and no
  // tensor may appear in two shards.
  static base::Result<WeightStore> Open(const std::filesystem::path& path);

  WeightStore(WeightStore&&) noexcept = default;
  WeightStore& operator=(WeightStore&&) noexcept = default;
  WeightStore(const WeightStore&) = delete;
  WeightStore& operator=(const WeightStore&) = delete;
  ~WeightStore() = default;

  // The path Open was given.
  const std::filesystem::path& path() const { return path_; }

  // The number of tensors.
  size_t size() const { return index_.size(); }

  bool Contains(std::string_view name) const;

  // The tensor called `name`; kNotFound names it and the model path, and suggests a close name.
  base::Result<const TensorView*> Get(std::string_view name) const;

  // Every tensor name, sorted.
  std::vector<std::string> Names() const;

  // The file holding the tensor called `name`, or nullptr.
  const SafetensorsFile* FileOf(std::string_view name) const;

  // kInvalidArgument "tensor X in file Y has shape [a, b], expected [c, d]" unless `tensor` has
  // exactly `shape`.
  base::Status ExpectShape(const TensorView& tensor, std::span<const int64_t> shape) const;
  base::Status ExpectShape(const TensorView& tensor, std::initializer_list<int64_t> shape) const {
    return ExpectShape(tensor, std::span<const int64_t>(shape.begin(), shape.size()));
  }

 private:
  // Where a tensor lives: its view and the index of its file in files_.
  struct Location {
    const TensorView* tensor;
    size_t file;
  };

  WeightStore(std::filesystem::path path, std::vector<SafetensorsFile> files)
      : path_(std::move(path)), files_(std::move(files)) {}

  // Indexes the tensors of `files`, rejecting a name found in two files.
  static base::Result<WeightStore> FromFiles(std::filesystem::path path,
                                             std::vector<SafetensorsFile> files);
  static base::Result<WeightStore> OpenSharded(const std::filesystem::path& directory,
                                               const std::filesystem::path& index_path);

  std::filesystem::path path_;
  std::vector<SafetensorsFile> files_;
  std::map<std::string, Location, std::less<>> index_;
};

}  // namespace fathom::engine
