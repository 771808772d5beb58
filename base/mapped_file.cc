#include "base/mapped_file.h"

#include <sys/mman.h>
#include <sys/stat.h>

#include <cerrno>
#include <string>
#include <utility>

#include "base/file.h"

namespace fathom::base {
namespace {

Error MappingError(std::string_view what, const std::filesystem::path& path, int errno_value) {
  return ErrnoError(std::string(what) + " '" + path.string() + "'", errno_value);
}

}  // namespace

Result<MappedFile> MappedFile::Open(const std::filesystem::path& path) {
  FATHOM_ASSIGN_OR_RETURN(UniqueFd fd, OpenForReading(path));
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return MappingError("stat", path, errno);
  if (!S_ISREG(info.st_mode)) {
    return InvalidArgumentError("mapping '" + path.string() + "': not a regular file");
  }
  size_t size = static_cast<size_t>(info.st_size);
  if (size == 0) return MappedFile(path, nullptr, 0);
  void* data = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd.get(), 0);
  if (data == MAP_FAILED) return MappingError("mapping", path, errno);
  return MappedFile(path, static_cast<const std::byte*>(data), size);
}

MappedFile::MappedFile(std::filesystem::path path, const std::byte* data, size_t size)
    : path_(std::move(path)), data_(data), size_(size) {}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : path_(std::move(other.path_)),
      data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    Unmap();
    path_ = std::move(other.path_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

MappedFile::~MappedFile() { Unmap(); }

void MappedFile::Unmap() {
  if (data_ != nullptr) ::munmap(const_cast<std::byte*>(data_), size_);
  data_ = nullptr;
  size_ = 0;
}

}  // namespace fathom::base
