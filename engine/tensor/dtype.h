// DType: the element types fathom's engine reads from checkpoints and computes with, their
// safetensors names and element sizes. FP4 e2m1 has no dtype of its own in safetensors: it is
// stored packed two per byte in I8/U8 tensors and interpreted by the model loader.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace fathom::engine {

enum class DType { kF32, kF16, kBF16, kF8E4M3, kF8E8M0, kI8, kU8, kI32, kI64 };

// The safetensors header name: "F32", "BF16", "F8_E4M3", ...
std::string_view DTypeName(DType dtype);

// Parses a safetensors dtype name; nullopt for names fathom does not read.
std::optional<DType> ParseDType(std::string_view name);

size_t DTypeSize(DType dtype);

bool IsFloatingDType(DType dtype);

}  // namespace fathom::engine
