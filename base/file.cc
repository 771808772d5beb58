#include "base/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

namespace fathom::base {
namespace {

constexpr size_t kReadChunk = 64 * 1024;
constexpr mode_t kNewFileMode = 0644;

// 'path', built by appending (GCC 12 misreports "'" + string + "'" under -Wrestrict).
std::string Quoted(const std::filesystem::path& path) {
  std::string quoted = "'";
  quoted += path.native();
  quoted += '\'';
  return quoted;
}

// Appends everything readable from `fd` to `out`.
Status ReadAll(int fd, std::string& out) {
  for (;;) {
    size_t used = out.size();
    out.resize(used + kReadChunk);
    ssize_t count = ::read(fd, out.data() + used, kReadChunk);
    if (count < 0) {
      int error = errno;
      out.resize(used);
      if (error == EINTR) continue;
      return ErrnoError("read", error);
    }
    out.resize(used + static_cast<size_t>(count));
    if (count == 0) return Ok();
  }
}

Status WriteAll(int fd, std::string_view contents) {
  while (!contents.empty()) {
    ssize_t count = ::write(fd, contents.data(), contents.size());
    if (count < 0) {
      if (errno == EINTR) continue;
      return ErrnoError("write", errno);
    }
    contents.remove_prefix(static_cast<size_t>(count));
  }
  return Ok();
}

Status Fsync(int fd) {
  while (::fsync(fd) != 0) {
    if (errno != EINTR) return ErrnoError("fsync", errno);
  }
  return Ok();
}

// The mode the replacement file gets: the existing file's permission bits, else 0644.
mode_t ModeFor(const std::filesystem::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0) return info.st_mode & 07777;
  return kNewFileMode;
}

// Writes, chmods and fsyncs the temporary file, then closes it.
Status FillTemporary(UniqueFd fd, std::string_view contents, mode_t mode) {
  FATHOM_TRY(WriteAll(fd.get(), contents));
  if (::fchmod(fd.get(), mode) != 0) return ErrnoError("fchmod", errno);
  FATHOM_TRY(Fsync(fd.get()));
  return fd.Close();
}

Status SyncDirectory(const std::filesystem::path& directory) {
  UniqueFd fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) {
    int error = errno;
    return ErrnoError("opening directory " + Quoted(directory), error);
  }
  return Fsync(fd.get());
}

}  // namespace

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) reset(other.release());
  return *this;
}

int UniqueFd::release() { return std::exchange(fd_, -1); }

void UniqueFd::reset(int fd) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

Status UniqueFd::Close() {
  if (!valid()) return Ok();
  if (::close(release()) != 0) return ErrnoError("close", errno);
  return Ok();
}

Result<UniqueFd> OpenForReading(const std::filesystem::path& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    int error = errno;
    return ErrnoError("opening " + Quoted(path), error);
  }
  return fd;
}

Result<std::string> ReadFileToString(const std::filesystem::path& path) {
  FATHOM_ASSIGN_OR_RETURN(UniqueFd fd, OpenForReading(path));
  std::string contents;
  struct stat info {};
  if (::fstat(fd.get(), &info) == 0 && info.st_size > 0) {
    contents.reserve(static_cast<size_t>(info.st_size) + kReadChunk);
  }
  Status read = ReadAll(fd.get(), contents);
  if (!read.ok()) return std::move(read).error().WithContext("reading " + Quoted(path));
  return contents;
}

Status WriteFileAtomically(const std::filesystem::path& path, std::string_view contents) {
  std::filesystem::path directory = path.parent_path().empty() ? "." : path.parent_path();
  std::string temporary = path.string() + ".tmp.XXXXXX";
  UniqueFd fd(::mkostemp(temporary.data(), O_CLOEXEC));
  if (!fd.valid()) {
    int error = errno;
    return ErrnoError("creating a temporary file for " + Quoted(path), error);
  }
  Status written = FillTemporary(std::move(fd), contents, ModeFor(path));
  if (written.ok() && ::rename(temporary.c_str(), path.c_str()) != 0) {
    written = ErrnoError("rename", errno);
  }
  if (!written.ok()) {
    ::unlink(temporary.c_str());
    return std::move(written).error().WithContext("writing " + Quoted(path));
  }
  Status synced = SyncDirectory(directory);
  if (!synced.ok()) return std::move(synced).error().WithContext("writing " + Quoted(path));
  return Ok();
}

}  // namespace fathom::base
