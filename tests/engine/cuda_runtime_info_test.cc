// QueryCudaRuntime answers on any machine (with or without CUDA, driver or device) and its answer
// is self-consistent.
#include "engine/backend/cuda/cuda_runtime_info.h"

#include <gtest/gtest.h>

namespace fathom::engine {
namespace {

TEST(CudaRuntimeInfoTest, IsSelfConsistent) {
  const CudaRuntimeInfo info = QueryCudaRuntime();
  EXPECT_FALSE(info.detail.empty());
#if FATHOM_WITH_CUDA
  EXPECT_TRUE(info.compiled_in);
  EXPECT_GT(info.runtime_version, 0);
#else
  EXPECT_FALSE(info.compiled_in);
  EXPECT_EQ(info.runtime_version, 0);
#endif
  if (!info.compiled_in || info.driver_version == 0) {
    EXPECT_TRUE(info.devices.empty());
  }
  for (const CudaDevice& device : info.devices) {
    EXPECT_FALSE(device.name.empty());
    EXPECT_GT(device.compute_capability_major, 0);
    EXPECT_GT(device.total_memory_bytes, 0u);
    EXPECT_GT(device.multiprocessor_count, 0);
  }
}

TEST(CudaRuntimeInfoTest, AnswersTheSameTwice) {
  const CudaRuntimeInfo first = QueryCudaRuntime();
  const CudaRuntimeInfo second = QueryCudaRuntime();
  EXPECT_EQ(first.compiled_in, second.compiled_in);
  EXPECT_EQ(first.driver_version, second.driver_version);
  EXPECT_EQ(first.devices.size(), second.devices.size());
}

TEST(CudaRuntimeInfoTest, FormatsVersions) {
  EXPECT_EQ(CudaVersionString(13000), "13.0");
  EXPECT_EQ(CudaVersionString(12080), "12.8");
}

}  // namespace
}  // namespace fathom::engine
