// libFuzzer target for the safetensors header parser: feeds arbitrary bytes as a whole file to
// ParseSafetensorsHeader (no I/O) and, when it accepts them, checks that every tensor view lies
// inside the input with the size its shape implies, then converts each one. Crashes, sanitizer
// reports and failed checks are findings.
#include <cstddef>
#include <cstdint>
#include <span>

#include "base/check.h"
#include "engine/weights/safetensors_header.h"
#include "engine/weights/tensor_conversion.h"

namespace fathom::engine {
namespace {

void CheckTensor(const TensorView& tensor, std::span<const std::byte> input) {
  const std::byte* begin = input.data();
  const std::byte* end = input.data() + input.size();
  FATHOM_CHECK(tensor.data.empty() ||
               (tensor.data.data() >= begin && tensor.data.data() + tensor.data.size() <= end))
      << "tensor " << tensor.name << " points outside the input";
  FATHOM_CHECK(static_cast<uint64_t>(tensor.NumElements()) * DTypeSize(tensor.dtype) ==
               tensor.data.size())
      << "tensor " << tensor.name << " has a size that disagrees with its shape";
  FATHOM_CHECK(ToFloat32(tensor).ok() == IsFloatingDType(tensor.dtype))
      << "ToFloat32 of " << DTypeName(tensor.dtype);
  FATHOM_CHECK(ToInt32(tensor).ok() || tensor.dtype != DType::kI32) << "ToInt32 of I32";
}

}  // namespace
}  // namespace fathom::engine

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const std::byte> input(reinterpret_cast<const std::byte*>(data), size);
  fathom::base::Result<fathom::engine::SafetensorsHeader> header =
      fathom::engine::ParseSafetensorsHeader(input, "fuzz-input");
  if (!header.ok()) return 0;
  for (const fathom::engine::TensorView& tensor : header->tensors) {
    fathom::engine::CheckTensor(tensor, input);
  }
  return 0;
}
