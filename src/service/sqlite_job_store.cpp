#include "service/sqlite_job_store.h"

#include <spdlog/spdlog.h>

namespace presgen {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS jobs (
  id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  task TEXT NOT NULL DEFAULT '',
  stage TEXT NOT NULL DEFAULT '',
  progress REAL NOT NULL DEFAULT 0,
  review INTEGER NOT NULL DEFAULT 0,
  filename TEXT NOT NULL DEFAULT '',
  options_json TEXT NOT NULL DEFAULT '{}',
  duration_s REAL NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  deck_version INTEGER NOT NULL DEFAULT 0,
  slide_count INTEGER NOT NULL DEFAULT 0,
  has_output INTEGER NOT NULL DEFAULT 0,
  error TEXT NOT NULL DEFAULT '',
  result_json TEXT NOT NULL DEFAULT '',
  idempotency_key TEXT,
  body_sha256 TEXT NOT NULL DEFAULT '',
  attempts INTEGER NOT NULL DEFAULT 0,
  event_seq INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX IF NOT EXISTS jobs_idempotency ON jobs(idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS jobs_status ON jobs(status);
CREATE INDEX IF NOT EXISTS jobs_expires ON jobs(expires_at);
)sql";

constexpr const char* kColumns =
    "id, status, task, stage, progress, review, filename, options_json, duration_s, created_at, "
    "updated_at, expires_at, deck_version, slide_count, has_output, error, result_json, "
    "idempotency_key, body_sha256, attempts, event_seq";

std::string Text(sqlite3_stmt* s, int col) {
  const unsigned char* t = sqlite3_column_text(s, col);
  return t ? reinterpret_cast<const char*>(t) : "";
}

JobRecord ReadRow(sqlite3_stmt* s) {
  JobRecord j;
  j.id = Text(s, 0);
  j.status = ParseJobStatus(Text(s, 1)).value_or(JobStatus::kFailed);
  j.task = ParseJobTask(Text(s, 2));
  j.stage = Text(s, 3);
  j.progress = sqlite3_column_double(s, 4);
  j.review = sqlite3_column_int(s, 5) != 0;
  j.filename = Text(s, 6);
  j.options_json = Text(s, 7);
  j.duration_s = sqlite3_column_double(s, 8);
  j.created_at = sqlite3_column_int64(s, 9);
  j.updated_at = sqlite3_column_int64(s, 10);
  j.expires_at = sqlite3_column_int64(s, 11);
  j.deck_version = sqlite3_column_int(s, 12);
  j.slide_count = sqlite3_column_int(s, 13);
  j.has_output = sqlite3_column_int(s, 14) != 0;
  j.error = Text(s, 15);
  j.result_json = Text(s, 16);
  j.idempotency_key = Text(s, 17);
  j.body_sha256 = Text(s, 18);
  j.attempts = sqlite3_column_int(s, 19);
  j.event_seq = sqlite3_column_int64(s, 20);
  return j;
}

void BindText(sqlite3_stmt* s, int i, const std::string& v) {
  sqlite3_bind_text(s, i, v.c_str(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}

// Binds the 21 columns in kColumns order.
void BindRow(sqlite3_stmt* s, const JobRecord& j) {
  BindText(s, 1, j.id);
  BindText(s, 2, ToString(j.status));
  BindText(s, 3, ToString(j.task));
  BindText(s, 4, j.stage);
  sqlite3_bind_double(s, 5, j.progress);
  sqlite3_bind_int(s, 6, j.review ? 1 : 0);
  BindText(s, 7, j.filename);
  BindText(s, 8, j.options_json);
  sqlite3_bind_double(s, 9, j.duration_s);
  sqlite3_bind_int64(s, 10, j.created_at);
  sqlite3_bind_int64(s, 11, j.updated_at);
  sqlite3_bind_int64(s, 12, j.expires_at);
  sqlite3_bind_int(s, 13, j.deck_version);
  sqlite3_bind_int(s, 14, j.slide_count);
  sqlite3_bind_int(s, 15, j.has_output ? 1 : 0);
  BindText(s, 16, j.error);
  BindText(s, 17, j.result_json);
  if (j.idempotency_key.empty()) {
    sqlite3_bind_null(s, 18);
  } else {
    BindText(s, 18, j.idempotency_key);
  }
  BindText(s, 19, j.body_sha256);
  sqlite3_bind_int(s, 20, j.attempts);
  sqlite3_bind_int64(s, 21, j.event_seq);
}

Status SqlError(sqlite3* db, const std::string& what) {
  return Status::Internal("job store: " + what + ": " + sqlite3_errmsg(db));
}

}  // namespace

Result<std::unique_ptr<JobStore>> SqliteJobStore::Open(const std::string& path) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                                 nullptr);
  SqlitePtr db(raw);
  if (rc != SQLITE_OK) {
    return Status::Unavailable(path + ": cannot open the job store (" +
                               (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)) + ")");
  }
  sqlite3_busy_timeout(db.get(), 5000);
  std::unique_ptr<SqliteJobStore> store(new SqliteJobStore(std::move(db)));
  for (const char* sql : {"PRAGMA journal_mode=WAL;", "PRAGMA synchronous=FULL;", kSchema}) {
    if (Status st = store->Exec(sql); !st.ok()) {
      return Status::Unavailable(path + ": " + st.message());
    }
  }
  return std::unique_ptr<JobStore>(std::move(store));
}

