#include "service/pg_job_store.h"

#include "service/pg_listener.h"

#include <cstdio>
#include <cstdlib>

namespace presgen {
namespace {

// pg_advisory_*lock keys ("presgen" in ASCII, then a role byte).
constexpr int64_t kMigrationLockKey = 0x70726573'67656e01;
// TryLockShared's locks: the two-key form, "pres" and a hash of the name.
constexpr int kSharedLockSpace = 0x70726573;
// Milliseconds by the database's clock (leases never depend on the nodes' clocks).
constexpr const char* kNowMs = "(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT";
constexpr const char* kRunnable =
    "task IN ('analyse', 'render') AND status IN ('queued', 'running', 'rendering')";

// Migration N (1-based) takes the schema from version N-1 to N. Append, never edit.
constexpr const char* kMigrations[] = {
    R"sql(
CREATE TABLE jobs (
  seq BIGSERIAL NOT NULL,
  id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  task TEXT NOT NULL DEFAULT '',
  stage TEXT NOT NULL DEFAULT '',
  progress DOUBLE PRECISION NOT NULL DEFAULT 0,
  review BOOLEAN NOT NULL DEFAULT FALSE,
  filename TEXT NOT NULL DEFAULT '',
  options_json TEXT NOT NULL DEFAULT '{}',
  duration_s DOUBLE PRECISION NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  deck_version INTEGER NOT NULL DEFAULT 0,
  slide_count INTEGER NOT NULL DEFAULT 0,
  has_output BOOLEAN NOT NULL DEFAULT FALSE,
  error TEXT NOT NULL DEFAULT '',
  result_json TEXT NOT NULL DEFAULT '',
  idempotency_key TEXT UNIQUE,
  body_sha256 TEXT NOT NULL DEFAULT '',
  attempts INTEGER NOT NULL DEFAULT 0,
  event_seq BIGINT NOT NULL DEFAULT 0,
  lease_owner TEXT NOT NULL DEFAULT '',
  lease_expires_ms BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX jobs_status ON jobs(status);
CREATE INDEX jobs_expires ON jobs(expires_at);
CREATE INDEX jobs_runnable ON jobs(created_at, seq) WHERE task IN ('analyse', 'render');
CREATE TABLE presgen_shared (name TEXT PRIMARY KEY, value TEXT NOT NULL);
)sql",
};
static_assert(std::size(kMigrations) == PgJobStore::kSchemaVersion);

constexpr const char* kColumns =
    "id, status, task, stage, progress, review, filename, options_json, duration_s, created_at, "
    "updated_at, expires_at, deck_version, slide_count, has_output, error, result_json, "
    "idempotency_key, body_sha256, attempts, event_seq";
constexpr int kColumnCount = 21;

// Where every node hears every other (Notify, Listen).
constexpr const char* kNotifyChannel = "presgen_jobs";

std::string Number(double v) {
  char text[40];
  std::snprintf(text, sizeof text, "%.17g", v);
  return text;
}

// The 21 columns in kColumns order, as text parameters; the idempotency key is NULL when
// empty (unique, but optional).
std::vector<std::string> RowParams(const JobRecord& j, std::vector<bool>* nulls) {
  *nulls = std::vector<bool>(kColumnCount, false);
  (*nulls)[17] = j.idempotency_key.empty();
  return {j.id,
          ToString(j.status),
          ToString(j.task),
          j.stage,
          Number(j.progress),
          j.review ? "true" : "false",
          j.filename,
          j.options_json,
          Number(j.duration_s),
          std::to_string(j.created_at),
          std::to_string(j.updated_at),
          std::to_string(j.expires_at),
          std::to_string(j.deck_version),
          std::to_string(j.slide_count),
          j.has_output ? "true" : "false",
          j.error,
          j.result_json,
          j.idempotency_key,
          j.body_sha256,
          std::to_string(j.attempts),
          std::to_string(j.event_seq)};
}

JobRecord ReadRow(const PGresult* r, int row) {
  auto text = [&](int col) { return std::string(PQgetvalue(r, row, col)); };
  auto integer = [&](int col) { return std::strtoll(PQgetvalue(r, row, col), nullptr, 10); };
  auto real = [&](int col) { return std::strtod(PQgetvalue(r, row, col), nullptr); };
  auto boolean = [&](int col) { return PQgetvalue(r, row, col)[0] == 't'; };
  JobRecord j;
  j.id = text(0);
  j.status = ParseJobStatus(text(1)).value_or(JobStatus::kFailed);
  j.task = ParseJobTask(text(2));
  j.stage = text(3);
  j.progress = real(4);
  j.review = boolean(5);
  j.filename = text(6);
  j.options_json = text(7);
  j.duration_s = real(8);
  j.created_at = integer(9);
  j.updated_at = integer(10);
  j.expires_at = integer(11);
  j.deck_version = static_cast<int>(integer(12));
  j.slide_count = static_cast<int>(integer(13));
  j.has_output = boolean(14);
  j.error = text(15);
  j.result_json = text(16);
  j.idempotency_key = PQgetisnull(r, row, 17) ? "" : text(17);
  j.body_sha256 = text(18);
  j.attempts = static_cast<int>(integer(19));
  j.event_seq = integer(20);
  return j;
}

// One statement outside RunLocked (migrations, locks): the result or the error.
Result<PgResultPtr> Exec(PGconn* conn, const std::string& sql) {
  PgResultPtr r(PQexec(conn, sql.c_str()));
  const ExecStatusType st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    return Status::Unavailable(FirstLineOf(r ? PQresultErrorMessage(r.get()) : PQerrorMessage(conn)));
  }
  return r;
}

// Applies the migrations this database lacks, in one transaction under the migration lock.
Status Migrate(PGconn* conn) {
  auto fail = [&](const Status& st) {
    (void)Exec(conn, "ROLLBACK");
    return st;
  };
  if (auto begun = Exec(conn, "BEGIN"); !begun.ok()) return begun.status();
  if (auto locked = Exec(conn, "SELECT pg_advisory_xact_lock(" + std::to_string(kMigrationLockKey) + ")");
      !locked.ok()) {
    return fail(locked.status());
  }
  if (auto made = Exec(conn, "CREATE TABLE IF NOT EXISTS presgen_schema (version INTEGER NOT NULL)");
      !made.ok()) {
    return fail(made.status());
  }
  auto current = Exec(conn, "SELECT COALESCE(MAX(version), 0) FROM presgen_schema");
  if (!current.ok()) return fail(current.status());
  const int version = std::atoi(PQgetvalue(current->get(), 0, 0));
  if (version > PgJobStore::kSchemaVersion) {
    return fail(Status::Unavailable(
        "the job store's schema is version " + std::to_string(version) + "; this presgen knows up to " +
        std::to_string(PgJobStore::kSchemaVersion) + " (upgrade presgen)"));
  }
  for (int v = version + 1; v <= PgJobStore::kSchemaVersion; ++v) {
    if (auto applied = Exec(conn, kMigrations[v - 1]); !applied.ok()) {
      return fail(Status::Unavailable("migration " + std::to_string(v) + ": " +
                                      applied.status().message()));
    }
    if (auto noted = Exec(conn, "INSERT INTO presgen_schema VALUES (" + std::to_string(v) + ")");
        !noted.ok()) {
      return fail(noted.status());
    }
  }
  auto committed = Exec(conn, "COMMIT");
  return committed.ok() ? Status::Ok() : committed.status();
}

}  // namespace

