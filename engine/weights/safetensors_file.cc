#include "engine/weights/safetensors_file.h"

#include <algorithm>
#include <utility>

namespace fathom::engine {

base::Result<SafetensorsFile> SafetensorsFile::Open(const std::filesystem::path& path) {
  FATHOM_ASSIGN_OR_RETURN(base::MappedFile file, base::MappedFile::Open(path));
  FATHOM_ASSIGN_OR_RETURN(SafetensorsHeader header,
                          ParseSafetensorsHeader(file.bytes(), path.string()));
  return SafetensorsFile(std::move(file), std::move(header));
}

const TensorView* SafetensorsFile::Find(std::string_view name) const {
  auto found = std::lower_bound(
      header_.tensors.begin(), header_.tensors.end(), name,
      [](const TensorView& tensor, std::string_view wanted) { return tensor.name < wanted; });
  if (found == header_.tensors.end() || found->name != name) return nullptr;
  return &*found;
}

}  // namespace fathom::engine
