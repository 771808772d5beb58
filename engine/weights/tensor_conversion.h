// Conversions of checkpoint tensors to the plain element types the engine computes with: floats
// (from F32, F16, BF16 and unscaled FP8 e4m3) and int32 (from I32 and range-checked I64). Each
// returns a new vector the caller owns. Pure functions: thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "base/result.h"
#include "engine/weights/safetensors_header.h"

namespace fathom::engine {

// The elements of an F32, F16, BF16 or F8_E4M3 tensor as floats. FP8 values are converted as
// stored, without a block scale. Other dtypes are kInvalidArgument naming the tensor.
base::Result<std::vector<float>> ToFloat32(const TensorView& tensor);

// The elements of an I32 or I64 tensor as int32; an I64 value outside the int32 range is
// kOutOfRange naming the tensor and the element. Other dtypes are kInvalidArgument.
base::Result<std::vector<int32_t>> ToInt32(const TensorView& tensor);

}  // namespace fathom::engine