Result<std::unique_ptr<JobStore>> PgJobStore::Open(const StoreLocation& where) {
  std::unique_ptr<PgJobStore> store(new PgJobStore(where));
  std::lock_guard lock(store->mu_);
  if (Status st = store->ConnectLocked(); !st.ok()) return st;
  return std::unique_ptr<JobStore>(std::move(store));
}

Status PgJobStore::ConnectLocked() {
  auto unavailable = [&](const std::string& why) {
    conn_.reset();
    return Status::Unavailable(where_.Display() + ": " + why);
  };
  auto conn = ConnectToStore(where_);
  if (!conn.ok()) return conn.status();
  conn_ = std::move(conn).value();
  (void)Exec(conn_.get(), "SET client_min_messages = warning");  // no NOTICEs on stderr
  if (Status st = Migrate(conn_.get()); !st.ok()) return unavailable(st.message());
  return Status::Ok();
}

Result<PgResultPtr> PgJobStore::RunLocked(const std::string& sql,
                                          const std::vector<std::string>& params,
                                          const std::vector<bool>& null_params,
                                          bool repeatable) {
  if (!conn_ || PQstatus(conn_.get()) != CONNECTION_OK) {
    if (Status st = ConnectLocked(); !st.ok()) return st;
  }
  std::vector<const char*> values;
  for (size_t i = 0; i < params.size(); ++i) {
    values.push_back(i < null_params.size() && null_params[i] ? nullptr : params[i].c_str());
  }
  PgResultPtr r(PQexecParams(conn_.get(), sql.c_str(), static_cast<int>(values.size()), nullptr,
                             values.data(), nullptr, nullptr, 0));
  const ExecStatusType st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return r;
  const std::string why = FirstLineOf(r ? PQresultErrorMessage(r.get()) : PQerrorMessage(conn_.get()));
  const char* state = r ? PQresultErrorField(r.get(), PG_DIAG_SQLSTATE) : nullptr;
  if (state != nullptr && std::string(state) == "23505") {  // unique_violation
    return Status::Conflict("job store: " + why);
  }
  if (PQstatus(conn_.get()) != CONNECTION_OK) {
    conn_.reset();  // re-made on the next call (or now, for a statement that may repeat)
    if (repeatable) return RunLocked(sql, params, null_params, /*repeatable=*/false);
    return Status::Unavailable(where_.Display() + ": the job store is unreachable (" + why + ")");
  }
  return Status::Internal("job store: " + why);
}

