#include "base/thread_pool.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

namespace fathom::base {
namespace {

TEST(ThreadPoolTest, SizeFollowsRequestAndZeroMeansHardware) {
  EXPECT_EQ(ThreadPool(3).size(), 3u);
  size_t hardware = std::max(1u, std::thread::hardware_concurrency());
  EXPECT_EQ(ThreadPool(0).size(), hardware);
}

TEST(ThreadPoolTest, SubmitRunsTasksOnWorkers) {
  ThreadPool pool(2);
  std::atomic<int> sum{0};
  std::atomic<int> on_caller_thread{0};
  std::thread::id caller = std::this_thread::get_id();
  std::vector<std::future<void>> futures;
  for (int i = 1; i <= 100; ++i) {
    futures.push_back(pool.Submit([&, i] {
      if (std::this_thread::get_id() == caller) ++on_caller_thread;
      sum += i;
    }));
  }
  for (std::future<void>& future : futures) future.get();
  EXPECT_EQ(sum.load(), 5050);
  EXPECT_EQ(on_caller_thread.load(), 0);
}

TEST(ThreadPoolTest, WorkerThreadIsRecognized) {
  ThreadPool pool(1);
  ThreadPool other(1);
  EXPECT_FALSE(pool.IsWorkerThread());
  std::promise<std::pair<bool, bool>> seen;
  pool.Submit([&] { seen.set_value({pool.IsWorkerThread(), other.IsWorkerThread()}); }).get();
  auto [in_pool, in_other] = seen.get_future().get();
  EXPECT_TRUE(in_pool);
  EXPECT_FALSE(in_other);
}

TEST(ThreadPoolTest, FutureCarriesException) {
  ThreadPool pool(1);
  std::future<void> future = pool.Submit([] { throw std::runtime_error("task failed"); });
  EXPECT_THROW(future.get(), std::runtime_error);
  std::atomic<bool> ran{false};
  pool.Submit([&ran] { ran = true; }).get();
  EXPECT_TRUE(ran.load());
}

TEST(ThreadPoolTest, DestructorDrainsQueuedTasks) {
  std::atomic<int> ran{0};
  {
    ThreadPool pool(2);
    for (int i = 0; i < 50; ++i) {
      pool.Submit([&ran] {
        std::this_thread::sleep_for(std::chrono::microseconds(100));
        ++ran;
      });
    }
  }
  EXPECT_EQ(ran.load(), 50);
}

TEST(ThreadPoolTest, ParallelForCoversEveryIndexExactlyOnce) {
  ThreadPool pool(4);
  for (size_t count : {0u, 1u, 3u, 4u, 5u, 97u, 10000u}) {
    std::vector<std::atomic<int>> hits(count + 20);
    std::mutex mutex;
    std::set<std::pair<size_t, size_t>> chunks;
    pool.ParallelFor(20, 20 + count, [&](size_t chunk_begin, size_t chunk_end) {
      {
        std::lock_guard lock(mutex);
        chunks.insert({chunk_begin, chunk_end});
      }
      for (size_t i = chunk_begin; i < chunk_end; ++i) ++hits[i];
    });
    for (size_t i = 0; i < hits.size(); ++i) {
      ASSERT_EQ(hits[i].load(), i >= 20 ? 1 : 0) << "index " << i << " of " << count;
    }
    EXPECT_EQ(chunks.size(), std::min<size_t>(count, pool.size()));
    for (const auto& [chunk_begin, chunk_end] : chunks) EXPECT_LT(chunk_begin, chunk_end);
  }
}

TEST(ThreadPoolTest, ParallelForChunksAreBalanced) {
  ThreadPool pool(4);
  std::mutex mutex;
  std::vector<size_t> sizes;
  pool.ParallelFor(0, 10, [&](size_t chunk_begin, size_t chunk_end) {
    std::lock_guard lock(mutex);
    sizes.push_back(chunk_end - chunk_begin);
  });
  std::sort(sizes.begin(), sizes.end());
  EXPECT_EQ(sizes, (std::vector<size_t>{2, 2, 3, 3}));
}

TEST(ThreadPoolTest, ParallelForTakesMoreChunksThanThreads) {
  ThreadPool pool(2);
  std::mutex mutex;
  std::vector<size_t> sizes;
  std::vector<std::atomic<int>> hits(100);
  pool.ParallelFor(
      0, 100,
      [&](size_t chunk_begin, size_t chunk_end) {
        {
          std::lock_guard lock(mutex);
          sizes.push_back(chunk_end - chunk_begin);
        }
        for (size_t i = chunk_begin; i < chunk_end; ++i) ++hits[i];
      },
      8);
  EXPECT_EQ(sizes.size(), 8u);
  for (size_t size : sizes) EXPECT_TRUE(size == 12 || size == 13) << size;
  for (auto& hit : hits) ASSERT_EQ(hit.load(), 1);
}

TEST(ThreadPoolTest, NestedParallelForDoesNotDeadlock) {
  ThreadPool pool(2);
  std::atomic<size_t> total{0};
  pool.ParallelFor(0, 8, [&](size_t outer_begin, size_t outer_end) {
    for (size_t i = outer_begin; i < outer_end; ++i) {
      pool.ParallelFor(
          0, 100, [&](size_t inner_begin, size_t inner_end) { total += inner_end - inner_begin; });
    }
  });
  EXPECT_EQ(total.load(), 800u);
}

TEST(ThreadPoolTest, ParallelForInsideSubmittedTaskRunsInline) {
  ThreadPool pool(1);
  std::atomic<size_t> covered{0};
  std::atomic<int> calls{0};
  pool.Submit([&] {
        pool.ParallelFor(0, 1000, [&](size_t chunk_begin, size_t chunk_end) {
          ++calls;
          covered += chunk_end - chunk_begin;
        });
      })
      .get();
  EXPECT_EQ(calls.load(), 1);
  EXPECT_EQ(covered.load(), 1000u);
}

TEST(ThreadPoolTest, ConcurrentCallersShareThePool) {
  ThreadPool pool(3);
  std::atomic<size_t> total{0};
  std::vector<std::thread> callers;
  for (int caller = 0; caller < 4; ++caller) {
    callers.emplace_back([&] {
      for (int round = 0; round < 20; ++round) {
        pool.ParallelFor(
            0, 64, [&](size_t chunk_begin, size_t chunk_end) { total += chunk_end - chunk_begin; });
      }
    });
  }
  for (std::thread& caller : callers) caller.join();
  EXPECT_EQ(total.load(), 4u * 20u * 64u);
}

}  // namespace
}  // namespace fathom::base
