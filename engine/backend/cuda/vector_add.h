// CudaVectorAdd: out = a + b elementwise on the first CUDA device, the smallest end-to-end check
// that fathom's CUDA build runs kernels. Defined only when FATHOM_WITH_CUDA; device buffers are
// owned by the call. Thread-safe (uses the default stream and blocks until the result is back).
#pragma once

#include <span>

#include "base/result.h"

namespace fathom::engine {

// Fails with kInvalidArgument when the sizes differ, kUnavailable when CUDA reports an error.
base::Status CudaVectorAdd(std::span<const float> a, std::span<const float> b,
                           std::span<float> out);

}  // namespace fathom::engine
