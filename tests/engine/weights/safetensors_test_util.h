// Test helpers that write safetensors files: well-formed ones from a list of tensors, and raw
// ones from a hand-written header for the failure cases. TempDir owns a fresh directory and
// removes it on destruction. For one test thread at a time.
#pragma once

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace fathom::engine::testing {

// One tensor to write: its safetensors dtype name, shape and raw little-endian bytes.
struct TestTensor {
  std::string name;
  std::string dtype;
  std::vector<int64_t> shape;
  std::string bytes;
};

// The raw bytes of `values` as stored in a file.
template <typename T>
std::string BytesOf(const std::vector<T>& values) {
  std::string bytes(values.size() * sizeof(T), '\0');
  if (!values.empty()) std::memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

// A file: the little-endian u64 length of `header`, `header`, then `data`.
std::string SafetensorsBytes(std::string_view header, std::string_view data);

// A well-formed file holding `tensors` back to back in the given order.
std::string BuildSafetensors(const std::vector<TestTensor>& tensors,
                             const std::map<std::string, std::string>& metadata = {});

// Writes `bytes` to `path`, failing the current test on error.
void WriteBytes(const std::filesystem::path& path, std::string_view bytes);

class TempDir {
 public:
  TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace fathom::engine::testing
