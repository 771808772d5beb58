// Whole-file reads and crash-safe writes, plus UniqueFd, the RAII owner of a POSIX file
// descriptor. A UniqueFd owns its descriptor and closes it once; it is move-only and
// thread-compatible. The free functions are thread-safe; errors name the path.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "base/result.h"

namespace fathom::base {

// Owns one file descriptor (or none, -1) and closes it on destruction.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }

  // Gives up ownership without closing; returns the descriptor.
  int release();
  // Closes the current descriptor (if any) and takes `fd`.
  void reset(int fd = -1);
  // Closes the descriptor and reports a failed close(2) (which can mean lost writes); a no-op
  // when empty.
  Status Close();

 private:
  int fd_ = -1;
};

// Opens `path` read-only with O_CLOEXEC.
Result<UniqueFd> OpenForReading(const std::filesystem::path& path);

// Reads the whole file. Reads until end of file, so files whose reported size is 0 (/proc,
// /sys) are read completely.
Result<std::string> ReadFileToString(const std::filesystem::path& path);

// Replaces `path` with `contents` so that readers and crashes see either the old or the new
// file, never a partial one: writes a temporary file in the same directory, fsyncs it, renames
// it over `path` and fsyncs the directory. A new file gets mode 0644; an existing file keeps
// its mode.
Status WriteFileAtomically(const std::filesystem::path& path, std::string_view contents);

}  // namespace fathom::base
