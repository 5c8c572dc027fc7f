#include "service/job_store.h"

#include "service/pg_job_store.h"
#include "service/sqlite_job_store.h"

namespace presgen {
namespace {

Status NotShared() {
  return Status::Unsupported("this job store belongs to one process; many nodes need PostgreSQL");
}

}  // namespace

Result<JobRecord> JobStore::ClaimNext(const std::string&, int64_t) { return NotShared(); }
Status JobStore::RenewLease(const std::string&, const std::string&, int64_t) { return NotShared(); }
Status JobStore::ReleaseLease(const std::string&, const std::string&) { return NotShared(); }
Status JobStore::UpdateLeased(const JobRecord&, const std::string&) { return NotShared(); }
Result<int> JobStore::CountWaiting() { return NotShared(); }
Status JobStore::Notify(const std::string&) { return NotShared(); }
Result<std::unique_ptr<JobStore::Listener>> JobStore::Listen(
    std::function<void(const std::string&)>, std::function<void()>) {
  return NotShared();
}
Result<std::string> JobStore::SharedValue(const std::string&, const std::string&) {
  return NotShared();
}
Result<bool> JobStore::TryLockShared(const std::string&) { return NotShared(); }
void JobStore::UnlockShared(const std::string&) {}

std::string StoreLocation::Display() const {
  if (kind == Kind::kSqlite) return "sqlite:" + target;
  // postgresql://user:secret@host/db -> postgresql://user@host/db
  std::string shown = target;
  const size_t scheme = shown.find("://");
  const size_t at = shown.find('@', scheme == std::string::npos ? 0 : scheme + 3);
  if (scheme != std::string::npos && at != std::string::npos) {
    const size_t colon = shown.find(':', scheme + 3);
    if (colon != std::string::npos && colon < at) shown.erase(colon, at - colon);
  }
  const size_t password = shown.find("password=");
  if (password != std::string::npos) {
    const size_t end = shown.find('&', password);
    shown.replace(password, (end == std::string::npos ? shown.size() : end) - password,
                  "password=…");
  }
  return shown;
}

Result<StoreLocation> ParseStoreLocation(const std::string& value) {
  StoreLocation where;
  if (value.rfind("sqlite:", 0) == 0 && value.size() > 7) {
    where.kind = StoreLocation::Kind::kSqlite;
    where.target = value.substr(7);
    return where;
  }
  if (value.rfind("postgresql://", 0) == 0 || value.rfind("postgres://", 0) == 0) {
    where.kind = StoreLocation::Kind::kPostgres;
    where.target = value;
    return where;
  }
  return Status::InvalidInput("--store '" + value +
                              "': expected sqlite:PATH or postgresql://user@host/database");
}

Result<std::unique_ptr<JobStore>> OpenJobStore(const StoreLocation& where) {
  switch (where.kind) {
    case StoreLocation::Kind::kSqlite:
      return SqliteJobStore::Open(where.target);
    case StoreLocation::Kind::kPostgres:
      return PgJobStore::Open(where);
  }
  return Status::Internal("unknown job store kind");
}

}  // namespace presgen
