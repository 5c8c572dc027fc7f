// The job store's contract, one suite run against both stores: SQLite (a file) and
// PostgreSQL (a real server on a temporary cluster, support/pg_cluster.h). Rows survive
// reopening with every field, ids and idempotency keys are unique (kConflict), and the
// queries the service relies on select the right rows. Then what is particular to each:
// SQLite's WAL and unopenable files; PostgreSQL's migrations shared by many nodes, a newer
// schema, an unreachable server and a server restart. PostgreSQL's leases, notifications
// and shared values: pg_leases_test.cpp.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "service/job_store.h"
#include "service/pg_job_store.h"
#include "service/sqlite_job_store.h"
#include "support/pg_cluster.h"
#include "support/temp_dir.h"

namespace presgen {
namespace {

using testing::SharedPgCluster;
using testing::TempDir;

JobRecord MakeJob(const std::string& id, JobStatus status, int64_t created) {
  JobRecord j;
  j.id = id;
  j.status = status;
  j.task = JobTask::kAnalyse;
  j.filename = "pitch.mp4";
  j.options_json = R"({"review":true})";
  j.duration_s = 15.5;
  j.created_at = j.updated_at = created;
  j.expires_at = created + 100;
  return j;
}

// A fresh, empty store location of the kind under test: a new SQLite file, or a new
// database on the shared PostgreSQL cluster.
class JobStoreContract : public ::testing::TestWithParam<StoreLocation::Kind> {
 protected:
  void SetUp() override {
    if (GetParam() == StoreLocation::Kind::kSqlite) {
      where_ = {StoreLocation::Kind::kSqlite, dir_.Path("jobs.sqlite")};
      return;
    }
    auto& cluster = SharedPgCluster();
    ASSERT_TRUE(cluster.ok()) << cluster.error();
    static std::atomic<int> next{0};
    const std::string db = "contract_" + std::to_string(::getpid()) + "_" + std::to_string(next++);
    ASSERT_EQ(cluster.CreateDatabase(db), "");
    where_ = {StoreLocation::Kind::kPostgres, cluster.Uri(db)};
  }
  std::unique_ptr<JobStore> Open() {
    auto store = OpenJobStore(where_);
    EXPECT_TRUE(store.ok()) << store.status().message();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  TempDir dir_;
  StoreLocation where_;
};

INSTANTIATE_TEST_SUITE_P(Stores, JobStoreContract,
                         ::testing::Values(StoreLocation::Kind::kSqlite,
                                           StoreLocation::Kind::kPostgres),
                         [](const auto& info) {
                           return info.param == StoreLocation::Kind::kSqlite ? "sqlite"
                                                                             : "postgresql";
                         });

TEST_P(JobStoreContract, RowsSurviveReopeningWithEveryField) {
  JobRecord job = MakeJob("j_1", JobStatus::kReview, 1000);
  job.stage = "slides";
  job.progress = 0.25;
  job.review = true;
  job.deck_version = 3;
  job.slide_count = 4;
  job.has_output = true;
  job.error = "none";
  job.result_json = R"({"success":true})";
  job.idempotency_key = "key-1";
  job.body_sha256 = "abc";
  job.attempts = 1;
  job.event_seq = 42;
  {
    auto store = Open();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->Insert(job).ok());
  }
  auto store = Open();
  ASSERT_TRUE(store);
  auto got = store->Get("j_1");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->status, JobStatus::kReview);
  EXPECT_EQ(got->task, JobTask::kAnalyse);
  EXPECT_EQ(got->stage, "slides");
  EXPECT_DOUBLE_EQ(got->progress, 0.25);
  EXPECT_TRUE(got->review);
  EXPECT_EQ(got->filename, "pitch.mp4");
  EXPECT_EQ(got->options_json, R"({"review":true})");
  EXPECT_DOUBLE_EQ(got->duration_s, 15.5);
  EXPECT_EQ(got->created_at, 1000);
  EXPECT_EQ(got->expires_at, 1100);
  EXPECT_EQ(got->deck_version, 3);
  EXPECT_EQ(got->slide_count, 4);
  EXPECT_TRUE(got->has_output);
  EXPECT_EQ(got->error, "none");
  EXPECT_EQ(got->result_json, R"({"success":true})");
  EXPECT_EQ(got->idempotency_key, "key-1");
  EXPECT_EQ(got->body_sha256, "abc");
  EXPECT_EQ(got->attempts, 1);
  EXPECT_EQ(got->event_seq, 42);
}

TEST(SqliteJobStore, UsesWriteAheadLogging) {
  TempDir dir;
  const std::string path = dir.Path("jobs.sqlite");
  ASSERT_TRUE(SqliteJobStore::Open(path).ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "wal");
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

TEST_P(JobStoreContract, UpdateDeleteAndMissingRows) {
  auto store = Open();
  ASSERT_TRUE(store);
  JobRecord job = MakeJob("j_1", JobStatus::kQueued, 1000);
  ASSERT_TRUE(store->Insert(job).ok());
  EXPECT_EQ(store->Insert(job).code(), StatusCode::kConflict) << "the id is a primary key";
  JobRecord missing = MakeJob("j_missing", JobStatus::kQueued, 1000);
  EXPECT_EQ(store->Update(missing).code(), StatusCode::kNotFound);
  job.status = JobStatus::kSucceeded;
  ASSERT_TRUE(store->Update(job).ok());
  EXPECT_EQ(store->Get("j_1")->status, JobStatus::kSucceeded);
  ASSERT_TRUE(store->Delete("j_1").ok());
  auto gone = store->Get("j_1");
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.status().code(), StatusCode::kNotFound);
}

TEST_P(JobStoreContract, IdempotencyKeysAreUniqueButOptional) {
  auto store = Open();
  ASSERT_TRUE(store);
  JobRecord a = MakeJob("j_a", JobStatus::kQueued, 1);
  JobRecord b = MakeJob("j_b", JobStatus::kQueued, 2);
  ASSERT_TRUE(store->Insert(a).ok());
  ASSERT_TRUE(store->Insert(b).ok()) << "two jobs without a key";
  JobRecord c = MakeJob("j_c", JobStatus::kQueued, 3);
  c.idempotency_key = "k";
  JobRecord d = MakeJob("j_d", JobStatus::kQueued, 4);
  d.idempotency_key = "k";
  ASSERT_TRUE(store->Insert(c).ok());
  EXPECT_EQ(store->Insert(d).code(), StatusCode::kConflict);
  auto found = store->FindByIdempotencyKey("k");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->id, "j_c");
  EXPECT_FALSE(store->FindByIdempotencyKey("other").ok());
}

