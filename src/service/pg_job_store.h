// The job store in PostgreSQL (`--store postgresql://user@host/db`): the same rows as the
// SQLite store, in a database a team already runs. Opening applies the schema migrations
// (versioned, inside a transaction under an advisory lock, so nodes starting together do
// not race; a schema newer than this binary knows is a clear error) and takes the
// database's "one presgen serve" lock: until render workers with leases exist (issue 17),
// a second serve on the same database is refused rather than re-running the first one's
// jobs. One connection behind a lock; a dropped connection is re-made on the next call.
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

  // Errors: kUnavailable (unreachable, refused credentials, a newer schema, another serve
  // holding the database), each naming the location without its password.
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

 private:
  explicit PgJobStore(StoreLocation where) : where_(std::move(where)) {}
  // Connects (or reconnects), migrates and takes the serve lock. Call with mu_ held.
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
