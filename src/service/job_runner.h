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

#include "service/job_scheduler.h"

namespace presgen {

class JobRunner : public JobScheduler {
 public:
  JobRunner(RunFn run, int workers, int queue_limit);
  ~JobRunner() override;
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  bool Enqueue(const std::string& id, bool force = false) override;
  bool QueueFull() const override;
  int Waiting() const override;
  int Running() const override;
  bool Cancel(const std::string& id) override;
  void Stop() override;

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