Status PgJobStore::Insert(const JobRecord& job) {
  std::lock_guard lock(mu_);
  std::vector<bool> nulls;
  const auto params = RowParams(job, &nulls);
  std::string placeholders;
  for (int i = 1; i <= kColumnCount; ++i) placeholders += (i > 1 ? ",$" : "$") + std::to_string(i);
  auto r = RunLocked(std::string("INSERT INTO jobs (") + kColumns + ") VALUES (" + placeholders + ")",
                     params, nulls, /*repeatable=*/false);
  return r.ok() ? Status::Ok() : r.status();
}

// "UPDATE jobs SET status = $2, … WHERE id = $1": every column but the id.
static const std::string& UpdateSql() {
  static const std::string sql = [] {
    std::string set;
    const std::string cols = kColumns;
    size_t pos = 0;
    for (int index = 1; pos < cols.size(); ++index) {
      size_t comma = cols.find(',', pos);
      if (comma == std::string::npos) comma = cols.size();
      std::string name = cols.substr(pos, comma - pos);
      name.erase(0, name.find_first_not_of(' '));
      if (index > 1) set += (set.empty() ? "" : ", ") + name + " = $" + std::to_string(index);
      pos = comma + 1;
    }
    return "UPDATE jobs SET " + set + " WHERE id = $1";
  }();
  return sql;
}

Status PgJobStore::Update(const JobRecord& job) {
  std::lock_guard lock(mu_);
  std::vector<bool> nulls;
  auto r = RunLocked(UpdateSql(), RowParams(job, &nulls), nulls);
  if (!r.ok()) return r.status();
  if (std::string(PQcmdTuples(r->get())) != "1") return Status::NotFound("no job " + job.id);
  return Status::Ok();
}

Status PgJobStore::Delete(const std::string& id) {
  std::lock_guard lock(mu_);
  auto r = RunLocked("DELETE FROM jobs WHERE id = $1", {id});
  return r.ok() ? Status::Ok() : r.status();
}

