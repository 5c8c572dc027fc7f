// The job store: one SQLite file (WAL, synchronous=FULL) with a row per job.
// Every write is committed before the call returns, so an API answer never
// promises a job the store does not have. Thread-safe (one connection, one lock).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/status.h"
#include "service/job_record.h"
#include "service/sqlite_ptr.h"

namespace presgen {

class JobStore {
 public:
  // Opens or creates the store. Errors: kUnavailable naming the file.
  static Result<std::unique_ptr<JobStore>> Open(const std::string& path);

  Status Insert(const JobRecord& job);
  Status Update(const JobRecord& job);  // the whole row, by id
  Status Delete(const std::string& id);
  // kNotFound when there is no such job.
  Result<JobRecord> Get(const std::string& id);
  Result<JobRecord> FindByIdempotencyKey(const std::string& key);
  // Newest first.
  Result<std::vector<JobRecord>> List(int limit);
  Result<std::vector<JobRecord>> ListWithStatus(JobStatus status);
  // Idle jobs (review, succeeded, failed) whose expires_at is at or before `now`;
  // queued and running jobs never expire (their TTL restarts when they finish).
  Result<std::vector<JobRecord>> ListExpiredBy(int64_t now);
  // Expired rows older than `before` (their files are gone; the rows are removed too).
  Status DeleteExpiredBefore(int64_t before);
  Result<std::map<JobStatus, int>> CountByStatus();

 private:
  explicit JobStore(SqlitePtr db) : db_(std::move(db)) {}
  Status Exec(const char* sql);
  Result<std::vector<JobRecord>> Query(const std::string& where, const std::string& bind,
                                       int limit);

  std::mutex mu_;
  SqlitePtr db_;
};

}  // namespace presgen
