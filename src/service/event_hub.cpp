#include "service/event_hub.h"

namespace presgen {

void EventHub::Publish(const std::string& job_id, JobEvent event) {
  {
    std::lock_guard lock(mu_);
    auto& q = events_[job_id];
    // Ids only increase: an event heard twice (a node's own change, told back by the job
    // store's notification) or late is dropped.
    if (!q.empty() && event.id <= q.back().id) return;
    q.push_back(std::move(event));
    while (q.size() > history_) q.pop_front();
  }
  changed_.notify_all();
}

int64_t EventHub::LastId(const std::string& job_id) const {
  std::lock_guard lock(mu_);
  auto it = events_.find(job_id);
  return it == events_.end() || it->second.empty() ? 0 : it->second.back().id;
}

EventHub::Batch EventHub::Collect(const std::string& job_id, int64_t after) const {
  Batch batch;
  auto it = events_.find(job_id);
  if (it == events_.end() || it->second.empty()) {
    batch.gap = true;
    return batch;
  }
  const auto& q = it->second;
  batch.gap = q.front().id > after + 1;
  for (const auto& e : q)
    if (e.id > after) batch.events.push_back(e);
  return batch;
}

EventHub::Batch EventHub::WaitAfter(const std::string& job_id, int64_t after,
                                    std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  auto has_new = [&] {
    auto it = events_.find(job_id);
    return it != events_.end() && !it->second.empty() && it->second.back().id > after;
  };
  changed_.wait_for(lock, timeout, [&] { return closed_ || has_new(); });
  return Collect(job_id, after);
}

void EventHub::Forget(const std::string& job_id) {
  {
    std::lock_guard lock(mu_);
    events_.erase(job_id);
  }
  changed_.notify_all();
}

void EventHub::Trim(const std::string& job_id, size_t keep) {
  std::lock_guard lock(mu_);
  auto it = events_.find(job_id);
  if (it == events_.end()) return;
  while (it->second.size() > keep) it->second.pop_front();
}

void EventHub::Close() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  changed_.notify_all();
}

}  // namespace presgen