Result<std::vector<JobRecord>> PgJobStore::Query(const std::string& where,
                                                 const std::vector<std::string>& params,
                                                 int limit) {
  std::lock_guard lock(mu_);
  std::string sql = std::string("SELECT ") + kColumns + " FROM jobs " + where +
                    " ORDER BY created_at DESC, seq DESC";
  if (limit > 0) sql += " LIMIT " + std::to_string(limit);
  auto r = RunLocked(sql, params);
  if (!r.ok()) return r.status();
  std::vector<JobRecord> out;
  for (int row = 0; row < PQntuples(r->get()); ++row) out.push_back(ReadRow(r->get(), row));
  return out;
}

Result<JobRecord> PgJobStore::Get(const std::string& id) {
  auto rows = Query("WHERE id = $1", {id}, 1);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return Status::NotFound("no job " + id);
  return std::move(rows->front());
}

Result<JobRecord> PgJobStore::FindByIdempotencyKey(const std::string& key) {
  auto rows = Query("WHERE idempotency_key = $1", {key}, 1);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return Status::NotFound("no job with idempotency key " + key);
  return std::move(rows->front());
}

Result<std::vector<JobRecord>> PgJobStore::List(int limit) { return Query("", {}, limit); }

Result<std::vector<JobRecord>> PgJobStore::ListWithStatus(JobStatus status) {
  return Query("WHERE status = $1", {ToString(status)}, 0);
}

Result<std::vector<JobRecord>> PgJobStore::ListExpiredBy(int64_t now) {
  return Query("WHERE status IN ('review', 'succeeded', 'failed') AND expires_at <= $1",
               {std::to_string(now)}, 0);
}

Status PgJobStore::DeleteExpiredBefore(int64_t before) {
  std::lock_guard lock(mu_);
  auto r = RunLocked("DELETE FROM jobs WHERE status = 'expired' AND expires_at < $1",
                     {std::to_string(before)});
  return r.ok() ? Status::Ok() : r.status();
}

Result<std::map<JobStatus, int>> PgJobStore::CountByStatus() {
  std::lock_guard lock(mu_);
  auto r = RunLocked("SELECT status, COUNT(*) FROM jobs GROUP BY status", {});
  if (!r.ok()) return r.status();
  std::map<JobStatus, int> out;
  for (int row = 0; row < PQntuples(r->get()); ++row) {
    if (auto s = ParseJobStatus(PQgetvalue(r->get(), row, 0))) {
      out[*s] = std::atoi(PQgetvalue(r->get(), row, 1));
    }
  }
  return out;
}

Result<JobRecord> PgJobStore::ClaimNext(const std::string& owner, int64_t lease_ms) {
  std::lock_guard lock(mu_);
  // One statement: the sub-select locks the oldest free row, and skips rows other claimers
  // hold locked this instant, so claimers never wait for each other or share a job.
  const std::string sql = std::string("UPDATE jobs SET lease_owner = $1, lease_expires_ms = ") +
                          kNowMs + " + $2 WHERE id = (SELECT id FROM jobs WHERE " + kRunnable +
                          " AND lease_expires_ms < " + kNowMs +
                          " ORDER BY created_at, seq LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING " +
                          kColumns;
  // Not repeated when the connection drops: the claim may have committed (its lease then
  // runs out and the job is claimed again).
  auto r = RunLocked(sql, {owner, std::to_string(lease_ms)}, {}, /*repeatable=*/false);
  if (!r.ok()) return r.status();
  if (PQntuples(r->get()) == 0) return Status::NotFound("no runnable job");
  return ReadRow(r->get(), 0);
}