Status SqliteJobStore::Exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_.get(), sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string message = err ? err : "unknown error";
    sqlite3_free(err);
    return Status::Internal("job store: " + message);
  }
  return Status::Ok();
}

Status SqliteJobStore::Insert(const JobRecord& job) {
  std::lock_guard lock(mu_);
  const std::string sql = std::string("INSERT INTO jobs (") + kColumns +
                          ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db_.get(), sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
    return SqlError(db_.get(), "prepare insert");
  }
  SqliteStmtPtr stmt(raw);
  BindRow(raw, job);
  const int rc = sqlite3_step(raw);
  if (rc == SQLITE_CONSTRAINT) {
    return Status::Conflict("job store: job " + job.id + " or its idempotency key is already stored");
  }
  if (rc != SQLITE_DONE) return SqlError(db_.get(), "insert " + job.id);
  return Status::Ok();
}

Status SqliteJobStore::Update(const JobRecord& job) {
  std::lock_guard lock(mu_);
  // UPDATE keeps the row (and its rowid, the tie-break of the creation order).
  static const std::string sql = [] {
    std::string set;
    std::string cols = kColumns;
    int index = 1;
    size_t pos = 0;
    while (pos < cols.size()) {
      size_t comma = cols.find(',', pos);
      if (comma == std::string::npos) comma = cols.size();
      std::string name = cols.substr(pos, comma - pos);
      name.erase(0, name.find_first_not_of(' '));
      if (index > 1) set += (set.empty() ? "" : ", ") + name + " = ?" + std::to_string(index);
      ++index;
      pos = comma + 1;
    }
    return "UPDATE jobs SET " + set + " WHERE id = ?1";
  }();
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db_.get(), sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
    return SqlError(db_.get(), "prepare update");
  }
  SqliteStmtPtr stmt(raw);
  BindRow(raw, job);
  if (sqlite3_step(raw) != SQLITE_DONE) return SqlError(db_.get(), "update " + job.id);
  if (sqlite3_changes(db_.get()) != 1) return Status::NotFound("no job " + job.id);
  return Status::Ok();
}

Status SqliteJobStore::Delete(const std::string& id) {
  std::lock_guard lock(mu_);
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db_.get(), "DELETE FROM jobs WHERE id = ?", -1, &raw, nullptr) !=
      SQLITE_OK) {
    return SqlError(db_.get(), "prepare delete");
  }
  SqliteStmtPtr stmt(raw);
  BindText(raw, 1, id);
  if (sqlite3_step(raw) != SQLITE_DONE) return SqlError(db_.get(), "delete " + id);
  return Status::Ok();
}

Result<std::vector<JobRecord>> SqliteJobStore::Query(const std::string& where, const std::string& bind,
                                               int limit) {
  std::lock_guard lock(mu_);
  std::string sql = std::string("SELECT ") + kColumns + " FROM jobs " + where +
                    " ORDER BY created_at DESC, rowid DESC";
  if (limit > 0) sql += " LIMIT " + std::to_string(limit);
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db_.get(), sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
    return SqlError(db_.get(), "prepare query");
  }
  SqliteStmtPtr stmt(raw);
  if (!bind.empty()) BindText(raw, 1, bind);
  std::vector<JobRecord> out;
  int rc;
  while ((rc = sqlite3_step(raw)) == SQLITE_ROW) out.push_back(ReadRow(raw));
  if (rc != SQLITE_DONE) return SqlError(db_.get(), "query");
  return out;
}

Result<JobRecord> SqliteJobStore::Get(const std::string& id) {
  auto rows = Query("WHERE id = ?", id, 1);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return Status::NotFound("no job " + id);
  return std::move(rows->front());
}

Result<JobRecord> SqliteJobStore::FindByIdempotencyKey(const std::string& key) {
  auto rows = Query("WHERE idempotency_key = ?", key, 1);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return Status::NotFound("no job with idempotency key " + key);
  return std::move(rows->front());
}

Result<std::vector<JobRecord>> SqliteJobStore::List(int limit) { return Query("", "", limit); }

Result<std::vector<JobRecord>> SqliteJobStore::ListWithStatus(JobStatus status) {
  return Query("WHERE status = ?", ToString(status), 0);
}

Result<std::vector<JobRecord>> SqliteJobStore::ListExpiredBy(int64_t now) {
  return Query("WHERE status IN ('review', 'succeeded', 'failed') AND expires_at <= " +
                   std::to_string(now),
               "", 0);
}

Status SqliteJobStore::DeleteExpiredBefore(int64_t before) {
  std::lock_guard lock(mu_);
  const std::string sql =
      "DELETE FROM jobs WHERE status = 'expired' AND expires_at < " + std::to_string(before);
  return Exec(sql.c_str());
}

Result<std::map<JobStatus, int>> SqliteJobStore::CountByStatus() {
  std::lock_guard lock(mu_);
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db_.get(), "SELECT status, COUNT(*) FROM jobs GROUP BY status", -1, &raw,
                         nullptr) != SQLITE_OK) {
    return SqlError(db_.get(), "prepare count");
  }
  SqliteStmtPtr stmt(raw);
  std::map<JobStatus, int> out;
  while (sqlite3_step(raw) == SQLITE_ROW) {
    if (auto s = ParseJobStatus(Text(raw, 0))) out[*s] = sqlite3_column_int(raw, 1);
  }
  return out;
}

}  // namespace presgen
