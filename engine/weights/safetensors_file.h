// SafetensorsFile: one memory-mapped .safetensors file and its validated header, a table of
// TensorViews into the mapping. It owns the mapping (move-only); the views stay valid across moves
// because the mapping does not move, and die with the file. Immutable after Open: any number of
// threads may read it concurrently.
#pragma once

#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "base/mapped_file.h"
#include "base/result.h"
#include "engine/weights/safetensors_header.h"

namespace fathom::engine {

class SafetensorsFile {
 public:
  // Maps the file at `path` and validates its header (see ParseSafetensorsHeader). Errors name
  // the file and, where one is at fault, the tensor.
  static base::Result<SafetensorsFile> Open(const std::filesystem::path& path);

  SafetensorsFile(SafetensorsFile&&) noexcept = default;
  SafetensorsFile& operator=(SafetensorsFile&&) noexcept = default;
  SafetensorsFile(const SafetensorsFile&) = delete;
  SafetensorsFile& operator=(const SafetensorsFile&) = delete;
  ~SafetensorsFile() = default;

  const std::filesystem::path& path() const { return file_.path(); }

  // Every tensor, sorted by name.
  std::span<const TensorView> tensors() const { return header_.tensors; }

  // The tensor called `name`, or nullptr when the file has none.
  const TensorView* Find(std::string_view name) const;

  // The "__metadata__" string map (empty when the header has none).
  const std::map<std::string, std::string>& metadata() const { return header_.metadata; }

 private:
  SafetensorsFile(base::MappedFile file, SafetensorsHeader header)
      : file_(std::move(file)), header_(std::move(header)) {}

  base::MappedFile file_;
  SafetensorsHeader header_;
};

}  // namespace fathom::engine
