// ThreadPool: a fixed set of worker threads that run submitted tasks in FIFO order, plus
// ParallelFor over an index range. The pool owns its threads; the destructor runs every queued
// task, then joins. All methods are thread-safe and may be called from inside a task.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

namespace fathom::base {

class ThreadPool {
 public:
  // Starts `threads` workers; 0 means one per hardware thread.
  explicit ThreadPool(size_t threads);
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;
  ~ThreadPool();

  // The number of workers.
  size_t size() const { return workers_.size(); }

  // Queues `task`; the future becomes ready when it has run (and carries what it threw). A task
  // that waits on another task's future can deadlock a pool whose workers are all waiting.
  std::future<void> Submit(std::function<void()> task);

  // Splits [begin, end) into `chunks` (default size()) contiguous chunks and calls
  // body(chunk_begin, chunk_end) for each, on the workers and the calling thread, which claim
  // chunks as they become free; returns when all are done. More chunks than threads even out
  // threads that run at different speeds. Called from one of this pool's workers, it runs
  // body(begin, end) inline instead, so nested calls cannot deadlock. `body` must not throw (a
  // throw terminates the process).
  void ParallelFor(size_t begin, size_t end,
                   const std::function<void(size_t chunk_begin, size_t chunk_end)>& body,
                   size_t chunks = 0);

  // Whether the calling thread is one of this pool's workers.
  bool IsWorkerThread() const;

 private:
  void Enqueue(std::packaged_task<void()> task);
  void WorkerLoop();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::packaged_task<void()>> tasks_;  // guarded by mutex_
  bool stopping_ = false;                         // guarded by mutex_
  std::vector<std::thread> workers_;
};

}  // namespace fathom::base