TEST_P(JobStoreContract, ListsCountsAndExpiry) {
  auto store = Open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->Insert(MakeJob("j_old", JobStatus::kSucceeded, 100)).ok());
  ASSERT_TRUE(store->Insert(MakeJob("j_mid", JobStatus::kRunning, 200)).ok());
  ASSERT_TRUE(store->Insert(MakeJob("j_new", JobStatus::kRunning, 300)).ok());
  JobRecord expired = MakeJob("j_gone", JobStatus::kExpired, 50);
  ASSERT_TRUE(store->Insert(expired).ok());

  auto all = std::move(store->List(0)).value();
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all.front().id, "j_new") << "newest first";
  EXPECT_EQ(store->List(2)->size(), 2u);
  EXPECT_EQ(store->ListWithStatus(JobStatus::kRunning)->size(), 2u);
  auto counts = std::move(store->CountByStatus()).value();
  EXPECT_EQ(counts[JobStatus::kRunning], 2);
  EXPECT_EQ(counts[JobStatus::kSucceeded], 1);

  // expires_at = created + 100: at 250 only j_old (200) is due; j_gone already expired.
  auto due = std::move(store->ListExpiredBy(250)).value();
  ASSERT_EQ(due.size(), 1u) << "already-expired rows are not listed again";
  EXPECT_EQ(due[0].id, "j_old");
  EXPECT_EQ(store->ListExpiredBy(1000)->size(), 1u) << "running jobs never expire";
  ASSERT_TRUE(store->DeleteExpiredBefore(200).ok());
  EXPECT_FALSE(store->Get("j_gone").ok());
  EXPECT_TRUE(store->Get("j_old").ok()) << "only expired rows are deleted";
}

