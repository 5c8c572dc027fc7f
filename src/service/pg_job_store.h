// The job store in PostgreSQL (`--store postgresql://user@host/db`): the same rows as the
// SQLite store, in a database a team already runs. Opening applies the schema migrations
// (versioned, inside a transaction under an advisory lock, so nodes starting together do
// not race; a schema newer than this binary knows is a clear error). Many API nodes and
// workers share it: jobs are claimed with leases (`FOR UPDATE SKIP LOCKED`, the store's
// clock), nodes hear each other through LISTEN/NOTIFY (pg_listener.h). One connection
// behind a lock; a dropped connection is re-made on the next call.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "service/job_store.h"
#include "service/pg_ptr.h"

namespace presgen {

class PgJobStore : public JobStore {
 public:
  // The schema version this binary writes (presgen_schema.version).
  static constexpr int kSchemaVersion = 1;

  // Errors: kUnavailable (unreachable, refused credentials, a newer schema), each naming
  // the location without its password.
  static Result<std::unique_ptr<JobStore>> Open(const StoreLocation& where);

  Status Insert(const JobRecord& job) override;
  Status Update(const JobRecord& job) override;
  Status Delete(const std::string& id) override;
  Result<JobRecord> Get(const std::string& id) override;
  Result<JobRecord> FindByIdempotencyKey(const std::string& key) override;
  Result<std::vector<JobRecord>> List(int limit) override;
  Result<std::vector<JobRecord>> ListWithStatus(JobStatus status) override;
  Result<std::vector<JobRecord>> ListExpiredBy(int64_t now) override;
  Status DeleteExpiredBefore(int64_t before) override;
  Result<std::map<JobStatus, int>> CountByStatus() override;

  bool shared() const override { return true; }
  Result<JobRecord> ClaimNext(const std::string& owner, int64_t lease_ms) override;
  Status RenewLease(const std::string& id, const std::string& owner, int64_t lease_ms) override;
  Status ReleaseLease(const std::string& id, const std::string& owner) override;
  Status UpdateLeased(const JobRecord& job, const std::string& owner) override;
  Result<int> CountWaiting() override;
  Status Notify(const std::string& payload) override;
  Result<std::unique_ptr<Listener>> Listen(std::function<void(const std::string&)> on_payload,
                                           std::function<void()> on_reconnect) override;
  Result<std::string> SharedValue(const std::string& name, const std::string& proposed) override;
  Result<bool> TryLockShared(const std::string& name) override;
  void UnlockShared(const std::string& name) override;

 private:
  explicit PgJobStore(StoreLocation where) : where_(std::move(where)) {}
  // Connects (or reconnects) and migrates. Call with mu_ held.
  Status ConnectLocked();
  // Runs `sql` with text parameters (null_params[i]: $i+1 is NULL). A lost connection is
  // re-made; a statement it cut off is run once more when `repeatable` (reads, whole-row
  // updates, deletes), and otherwise fails kUnavailable (an INSERT might have committed).
  // Call with mu_ held.
  Result<PgResultPtr> RunLocked(const std::string& sql, const std::vector<std::string>& params,
                                const std::vector<bool>& null_params = {},
                                bool repeatable = true);
  Result<std::vector<JobRecord>> Query(const std::string& where,
                                       const std::vector<std::string>& params, int limit);

  std::mutex mu_;
  StoreLocation where_;
  PgConnPtr conn_;
};

}  // namespace presgen
