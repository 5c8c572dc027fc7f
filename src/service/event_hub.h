// Server-Sent Events for jobs: each job's recent events, kept in memory, with
// waiting for new ones. Event ids are the job's event_seq (kept in the job
// store), so they keep increasing across restarts; history lost in a restart
// shows up as a gap the reader fills with a fresh snapshot.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace presgen {

struct JobEvent {
  int64_t id = 0;
  std::string type;  // "status" or "progress"
  std::string data;  // the job's JSON on one line
  bool final = false;  // the job reached succeeded, failed or expired: the stream ends
};

class EventHub {
 public:
  explicit EventHub(size_t history_per_job = 256) : history_(history_per_job) {}

  // An event whose id is not above the job's last one is dropped.
  void Publish(const std::string& job_id, JobEvent event);
  // The id of the job's last event here; 0 = none.
  int64_t LastId(const std::string& job_id) const;

  struct Batch {
    std::vector<JobEvent> events;  // id > after, oldest first
    bool gap = false;              // events after `after` were dropped or never seen here
  };
  // Events after `after`; waits up to `timeout` when there are none yet.
  Batch WaitAfter(const std::string& job_id, int64_t after, std::chrono::milliseconds timeout);

  void Forget(const std::string& job_id);
  // Keeps only the last `keep` events of a job (an idle job needs few).
  void Trim(const std::string& job_id, size_t keep);
  // Wakes every waiter and stops waiting from now on (shutdown).
  void Close();

 private:
  Batch Collect(const std::string& job_id, int64_t after) const;

  size_t history_;
  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::map<std::string, std::deque<JobEvent>> events_;
  bool closed_ = false;
};

}  // namespace presgen