TEST(SqliteJobStore, UnopenableFileIsAClearError) {
  auto store = SqliteJobStore::Open("/nonexistent-folder/jobs.sqlite");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(store.status().message().find("/nonexistent-folder/jobs.sqlite"), std::string::npos);
}

TEST_P(JobStoreContract, JobsCreatedInTheSameSecondListInTheOrderTheyCame) {
  auto store = Open();
  ASSERT_TRUE(store);
  for (const char* id : {"j_b", "j_a", "j_c"}) {
    ASSERT_TRUE(store->Insert(MakeJob(id, JobStatus::kQueued, 7)).ok());
  }
  auto all = std::move(store->List(0)).value();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].id, "j_c");
  EXPECT_EQ(all[1].id, "j_a");
  EXPECT_EQ(all[2].id, "j_b");
}

// PostgreSQL: a database of its own for each test.
StoreLocation FreshPgDatabase(const std::string& name) {
  auto& cluster = SharedPgCluster();
  EXPECT_TRUE(cluster.ok()) << cluster.error();
  const std::string db = name + "_" + std::to_string(::getpid());
  EXPECT_EQ(cluster.CreateDatabase(db), "");
  return {StoreLocation::Kind::kPostgres, cluster.Uri(db)};
}

TEST(PgJobStore, MigrationsAreRecordedAndManyNodesShareTheRows) {
  const StoreLocation where = FreshPgDatabase("nodes");
  const std::string db = where.target.substr(where.target.rfind('/') + 1);
  auto first = OpenJobStore(where);
  ASSERT_TRUE(first.ok()) << first.status().message();
  auto second = OpenJobStore(where);
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_TRUE((*first)->shared());
  ASSERT_TRUE((*first)->Insert(MakeJob("j_a", JobStatus::kQueued, 1)).ok());
  auto seen = (*second)->Get("j_a");
  ASSERT_TRUE(seen.ok()) << seen.status().message();
  EXPECT_EQ(seen->filename, "pitch.mp4");
  EXPECT_EQ(SharedPgCluster().Execute(db, "SELECT 1 FROM presgen_schema WHERE version = 1"), "");
}

TEST(PgJobStore, NodesStartingTogetherMigrateOnce) {
  const StoreLocation where = FreshPgDatabase("race");
  std::vector<std::thread> nodes;
  std::vector<std::string> errors(4);
  for (int i = 0; i < 4; ++i) {
    nodes.emplace_back([&, i] {
      auto store = OpenJobStore(where);
      if (!store.ok()) errors[i] = store.status().message();
    });
  }
  for (auto& t : nodes) t.join();
  for (const auto& e : errors) EXPECT_EQ(e, "");
  const std::string db = where.target.substr(where.target.rfind('/') + 1);
  // One row per migration: a second application would have failed on CREATE TABLE jobs.
  EXPECT_EQ(SharedPgCluster().Execute(
                db, "DO $$ BEGIN IF (SELECT COUNT(*) FROM presgen_schema) <> 1 THEN "
                    "RAISE EXCEPTION 'migrated twice'; END IF; END $$"),
            "");
}

TEST(PgJobStore, ANewerSchemaThanThisBinaryKnowsIsAClearError) {
  const StoreLocation where = FreshPgDatabase("newer");
  ASSERT_TRUE(OpenJobStore(where).ok());
  const std::string db = where.target.substr(where.target.rfind('/') + 1);
  ASSERT_EQ(SharedPgCluster().Execute(db, "INSERT INTO presgen_schema VALUES (99)"), "");
  auto store = OpenJobStore(where);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(store.status().message().find("schema is version 99"), std::string::npos)
      << store.status().message();
}

