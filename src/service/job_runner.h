// A bounded pool of worker threads running jobs by id (default one: a render
// takes both cores of a small machine). Queued ids wait in order; a full queue
// refuses new work (the API answers 429). A queued job can be withdrawn and a
// running one asked to stop.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace presgen {

class JobRunner {
 public:
  // Runs one job; `should_abort` turns true when the job is cancelled or the
  // runner stops.
  using RunFn = std::function<void(const std::string& id, const std::function<bool()>& should_abort)>;

  JobRunner(RunFn run, int workers, int queue_limit);
  ~JobRunner();
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  // False when `queue_limit` jobs already wait (force: recovery at start-up ignores it).
  bool Enqueue(const std::string& id, bool force = false);
  bool QueueFull() const;
  int Waiting() const;
  int Running() const;
  // Withdraws a queued job or asks a running one to stop. True if it was known.
  bool Cancel(const std::string& id);
  // Stops taking work, asks running jobs to stop and joins the workers.
  void Stop();

 private:
  void WorkerLoop();

  RunFn run_;
  int queue_limit_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::string> queue_;
  std::map<std::string, std::shared_ptr<std::atomic<bool>>> running_;  // id -> abort flag
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace presgen
