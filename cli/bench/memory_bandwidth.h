// Measures this machine's memory read bandwidth the way the decode roofline needs it: every
// pool thread streams its share of a buffer much larger than the caches, best of a few passes.
#pragma once

#include <cstddef>

#include "base/thread_pool.h"

namespace fathom::cli {

// Bytes per second read by `pool` from a `bytes`-sized buffer (best of `passes`).
double MeasureReadBandwidth(base::ThreadPool& pool, size_t bytes, int passes);

}  // namespace fathom::cli
