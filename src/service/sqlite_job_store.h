// The job store in one SQLite file (WAL, synchronous=FULL): the default, for one machine.
// One connection behind a lock.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "service/job_store.h"
#include "service/sqlite_ptr.h"

namespace presgen {

class SqliteJobStore : public JobStore {
 public:
  // Opens or creates the store. Errors: kUnavailable naming the file.
  static Result<std::unique_ptr<JobStore>> Open(const std::string& path);

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
  explicit SqliteJobStore(SqlitePtr db) : db_(std::move(db)) {}
  Status Exec(const char* sql);
  Result<std::vector<JobRecord>> Query(const std::string& where, const std::string& bind,
                                       int limit);

  std::mutex mu_;
  SqlitePtr db_;
};

}  // namespace presgen