Status PgJobStore::RenewLease(const std::string& id, const std::string& owner, int64_t lease_ms) {
  std::lock_guard lock(mu_);
  auto r = RunLocked(std::string("UPDATE jobs SET lease_expires_ms = ") + kNowMs +
                         " + $3 WHERE id = $1 AND lease_owner = $2",
                     {id, owner, std::to_string(lease_ms)});
  if (!r.ok()) return r.status();
  if (std::string(PQcmdTuples(r->get())) == "1") return Status::Ok();
  auto exists = RunLocked("SELECT 1 FROM jobs WHERE id = $1", {id});
  if (!exists.ok()) return exists.status();
  if (PQntuples(exists->get()) == 0) return Status::NotFound("no job " + id);
  return Status::Conflict("job " + id + ": its lease is held by another worker");
}

Status PgJobStore::ReleaseLease(const std::string& id, const std::string& owner) {
  std::lock_guard lock(mu_);
  auto r = RunLocked(
      "UPDATE jobs SET lease_owner = '', lease_expires_ms = 0 WHERE id = $1 AND lease_owner = $2",
      {id, owner});
  return r.ok() ? Status::Ok() : r.status();
}

Status PgJobStore::UpdateLeased(const JobRecord& job, const std::string& owner) {
  std::lock_guard lock(mu_);
  std::vector<bool> nulls;
  auto params = RowParams(job, &nulls);
  params.push_back(owner);
  nulls.push_back(false);
  auto r = RunLocked(UpdateSql() + " AND lease_owner = $" + std::to_string(params.size()), params,
                     nulls);
  if (!r.ok()) return r.status();
  if (std::string(PQcmdTuples(r->get())) != "1") {
    return Status::Conflict("job " + job.id + ": gone, or its lease is held by another worker");
  }
  return Status::Ok();
}

Result<int> PgJobStore::CountWaiting() {
  std::lock_guard lock(mu_);
  auto r = RunLocked(std::string("SELECT COUNT(*) FROM jobs WHERE ") + kRunnable +
                         " AND lease_expires_ms < " + kNowMs,
                     {});
  if (!r.ok()) return r.status();
  return std::atoi(PQgetvalue(r->get(), 0, 0));
}

Status PgJobStore::Notify(const std::string& payload) {
  std::lock_guard lock(mu_);
  auto r = RunLocked(std::string("SELECT pg_notify('") + kNotifyChannel + "', $1)", {payload});
  return r.ok() ? Status::Ok() : r.status();
}

Result<std::unique_ptr<JobStore::Listener>> PgJobStore::Listen(
    std::function<void(const std::string&)> on_payload, std::function<void()> on_reconnect) {
  return PgListener::Start(where_, kNotifyChannel, std::move(on_payload), std::move(on_reconnect));
}

Result<std::string> PgJobStore::SharedValue(const std::string& name, const std::string& proposed) {
  std::lock_guard lock(mu_);
  auto put = RunLocked(
      "INSERT INTO presgen_shared (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
      {name, proposed});
  if (!put.ok()) return put.status();
  auto r = RunLocked("SELECT value FROM presgen_shared WHERE name = $1", {name});
  if (!r.ok()) return r.status();
  if (PQntuples(r->get()) != 1) return Status::Internal("job store: no shared value " + name);
  return std::string(PQgetvalue(r->get(), 0, 0));
}

Result<bool> PgJobStore::TryLockShared(const std::string& name) {
  std::lock_guard lock(mu_);
  auto r = RunLocked("SELECT pg_try_advisory_lock(" + std::to_string(kSharedLockSpace) +
                         ", hashtext($1))",
                     {name}, {}, /*repeatable=*/false);
  if (!r.ok()) return r.status();
  return PQgetvalue(r->get(), 0, 0)[0] == 't';
}

void PgJobStore::UnlockShared(const std::string& name) {
  std::lock_guard lock(mu_);
  // A dropped connection has let go of the lock already: nothing to repeat.
  (void)RunLocked("SELECT pg_advisory_unlock(" + std::to_string(kSharedLockSpace) +
                      ", hashtext($1))",
                  {name}, {}, /*repeatable=*/false);
}

}  // namespace presgen
