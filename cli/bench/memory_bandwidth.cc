#include "cli/bench/memory_bandwidth.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <vector>

namespace fathom::cli {

double MeasureReadBandwidth(base::ThreadPool& pool, size_t bytes, int passes) {
  std::vector<uint64_t> buffer(bytes / sizeof(uint64_t));
  pool.ParallelFor(0, buffer.size(), [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) buffer[i] = i;
  });
  std::atomic<uint64_t> sink{0};
  double best = 0;
  for (int pass = 0; pass < passes; ++pass) {
    auto start = std::chrono::steady_clock::now();
    pool.ParallelFor(0, buffer.size(), [&](size_t begin, size_t end) {
      uint64_t lanes[8] = {};
      size_t i = begin;
      for (; i + 8 <= end; i += 8) {
        for (int lane = 0; lane < 8; ++lane) lanes[lane] += buffer[i + lane];
      }
      for (; i < end; ++i) lanes[0] += buffer[i];
      uint64_t total = 0;
      for (uint64_t lane : lanes) total += lane;
      sink += total;  // keeps the reads from being optimised away
    });
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    best = std::max(best, static_cast<double>(bytes) / seconds);
  }
  return sink.load() == 1 ? 0 : best;
}

}  // namespace fathom::cli
