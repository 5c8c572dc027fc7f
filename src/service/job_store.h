// The job store: a row per job, in SQLite (one machine, the default) or PostgreSQL (many
// API nodes and workers sharing one database). Every write is committed before the call
// returns, so an API answer never promises a job the store does not have. Implementations
// are thread-safe. The contract is one test suite run against both (job_store_test.cpp).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "service/job_record.h"

namespace presgen {

class JobStore {
 public:
  virtual ~JobStore() = default;

  // Errors: kConflict when the id or the idempotency key is taken.
  virtual Status Insert(const JobRecord& job) = 0;
  virtual Status Update(const JobRecord& job) = 0;  // the whole row, by id; kNotFound
  virtual Status Delete(const std::string& id) = 0;
  // kNotFound when there is no such job.
  virtual Result<JobRecord> Get(const std::string& id) = 0;
  virtual Result<JobRecord> FindByIdempotencyKey(const std::string& key) = 0;
  // Newest first (by created_at, then by insertion).
  virtual Result<std::vector<JobRecord>> List(int limit) = 0;
  virtual Result<std::vector<JobRecord>> ListWithStatus(JobStatus status) = 0;
  // Idle jobs (review, succeeded, failed) whose expires_at is at or before `now`;
  // queued and running jobs never expire (their TTL restarts when they finish).
  virtual Result<std::vector<JobRecord>> ListExpiredBy(int64_t now) = 0;
  // Expired rows older than `before` (their files are gone; the rows are removed too).
  virtual Status DeleteExpiredBefore(int64_t before) = 0;
  virtual Result<std::map<JobStatus, int>> CountByStatus() = 0;

  // --- Many nodes on one store (PostgreSQL). A store of one process (SQLite) is not
  // shared: the calls below answer kUnsupported, and JobManager never makes them.
  virtual bool shared() const { return false; }
  // Leases: a worker `owner` claims the oldest runnable job (a queued task whose lease is
  // free or has run out), for `lease_ms` by the store's clock, so the nodes' clocks need
  // not agree. kNotFound when there is none. Many claimers never get the same job.
  virtual Result<JobRecord> ClaimNext(const std::string& owner, int64_t lease_ms);
  // Extends the lease. kNotFound: the job is gone (deleted); kConflict: the lease ran out
  // and another owner holds it now.
  virtual Status RenewLease(const std::string& id, const std::string& owner, int64_t lease_ms);
  virtual Status ReleaseLease(const std::string& id, const std::string& owner);
  // Update, only while `owner` holds the job's lease (kConflict otherwise).
  virtual Status UpdateLeased(const JobRecord& job, const std::string& owner);
  // Runnable jobs no worker holds (the shared queue's length).
  virtual Result<int> CountWaiting();
  // Tells every node listening (Listen) `payload` (at most 7,000 bytes).
  virtual Status Notify(const std::string& payload);
  // Runs `on_payload` on a thread of its own for every Notify of any node (this one too),
  // until the returned handle is destroyed; the connection is re-made when it drops, and
  // `on_reconnect` runs then (notifications meanwhile are lost: look again).
  class Listener {
   public:
    virtual ~Listener() = default;
  };
  virtual Result<std::unique_ptr<Listener>> Listen(std::function<void(const std::string&)> on_payload,
                                                   std::function<void()> on_reconnect);
  // One value every node shares: `proposed` if the store had none, else the stored one.
  virtual Result<std::string> SharedValue(const std::string& name, const std::string& proposed);
  // A lock across nodes, held until UnlockShared (false: another node holds it).
  virtual Result<bool> TryLockShared(const std::string& name);
  virtual void UnlockShared(const std::string& name);
};

// Where the jobs live, from `--store`: "sqlite:PATH", "postgresql://…" or "postgres://…"
// (a libpq connection URI). Parsed once at the edge.
struct StoreLocation {
  enum class Kind { kSqlite, kPostgres };
  Kind kind = Kind::kSqlite;
  std::string target;  // the SQLite file, or the connection URI
  // The location for messages: a URI's password is never shown.
  std::string Display() const;
};

// Errors: kInvalidInput naming the value and what is accepted.
Result<StoreLocation> ParseStoreLocation(const std::string& value);

// Opens (and creates or migrates) the store. Errors: kUnavailable with the location and why.
Result<std::unique_ptr<JobStore>> OpenJobStore(const StoreLocation& where);

}  // namespace presgen
