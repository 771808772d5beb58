// What the CUDA runtime linked into fathom reports about this machine: runtime and driver
// versions and the visible devices. Built without CUDA, the query says so. QueryCudaRuntime
// initialises the CUDA runtime on first use; it is safe to call from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace fathom::engine {

struct CudaDevice {
  std::string name;
  int compute_capability_major = 0;
  int compute_capability_minor = 0;
  uint64_t total_memory_bytes = 0;
  int multiprocessor_count = 0;
};

struct CudaRuntimeInfo {
  bool compiled_in = false;  // fathom was built with nvcc (FATHOM_WITH_CUDA)
  int runtime_version = 0;   // 1000 * major + 10 * minor, e.g. 13000; 0 when unknown
  int driver_version = 0;    // the newest CUDA version the driver supports; 0 without a driver
  std::vector<CudaDevice> devices;
  std::string detail;  // why there are no devices, or a summary of what was found
};

CudaRuntimeInfo QueryCudaRuntime();

// "13.0" for 13000.
inline std::string CudaVersionString(int version) {
  return std::to_string(version / 1000) + "." + std::to_string(version % 1000 / 10);
}

}  // namespace fathom::engine
