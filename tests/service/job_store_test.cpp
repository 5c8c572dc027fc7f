// The SQLite job store: rows survive reopening, WAL is on, idempotency keys
// are unique, and the queries the service relies on select the right rows.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "service/job_store.h"
#include "support/temp_dir.h"

namespace presgen {
namespace {

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

TEST(JobStore, RowsSurviveReopeningWithEveryField) {
  TempDir dir;
  const std::string path = dir.Path("jobs.sqlite");
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
    auto store = JobStore::Open(path);
    ASSERT_TRUE(store.ok()) << store.status().message();
    ASSERT_TRUE((*store)->Insert(job).ok());
  }
  auto store = JobStore::Open(path);
  ASSERT_TRUE(store.ok());
  auto got = (*store)->Get("j_1");
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

TEST(JobStore, UsesWriteAheadLogging) {
  TempDir dir;
  const std::string path = dir.Path("jobs.sqlite");
  ASSERT_TRUE(JobStore::Open(path).ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "wal");
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

TEST(JobStore, UpdateDeleteAndMissingRows) {
  TempDir dir;
  auto store = std::move(JobStore::Open(dir.Path("jobs.sqlite"))).value();
  JobRecord job = MakeJob("j_1", JobStatus::kQueued, 1000);
  ASSERT_TRUE(store->Insert(job).ok());
  EXPECT_FALSE(store->Insert(job).ok()) << "the id is a primary key";
  job.status = JobStatus::kSucceeded;
  ASSERT_TRUE(store->Update(job).ok());
  EXPECT_EQ(store->Get("j_1")->status, JobStatus::kSucceeded);
  ASSERT_TRUE(store->Delete("j_1").ok());
  auto gone = store->Get("j_1");
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.status().code(), StatusCode::kNotFound);
}

TEST(JobStore, IdempotencyKeysAreUniqueButOptional) {
  TempDir dir;
  auto store = std::move(JobStore::Open(dir.Path("jobs.sqlite"))).value();
  JobRecord a = MakeJob("j_a", JobStatus::kQueued, 1);
  JobRecord b = MakeJob("j_b", JobStatus::kQueued, 2);
  ASSERT_TRUE(store->Insert(a).ok());
  ASSERT_TRUE(store->Insert(b).ok()) << "two jobs without a key";
  JobRecord c = MakeJob("j_c", JobStatus::kQueued, 3);
  c.idempotency_key = "k";
  JobRecord d = MakeJob("j_d", JobStatus::kQueued, 4);
  d.idempotency_key = "k";
  ASSERT_TRUE(store->Insert(c).ok());
  EXPECT_FALSE(store->Insert(d).ok());
  auto found = store->FindByIdempotencyKey("k");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->id, "j_c");
  EXPECT_FALSE(store->FindByIdempotencyKey("other").ok());
}

TEST(JobStore, ListsCountsAndExpiry) {
  TempDir dir;
  auto store = std::move(JobStore::Open(dir.Path("jobs.sqlite"))).value();
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

TEST(JobStore, UnopenableFileIsAClearError) {
  auto store = JobStore::Open("/nonexistent-folder/jobs.sqlite");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(store.status().message().find("/nonexistent-folder/jobs.sqlite"), std::string::npos);
}

}  // namespace
}  // namespace presgen
