#include "base/thread_pool.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <system_error>
#include <utility>

#include "base/check.h"

namespace fathom::base {
namespace {

// The pool whose worker the current thread is, if any.
thread_local const ThreadPool* current_pool = nullptr;

// One ParallelFor call, shared by the caller and the helper tasks it queued. Helpers that start
// after every chunk was claimed find nothing to do, so the state outlives the call.
struct ParallelForState {
  ParallelForState(size_t range_begin, size_t range_size, size_t chunk_count,
                   const std::function<void(size_t, size_t)>& function)
      : begin(range_begin), size(range_size), chunks(chunk_count), body(&function) {}

  // Runs chunks until none is left unclaimed, then records how many this thread ran.
  void RunChunks() noexcept {
    size_t ran = 0;
    for (size_t chunk = next.fetch_add(1); chunk < chunks; chunk = next.fetch_add(1)) {
      (*body)(ChunkStart(chunk), ChunkStart(chunk + 1));
      ++ran;
    }
    if (ran == 0) return;
    std::lock_guard lock(mutex);
    finished += ran;
    if (finished == chunks) all_finished.notify_all();
  }

  void WaitForAll() {
    std::unique_lock lock(mutex);
    all_finished.wait(lock, [this] { return finished == chunks; });
  }

  // Chunk i starts at begin + i * (size / chunks) + min(i, size % chunks).
  size_t ChunkStart(size_t chunk) const {
    return begin + chunk * (size / chunks) + std::min(chunk, size % chunks);
  }

  const size_t begin;
  const size_t size;
  const size_t chunks;
  const std::function<void(size_t, size_t)>* body;  // valid while unfinished chunks remain
  std::atomic<size_t> next{0};
  std::mutex mutex;
  std::condition_variable all_finished;
  size_t finished = 0;  // guarded by mutex
};

}  // namespace

ThreadPool::ThreadPool(size_t threads) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  workers_.reserve(threads);
  try {
    for (size_t i = 0; i < threads; ++i) workers_.emplace_back([this] { WorkerLoop(); });
  } catch (const std::system_error& error) {
    FATHOM_CHECK(false) << "cannot start thread pool worker: " << error.what();
  }
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& worker : workers_) worker.join();
}

std::future<void> ThreadPool::Submit(std::function<void()> task) {
  std::packaged_task<void()> packaged(std::move(task));
  std::future<void> future = packaged.get_future();
  Enqueue(std::move(packaged));
  return future;
}

void ThreadPool::ParallelFor(size_t begin, size_t end,
                             const std::function<void(size_t, size_t)>& body, size_t chunks) {
  if (begin >= end) return;
  chunks = std::min(end - begin, chunks == 0 ? size() : chunks);
  if (chunks <= 1 || size() <= 1 || IsWorkerThread()) {
    body(begin, end);
    return;
  }
  auto state = std::make_shared<ParallelForState>(begin, end - begin, chunks, body);
  for (size_t helper = 1; helper < std::min(chunks, size()); ++helper) {
    Enqueue(std::packaged_task<void()>([state] { state->RunChunks(); }));
  }
  state->RunChunks();
  state->WaitForAll();
}

bool ThreadPool::IsWorkerThread() const { return current_pool == this; }

void ThreadPool::Enqueue(std::packaged_task<void()> task) {
  {
    std::lock_guard lock(mutex_);
    tasks_.push_back(std::move(task));  // during shutdown only tasks queue more; they still run
  }
  wake_.notify_one();
}

void ThreadPool::WorkerLoop() {
  current_pool = this;
  for (;;) {
    std::packaged_task<void()> task;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
      if (tasks_.empty()) return;  // stopping and drained
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task();
  }
}

}  // namespace fathom::base
