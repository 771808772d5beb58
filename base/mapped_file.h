// MappedFile: a read-only memory mapping of a whole file (weights, indexes). It owns the
// mapping and unmaps it on destruction; move-only. The bytes are immutable, so concurrent
// reads from any number of threads are safe; moving or destroying is not concurrent-safe.
#pragma once

#include <cstddef>
#include <filesystem>
#include <span>

#include "base/result.h"

namespace fathom::base {

class MappedFile {
 public:
  // Maps the whole file at `path` read-only. An empty file yields an empty span (no mapping).
  // Errors name the path.
  static Result<MappedFile> Open(const std::filesystem::path& path);

  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  std::span<const std::byte> bytes() const { return {data_, size_}; }
  size_t size() const { return size_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  MappedFile(std::filesystem::path path, const std::byte* data, size_t size);
  void Unmap();

  std::filesystem::path path_;
  const std::byte* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace fathom::base
