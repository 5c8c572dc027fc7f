// What runs a service's jobs: a queue in this process (JobRunner, one machine, SQLite) or
// the shared queue in the job store (LeasedJobRunner, many nodes on PostgreSQL). JobManager
// asks it to run a job once the job's row says there is work, and to stop one.
#pragma once

#include <functional>
#include <string>

namespace presgen {

class JobScheduler {
 public:
  // Runs one job. `should_abort` turns true when the job is cancelled, the scheduler stops
  // or the job's lease is lost. `lease_owner` is "" for a job that is not leased; a leased
  // job's writes are made only while the lease is held (JobStore::UpdateLeased).
  using RunFn = std::function<void(const std::string& id, const std::function<bool()>& should_abort,
                                   const std::string& lease_owner)>;

  virtual ~JobScheduler() = default;
  // The job's row has queued work. False when `queue_limit` jobs already wait (force: the
  // caller checked QueueFull already, or it is recovery at start-up).
  virtual bool Enqueue(const std::string& id, bool force = false) = 0;
  virtual bool QueueFull() const = 0;
  virtual int Waiting() const = 0;
  virtual int Running() const = 0;  // in this process
  // Withdraws a queued job or asks a running one (here) to stop. True if it was known.
  virtual bool Cancel(const std::string& id) = 0;
  // Stops taking work, asks running jobs to stop and joins the workers.
  virtual void Stop() = 0;
};

}  // namespace presgen
