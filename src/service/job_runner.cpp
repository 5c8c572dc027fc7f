#include "service/job_runner.h"

#include <algorithm>

namespace presgen {

JobRunner::JobRunner(RunFn run, int workers, int queue_limit)
    : run_(std::move(run)), queue_limit_(std::max(1, queue_limit)) {
  for (int i = 0; i < std::max(1, workers); ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

JobRunner::~JobRunner() { Stop(); }

bool JobRunner::Enqueue(const std::string& id, bool force) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return false;
    if (!force && static_cast<int>(queue_.size()) >= queue_limit_) return false;
    if (std::find(queue_.begin(), queue_.end(), id) != queue_.end()) return true;
    queue_.push_back(id);
  }
  wake_.notify_one();
  return true;
}

bool JobRunner::QueueFull() const {
  std::lock_guard lock(mu_);
  return static_cast<int>(queue_.size()) >= queue_limit_;
}

int JobRunner::Waiting() const {
  std::lock_guard lock(mu_);
  return static_cast<int>(queue_.size());
}

int JobRunner::Running() const {
  std::lock_guard lock(mu_);
  return static_cast<int>(running_.size());
}

bool JobRunner::Cancel(const std::string& id) {
  std::lock_guard lock(mu_);
  if (auto it = std::find(queue_.begin(), queue_.end(), id); it != queue_.end()) {
    queue_.erase(it);
    return true;
  }
  if (auto it = running_.find(id); it != running_.end()) {
    it->second->store(true);
    return true;
  }
  return false;
}

void JobRunner::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && workers_.empty()) return;
    stopping_ = true;
    queue_.clear();
    for (auto& [id, flag] : running_) flag->store(true);
  }
  wake_.notify_all();
  for (auto& t : workers_)
    if (t.joinable()) t.join();
  workers_.clear();
}

void JobRunner::WorkerLoop() {
  for (;;) {
    std::string id;
    auto abort = std::make_shared<std::atomic<bool>>(false);
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      id = queue_.front();
      queue_.pop_front();
      running_[id] = abort;
    }
    run_(id, [abort] { return abort->load(); }, /*lease_owner=*/"");
    std::lock_guard lock(mu_);
    // Another worker may already run the same job again (a render right after this run).
    if (auto it = running_.find(id); it != running_.end() && it->second == abort) {
      running_.erase(it);
    }
  }
}

}  // namespace presgen
