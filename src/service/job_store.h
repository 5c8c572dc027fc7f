// The job store: a row per job, in SQLite (one machine, the default) or PostgreSQL (many
// API nodes and workers sharing one database). Every write is committed before the call
// returns, so an API answer never promises a job the store does not have. Implementations
// are thread-safe. The contract is one test suite run against both (job_store_test.cpp).
#pragma once

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
