#include "engine/weights/tensor_conversion.h"

#include <cstring>
#include <limits>
#include <string>

#include "engine/tensor/float_formats.h"

namespace fathom::engine {
namespace {

// Element `index` of `tensor` as the stored type T (the data need not be aligned).
template <typename T>
T LoadElement(const TensorView& tensor, size_t index) {
  T value;
  std::memcpy(&value, tensor.data.data() + index * sizeof(T), sizeof(T));
  return value;
}

// Converts every element of `tensor`, stored as T, with `convert`.
template <typename Stored, typename Out, typename Convert>
std::vector<Out> ConvertAll(const TensorView& tensor, Convert convert) {
  size_t count = tensor.data.size() / sizeof(Stored);
  std::vector<Out> values(count);
  for (size_t i = 0; i < count; ++i) values[i] = convert(LoadElement<Stored>(tensor, i));
  return values;
}

std::string Describe(const TensorView& tensor) {
  return "tensor " + QuoteName(tensor.name) + " (" + std::string(DTypeName(tensor.dtype)) + " " +
         FormatShape(tensor.shape) + ")";
}

// Views built by hand rather than by the parser might disagree with their own shape.
base::Status CheckDataSize(const TensorView& tensor) {
  uint64_t expected = static_cast<uint64_t>(tensor.NumElements()) * DTypeSize(tensor.dtype);
  if (tensor.data.size() == expected) return base::Ok();
  return base::InvalidArgumentError(Describe(tensor) + " holds " +
                                    std::to_string(tensor.data.size()) + " bytes, expected " +
                                    std::to_string(expected));
}

base::Result<std::vector<int32_t>> NarrowInt64(const TensorView& tensor) {
  size_t count = tensor.data.size() / sizeof(int64_t);
  std::vector<int32_t> values(count);
  for (size_t i = 0; i < count; ++i) {
    int64_t value = LoadElement<int64_t>(tensor, i);
    if (value < std::numeric_limits<int32_t>::min() ||
        value > std::numeric_limits<int32_t>::max()) {
      return base::OutOfRangeError(Describe(tensor) + ": element " + std::to_string(i) + " = " +
                                   std::to_string(value) + " does not fit in int32");
    }
    values[i] = static_cast<int32_t>(value);
  }
  return values;
}

}  // namespace

base::Result<std::vector<float>> ToFloat32(const TensorView& tensor) {
  FATHOM_TRY(CheckDataSize(tensor));
  switch (tensor.dtype) {
    case DType::kF32:
      return ConvertAll<float, float>(tensor, [](float value) { return value; });
    case DType::kF16:
      return ConvertAll<uint16_t, float>(tensor, F16ToFloat);
    case DType::kBF16:
      return ConvertAll<uint16_t, float>(tensor, Bf16ToFloat);
    case DType::kF8E4M3:
      return ConvertAll<uint8_t, float>(tensor, Fp8E4M3ToFloat);
    default:
      return base::InvalidArgumentError(Describe(tensor) +
                                        " cannot be read as floats: expected F32, F16, BF16 or "
                                        "F8_E4M3");
  }
}

base::Result<std::vector<int32_t>> ToInt32(const TensorView& tensor) {
  FATHOM_TRY(CheckDataSize(tensor));
  switch (tensor.dtype) {
    case DType::kI32:
      return ConvertAll<int32_t, int32_t>(tensor, [](int32_t value) { return value; });
    case DType::kI64:
      return NarrowInt64(tensor);
    default:
      return base::InvalidArgumentError(Describe(tensor) +
                                        " cannot be read as int32: expected I32 or I64");
  }
}

}  // namespace fathom::engine
