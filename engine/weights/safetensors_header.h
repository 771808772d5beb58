// The safetensors header parser: validates the 8-byte length prefix and the JSON header of a
// whole file held in memory and describes each tensor as a TensorView into those bytes. No I/O,
// so it is what the fuzzer drives. TensorViews borrow the bytes they were parsed from. Pure
// functions over immutable data: thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "engine/tensor/dtype.h"

namespace fathom::engine {

// One tensor of a safetensors file: its name, element type, shape and little-endian bytes.
// `data` borrows the file's memory and holds exactly NumElements() * DTypeSize(dtype) bytes.
struct TensorView {
  std::string name;
  DType dtype = DType::kF32;
  std::vector<int64_t> shape;
  std::span<const std::byte> data;

  // The product of the dimensions (1 for a scalar).
  int64_t NumElements() const;
};

// "[a, b, c]", the notation of shapes in error messages.
std::string FormatShape(std::span<const int64_t> shape);

// `name` in single quotes for messages, cut short past 200 bytes (hostile files make huge names).
std::string QuoteName(std::string_view name);

struct SafetensorsHeader {
  std::vector<TensorView> tensors;              // sorted by name
  std::map<std::string, std::string> metadata;  // the optional "__metadata__" object
};

// The largest header accepted, guarding against absurd allocations from hostile files.
inline constexpr uint64_t kMaxSafetensorsHeaderSize = uint64_t{100} << 20;

// Parses and validates the header of a whole safetensors file held in `file_bytes`:
// little-endian u64 length N with 2 <= N <= min(size - 8, 100 MiB), then N bytes of a UTF-8 JSON
// object mapping tensor names to {dtype, shape, data_offsets} (offsets relative to the data
// section after the header) plus an optional "__metadata__" string map. Every byte range must lie
// in the data section, match the shape and dtype size, and not overlap another. Errors name
// `file_name` and the tensor; nothing is read outside `file_bytes`.
base::Result<SafetensorsHeader> ParseSafetensorsHeader(std::span<const std::byte> file_bytes,
                                                       std::string_view file_name);

}  // namespace fathom::engine
