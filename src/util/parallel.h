// Items 0..count-1 shared out over a few threads: one each at a time, in order of asking.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace flexrecon {

// Calls each(item, worker) for every item from `threads` threads (this one among them; `worker`,
// 0..threads-1, says which, for state a thread keeps from item to item). The first exception stops
// the handing out of items; it is thrown again here once every thread has stopped.
inline void for_each_in_parallel(std::size_t count, std::size_t threads,
                                 const std::function<void(std::size_t item, std::size_t worker)>& each) {
  threads = std::max<std::size_t>(1, std::min(threads, count));
  std::atomic<std::size_t> next{0};
  std::mutex failure_mutex;
  std::exception_ptr failure;
  const auto work = [&](std::size_t worker) {
    for (std::size_t item; (item = next++) < count;) {
      try {
        each(item, worker);
      } catch (...) {
        std::lock_guard<std::mutex> lock(failure_mutex);
        if (!failure) failure = std::current_exception();
        next = count;
      }
    }
  };
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work, t);
  work(0);
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace flexrecon
