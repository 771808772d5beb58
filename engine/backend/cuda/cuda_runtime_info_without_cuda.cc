// QueryCudaRuntime for builds without nvcc: CUDA support is absent, and the report says why.
#include "engine/backend/cuda/cuda_runtime_info.h"

namespace fathom::engine {

CudaRuntimeInfo QueryCudaRuntime() {
  CudaRuntimeInfo info;
  info.detail = "built without CUDA (nvcc not found at configure time)";
  return info;
}

}  // namespace fathom::engine
