// The HTTP server's connection threads. cpp-httplib serves each connection on a pool thread
// for the connection's whole life — an open event stream, a keep-alive client between its
// requests, a slow upload — so a fixed pool is starved by watchers (issue 16: 50 streams
// made /v1/jobs/{id} time out). This pool starts `min_threads` and adds one whenever a
// connection arrives while every thread is busy, up to `max_threads`; beyond that,
// connections wait in line. Threads, once started, stay until shutdown (an idle one costs
// a stack of virtual memory and ~20 KB resident).
#pragma once

#include <httplib.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace presgen {

class ElasticThreadPool final : public httplib::TaskQueue {
 public:
  ElasticThreadPool(size_t min_threads, size_t max_threads);
  ~ElasticThreadPool() override;

  void enqueue(std::function<void()> fn) override;
  void shutdown() override;  // runs what is queued, then joins every thread

  size_t threads() const;  // started so far

 private:
  void Work();

  const size_t max_threads_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> threads_;
  size_t idle_ = 0;
  bool shutdown_ = false;
};

}  // namespace presgen