TEST(PgJobStore, AnUnreachableServerNamesTheHostAndNeverThePassword) {
  auto where = ParseStoreLocation("postgresql://presgen:s3cret@127.0.0.1:1/jobs");
  ASSERT_TRUE(where.ok());
  auto store = OpenJobStore(*where);
  ASSERT_FALSE(store.ok());
  const std::string message = store.status().message();
  EXPECT_EQ(store.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(message.find("postgresql://presgen@127.0.0.1:1/jobs"), std::string::npos) << message;
  EXPECT_NE(message.find("cannot connect"), std::string::npos) << message;
  EXPECT_EQ(message.find("s3cret"), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
}

TEST(PgJobStore, RefusedCredentialsAreOneLineNamingTheUserNeverThePassword) {
  auto& cluster = SharedPgCluster();
  ASSERT_TRUE(cluster.ok()) << cluster.error();
  const StoreLocation open_db = FreshPgDatabase("creds");
  const std::string db = open_db.target.substr(open_db.target.rfind('/') + 1);
  // The test cluster trusts every local connection; this role has to give its password.
  ASSERT_EQ(cluster.Execute(db, "CREATE ROLE checked LOGIN PASSWORD 'right-one'"), "");
  {
    std::ifstream in(cluster.data_dir() + "/pg_hba.conf");
    std::stringstream rules;
    rules << "host all checked 127.0.0.1/32 scram-sha-256\n" << in.rdbuf();
    std::ofstream(cluster.data_dir() + "/pg_hba.conf") << rules.str();
  }
  ASSERT_EQ(cluster.Execute(db, "SELECT pg_reload_conf()"), "");
  auto where = ParseStoreLocation("postgresql://checked:wrong-one@127.0.0.1:" +
                                  std::to_string(cluster.port()) + "/" + db);
  ASSERT_TRUE(where.ok());
  auto store = OpenJobStore(*where);
  ASSERT_FALSE(store.ok());
  const std::string message = store.status().message();
  EXPECT_EQ(store.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(message.find("password authentication failed for user \"checked\""), std::string::npos)
      << message;
  EXPECT_EQ(message.find("wrong-one"), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
}

TEST(PgJobStore, TheStoreReconnectsAfterTheServerRestarts) {
  const StoreLocation where = FreshPgDatabase("restart");
  auto store = std::move(OpenJobStore(where)).value();
  ASSERT_TRUE(store->Insert(MakeJob("j_before", JobStatus::kQueued, 1)).ok());
  ASSERT_TRUE(SharedPgCluster().Restart()) << SharedPgCluster().error();
  // A read repeats itself on a new connection; so does a whole-row update.
  auto got = store->Get("j_before");
  ASSERT_TRUE(got.ok()) << got.status().message();
  JobRecord job = *got;
  job.status = JobStatus::kRunning;
  EXPECT_TRUE(store->Update(job).ok());
  EXPECT_TRUE(store->Insert(MakeJob("j_after", JobStatus::kQueued, 2)).ok());
  EXPECT_EQ(store->List(0)->size(), 2u);
}

TEST(StoreLocation, ParsedOnceWithOneClearLineForABadValue) {
  auto sqlite = ParseStoreLocation("sqlite:/var/lib/presgen/jobs.sqlite");
  ASSERT_TRUE(sqlite.ok());
  EXPECT_EQ(sqlite->kind, StoreLocation::Kind::kSqlite);
  EXPECT_EQ(sqlite->target, "/var/lib/presgen/jobs.sqlite");
  auto pg = ParseStoreLocation("postgres://u:pw@db.internal/presgen?sslmode=require&password=x");
  ASSERT_TRUE(pg.ok());
  EXPECT_EQ(pg->kind, StoreLocation::Kind::kPostgres);
  EXPECT_EQ(pg->Display().find("pw@"), std::string::npos) << pg->Display();
  EXPECT_EQ(pg->Display().find("password=x"), std::string::npos) << pg->Display();
  for (const char* bad : {"", "sqlite:", "mysql://x", "/tmp/jobs.sqlite"}) {
    auto r = ParseStoreLocation(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
    EXPECT_NE(r.status().message().find("sqlite:PATH or postgresql://"), std::string::npos);
  }
}

}  // namespace
}  // namespace presgen
