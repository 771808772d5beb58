// CudaVectorAdd matches the CPU sum on a million random floats. Skips, saying why, when fathom was
// built without CUDA or the machine has no CUDA device.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "engine/backend/cuda/cuda_runtime_info.h"

#if FATHOM_WITH_CUDA
#include "engine/backend/cuda/vector_add.h"
#endif

namespace fathom::engine {
namespace {

TEST(CudaVectorAddTest, MatchesCpuSum) {
  const CudaRuntimeInfo info = QueryCudaRuntime();
  if (!info.compiled_in || info.devices.empty()) GTEST_SKIP() << info.detail;
#if FATHOM_WITH_CUDA
  constexpr size_t kSize = size_t{1} << 20;
  std::mt19937 generator(42);
  std::uniform_real_distribution<float> distribution(-1000.0f, 1000.0f);
  std::vector<float> a(kSize), b(kSize), out(kSize, 0.0f);
  for (size_t i = 0; i < kSize; ++i) {
    a[i] = distribution(generator);
    b[i] = distribution(generator);
  }
  const base::Status status = CudaVectorAdd(a, b, out);
  ASSERT_TRUE(status.ok()) << status.error();
  for (size_t i = 0; i < kSize; ++i) {
    ASSERT_EQ(out[i], a[i] + b[i]) << "at index " << i;
  }
#endif
}

TEST(CudaVectorAddTest, RejectsMismatchedSizesBeforeTouchingTheDevice) {
#if !FATHOM_WITH_CUDA
  GTEST_SKIP() << QueryCudaRuntime().detail;
#else
  std::vector<float> a(4), b(3), out(4);
  const base::Status status = CudaVectorAdd(a, b, out);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), base::ErrorCode::kInvalidArgument);
#endif
}

}  // namespace
}  // namespace fathom::engine
