#include <cuda_runtime_api.h>

#include <algorithm>
#include <string>
#include <utility>

#include "engine/backend/cuda/vector_add.h"

namespace fathom::engine {

namespace {

constexpr int kThreadsPerBlock = 256;
constexpr int kMaxBlocks = 4096;

__global__ void VectorAddKernel(const float* a, const float* b, float* out, size_t size) {
  const size_t stride = static_cast<size_t>(blockDim.x) * gridDim.x;
  for (size_t i = static_cast<size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < size;
       i += stride) {
    out[i] = a[i] + b[i];
  }
}

base::Error CudaError(std::string_view call, cudaError_t error) {
  return base::UnavailableError(std::string(call) + ": " + cudaGetErrorString(error));
}

// Owns one device allocation of `size` floats; frees it when destroyed.
class DeviceBuffer {
 public:
  static base::Result<DeviceBuffer> Allocate(size_t size) {
    void* data = nullptr;
    const cudaError_t error = cudaMalloc(&data, size * sizeof(float));
    if (error != cudaSuccess) return CudaError("cudaMalloc", error);
    return DeviceBuffer(static_cast<float*>(data));
  }

  DeviceBuffer(DeviceBuffer&& other) noexcept : data_(std::exchange(other.data_, nullptr)) {}
  DeviceBuffer& operator=(DeviceBuffer&&) = delete;
  ~DeviceBuffer() {
    if (data_ != nullptr) cudaFree(data_);
  }

  float* data() const { return data_; }

 private:
  explicit DeviceBuffer(float* data) : data_(data) {}

  float* data_;
};

base::Result<DeviceBuffer> CopyToDevice(std::span<const float> host) {
  FATHOM_ASSIGN_OR_RETURN(DeviceBuffer buffer, DeviceBuffer::Allocate(host.size()));
  const cudaError_t error =
      cudaMemcpy(buffer.data(), host.data(), host.size_bytes(), cudaMemcpyHostToDevice);
  if (error != cudaSuccess) return CudaError("cudaMemcpy to device", error);
  return std::move(buffer);  // nvcc's front end does not apply C++20 implicit move here
}

}  // namespace

base::Status CudaVectorAdd(std::span<const float> a, std::span<const float> b,
                           std::span<float> out) {
  if (a.size() != b.size() || a.size() != out.size()) {
    return base::InvalidArgumentError("CudaVectorAdd: sizes differ (" + std::to_string(a.size()) +
                                      ", " + std::to_string(b.size()) + ", " +
                                      std::to_string(out.size()) + ")");
  }
  if (a.empty()) return base::Ok();
  FATHOM_ASSIGN_OR_RETURN(DeviceBuffer device_a, CopyToDevice(a));
  FATHOM_ASSIGN_OR_RETURN(DeviceBuffer device_b, CopyToDevice(b));
  FATHOM_ASSIGN_OR_RETURN(DeviceBuffer device_out, DeviceBuffer::Allocate(out.size()));
  const size_t wanted_blocks = (a.size() + kThreadsPerBlock - 1) / kThreadsPerBlock;
  const int blocks = static_cast<int>(std::min<size_t>(wanted_blocks, kMaxBlocks));
  VectorAddKernel<<<blocks, kThreadsPerBlock>>>(device_a.data(), device_b.data(), device_out.data(),
                                                a.size());
  cudaError_t error = cudaGetLastError();
  if (error != cudaSuccess) return CudaError("VectorAddKernel launch", error);
  error = cudaMemcpy(out.data(), device_out.data(), out.size_bytes(), cudaMemcpyDeviceToHost);
  if (error != cudaSuccess) return CudaError("cudaMemcpy to host", error);
  return base::Ok();
}

}  // namespace fathom::engine
