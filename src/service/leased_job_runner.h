// The shared queue of many nodes (JobScheduler on a shared JobStore, PostgreSQL): each of
// `workers` threads claims the oldest runnable job with a lease, heartbeats the lease while
// the job runs, and lets go of it at the end. A worker that dies stops heartbeating; once
// its lease runs out another worker claims the job (JobManager counts that as an
// interrupted attempt). Wake-ups come from the store's notifications (Wake); a worker also
// looks for work once per lease, which is how a dead worker's job is found.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "service/job_scheduler.h"
#include "service/job_store.h"

namespace presgen {

struct LeasedRunnerParams {
  int workers = 1;         // 0: this node renders nothing (an API node)
  int queue_limit = 8;     // runnable jobs no worker holds before QueueFull
  int64_t lease_ms = 30000;
  std::string node_id;     // unique per process; owners are "<node_id>/<worker>"
};

class LeasedJobRunner : public JobScheduler {
 public:
  LeasedJobRunner(JobStore& store, RunFn run, LeasedRunnerParams params);
  ~LeasedJobRunner() override;

  bool Enqueue(const std::string& id, bool force = false) override;  // = Wake
  bool QueueFull() const override;
  int Waiting() const override;
  int Running() const override;
  bool Cancel(const std::string& id) override;
  void Stop() override;
  // There may be work: idle workers look now.
  void Wake();

 private:
  void WorkerLoop(int index);
  // The run's should_abort: cancelled, stopping, or the lease lost. Renews the lease every
  // third of it; while the store cannot be reached the lease counts as held until it would
  // have run out.
  bool CheckLease(const std::string& id, const std::string& owner, const std::atomic<bool>& abort,
                  int64_t* renewed_at_ms);

  JobStore& store_;
  RunFn run_;
  LeasedRunnerParams params_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  uint64_t wakes_ = 0;
  bool stopping_ = false;
  std::map<std::string, std::shared_ptr<std::atomic<bool>>> running_;  // id -> abort flag
  std::vector<std::thread> workers_;
};

}  // namespace presgen
