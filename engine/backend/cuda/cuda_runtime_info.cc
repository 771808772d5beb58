#include "engine/backend/cuda/cuda_runtime_info.h"

#include <cuda_runtime_api.h>

namespace fathom::engine {

namespace {

std::string ErrorText(std::string_view call, cudaError_t error) {
  return std::string(call) + ": " + cudaGetErrorName(error) + " (" + cudaGetErrorString(error) +
         ")";
}

// Appends what cudaGetDeviceProperties says about each device; stops at the first failure.
void QueryDevices(int count, CudaRuntimeInfo& info) {
  for (int ordinal = 0; ordinal < count; ++ordinal) {
    cudaDeviceProp properties{};
    const cudaError_t error = cudaGetDeviceProperties(&properties, ordinal);
    if (error != cudaSuccess) {
      info.detail = ErrorText("cudaGetDeviceProperties(" + std::to_string(ordinal) + ")", error);
      return;
    }
    info.devices.push_back(CudaDevice{
        .name = properties.name,
        .compute_capability_major = properties.major,
        .compute_capability_minor = properties.minor,
        .total_memory_bytes = properties.totalGlobalMem,
        .multiprocessor_count = properties.multiProcessorCount,
    });
  }
}

}  // namespace

CudaRuntimeInfo QueryCudaRuntime() {
  CudaRuntimeInfo info;
  info.compiled_in = true;
  cudaError_t error = cudaRuntimeGetVersion(&info.runtime_version);
  if (error != cudaSuccess) {
    info.detail = ErrorText("cudaRuntimeGetVersion", error);
    return info;
  }
  error = cudaDriverGetVersion(&info.driver_version);
  if (error != cudaSuccess) {
    info.detail = ErrorText("cudaDriverGetVersion", error);
    return info;
  }
  if (info.driver_version == 0) {
    info.detail = "no NVIDIA driver found (cudaDriverGetVersion reports 0)";
    return info;
  }
  int count = 0;
  error = cudaGetDeviceCount(&count);
  if (error != cudaSuccess) {
    info.detail = ErrorText("cudaGetDeviceCount", error);
    return info;
  }
  if (count == 0) {
    info.detail = "the driver reports no CUDA devices";
    return info;
  }
  QueryDevices(count, info);
  if (info.detail.empty()) info.detail = std::to_string(count) + " CUDA device(s)";
  return info;
}

}  // namespace fathom::engine
