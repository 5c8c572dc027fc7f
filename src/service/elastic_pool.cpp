#include "service/elastic_pool.h"

#include <algorithm>

namespace presgen {

ElasticThreadPool::ElasticThreadPool(size_t min_threads, size_t max_threads)
    : max_threads_(std::max<size_t>(1, std::max(min_threads, max_threads))) {
  std::lock_guard lock(mu_);
  for (size_t i = 0; i < std::max<size_t>(1, min_threads); ++i) threads_.emplace_back([this] { Work(); });
}

ElasticThreadPool::~ElasticThreadPool() { shutdown(); }

void ElasticThreadPool::enqueue(std::function<void()> fn) {
  {
    std::lock_guard lock(mu_);
    if (shutdown_) return;
    jobs_.push_back(std::move(fn));
    // Every thread busy (the idle ones would take the queued jobs first): one more.
    if (idle_ < jobs_.size() && threads_.size() < max_threads_) {
      threads_.emplace_back([this] { Work(); });
    }
  }
  wake_.notify_one();
}

void ElasticThreadPool::shutdown() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mu_);
    if (shutdown_ && threads_.empty()) return;
    shutdown_ = true;
    threads.swap(threads_);
  }
  wake_.notify_all();
  for (auto& t : threads) {
    if (t.joinable()) t.join();
  }
}

size_t ElasticThreadPool::threads() const {
  std::lock_guard lock(mu_);
  return threads_.size();
}

void ElasticThreadPool::Work() {
  for (;;) {
    std::function<void()> fn;
    {
      std::unique_lock lock(mu_);
      ++idle_;
      wake_.wait(lock, [this] { return shutdown_ || !jobs_.empty(); });
      --idle_;
      if (jobs_.empty()) return;  // shutting down with nothing left to run
      fn = std::move(jobs_.front());
      jobs_.pop_front();
    }
    fn();
  }
}

}  // namespace presgen
