// What many nodes rely on in the PostgreSQL job store, on a real server: claims with
// leases (never the same job to two claimers, a lapsed lease taken over, a lost lease
// refused), the shared queue's length, LISTEN/NOTIFY between nodes, values every node
// shares, and a lock across nodes.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "service/job_store.h"
#include "support/pg_cluster.h"

namespace presgen {
namespace {

using namespace std::chrono_literals;
using testing::SharedPgCluster;

StoreLocation FreshDatabase(const std::string& name) {
  auto& cluster = SharedPgCluster();
  EXPECT_TRUE(cluster.ok()) << cluster.error();
  static std::atomic<int> next{0};
  const std::string db = name + "_" + std::to_string(::getpid()) + "_" + std::to_string(next++);
  EXPECT_EQ(cluster.CreateDatabase(db), "");
  return {StoreLocation::Kind::kPostgres, cluster.Uri(db)};
}

std::unique_ptr<JobStore> OpenOrFail(const StoreLocation& where) {
  auto store = OpenJobStore(where);
  EXPECT_TRUE(store.ok()) << store.status().message();
  return store.ok() ? std::move(store).value() : nullptr;
}

JobRecord Queued(const std::string& id, int64_t created, JobTask task = JobTask::kAnalyse) {
  JobRecord j;
  j.id = id;
  j.status = task == JobTask::kRender ? JobStatus::kRendering : JobStatus::kQueued;
  j.task = task;
  j.created_at = j.updated_at = created;
  j.expires_at = created + 100;
  return j;
}

TEST(PgLeases, ClaimsTakeTheOldestRunnableJobAndNeverTheSameTwice) {
  const StoreLocation where = FreshDatabase("claims");
  auto store = OpenOrFail(where);
  ASSERT_TRUE(store);
  constexpr int kJobs = 40;
  for (int i = 0; i < kJobs; ++i) {
    ASSERT_TRUE(store->Insert(Queued("j_" + std::to_string(100 + i), 1000 + i)).ok());
  }
  JobRecord idle = Queued("j_idle", 1);
  idle.status = JobStatus::kReview;
  idle.task = JobTask::kNone;
  ASSERT_TRUE(store->Insert(idle).ok());
  EXPECT_EQ(*store->CountWaiting(), kJobs);

  // The oldest first, to one claimer.
  auto first = store->ClaimNext("node-a/0", 30000);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->id, "j_100");
  EXPECT_EQ(*store->CountWaiting(), kJobs - 1);

  // Four nodes (a connection each) claiming at once share out the rest, each job once.
  std::mutex mu;
  std::multiset<std::string> claimed;
  std::vector<std::thread> nodes;
  for (int n = 0; n < 4; ++n) {
    nodes.emplace_back([&, n] {
      auto mine = OpenOrFail(where);
      if (!mine) return;
      for (;;) {
        auto job = mine->ClaimNext("node-" + std::to_string(n) + "/0", 30000);
        if (!job.ok()) {
          EXPECT_EQ(job.status().code(), StatusCode::kNotFound) << job.status().message();
          return;
        }
        std::lock_guard lock(mu);
        claimed.insert(job->id);
      }
    });
  }
  for (auto& t : nodes) t.join();
  EXPECT_EQ(claimed.size(), static_cast<size_t>(kJobs - 1));
  EXPECT_EQ(std::set<std::string>(claimed.begin(), claimed.end()).size(), claimed.size())
      << "a job was claimed twice";
  EXPECT_EQ(claimed.count("j_idle"), 0u) << "a job with no task is not runnable";
  EXPECT_EQ(claimed.count("j_100"), 0u) << "a held lease is not claimable";
  EXPECT_EQ(*store->CountWaiting(), 0);
}

TEST(PgLeases, ALapsedLeaseIsTakenOverAndTheOldOwnerCanNoLongerWrite) {
  const StoreLocation where = FreshDatabase("lapse");
  auto store = OpenOrFail(where);
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->Insert(Queued("j_1", 1, JobTask::kRender)).ok());
  auto claimed = store->ClaimNext("dead/0", 300);  // a short lease, then no heartbeat
  ASSERT_TRUE(claimed.ok()) << claimed.status().message();
  EXPECT_EQ(store->ClaimNext("live/0", 30000).status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(store->RenewLease("j_1", "dead/0", 300).ok()) << "the owner renews while it holds";
  std::this_thread::sleep_for(400ms);  // the store's clock decides, not ours: let it pass
  EXPECT_EQ(*store->CountWaiting(), 1) << "a lapsed lease puts the job back in the queue";
  auto taken = store->ClaimNext("live/0", 30000);
  ASSERT_TRUE(taken.ok()) << taken.status().message();
  EXPECT_EQ(taken->id, "j_1");

  // The old owner, back from a pause, is told it lost the job and cannot write it.
  EXPECT_EQ(store->RenewLease("j_1", "dead/0", 300).code(), StatusCode::kConflict);
  JobRecord late = *taken;
  late.stage = "compose";
  EXPECT_EQ(store->UpdateLeased(late, "dead/0").code(), StatusCode::kConflict);
  EXPECT_TRUE(store->UpdateLeased(late, "live/0").ok());
  EXPECT_EQ(store->Get("j_1")->stage, "compose");
  // Released, it is claimable at once; deleted, its owner hears kNotFound.
  ASSERT_TRUE(store->ReleaseLease("j_1", "live/0").ok());
  EXPECT_TRUE(store->ClaimNext("other/0", 30000).ok());
  ASSERT_TRUE(store->Delete("j_1").ok());
  EXPECT_EQ(store->RenewLease("j_1", "other/0", 30000).code(), StatusCode::kNotFound);
}

TEST(PgLeases, NotificationsReachEveryListeningNode) {
  const StoreLocation where = FreshDatabase("notify");
  auto a = OpenOrFail(where);
  auto b = OpenOrFail(where);
  ASSERT_TRUE(a && b);
  std::mutex mu;
  std::condition_variable heard_cv;
  std::vector<std::string> heard_a, heard_b;
  auto listen = [&](JobStore& store, std::vector<std::string>& into) {
    auto l = store.Listen(
        [&](const std::string& payload) {
          std::lock_guard lock(mu);
          into.push_back(payload);
          heard_cv.notify_all();
        },
        nullptr);
    EXPECT_TRUE(l.ok()) << l.status().message();
    return l.ok() ? std::move(l).value() : nullptr;
  };
  auto la = listen(*a, heard_a);
  auto lb = listen(*b, heard_b);
  ASSERT_TRUE(a->Notify("job j_1 7 progress").ok());
  ASSERT_TRUE(b->Notify("gone j_2").ok());
  std::unique_lock lock(mu);
  ASSERT_TRUE(heard_cv.wait_for(lock, 10s, [&] { return heard_a.size() == 2 && heard_b.size() == 2; }))
      << heard_a.size() << " and " << heard_b.size() << " heard";
  EXPECT_EQ(heard_a, (std::vector<std::string>{"job j_1 7 progress", "gone j_2"}));
  EXPECT_EQ(heard_b, heard_a);
}

TEST(PgLeases, AListenerHearsAgainAfterTheServerRestarts) {
  const StoreLocation where = FreshDatabase("relisten");
  auto store = OpenOrFail(where);
  ASSERT_TRUE(store);
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::string> heard;
  std::atomic<int> reconnects{0};
  auto listener = store->Listen(
      [&](const std::string& payload) {
        std::lock_guard lock(mu);
        heard.push_back(payload);
        cv.notify_all();
      },
      [&] {
        ++reconnects;
        cv.notify_all();
      });
  ASSERT_TRUE(listener.ok()) << listener.status().message();
  ASSERT_TRUE(SharedPgCluster().Restart()) << SharedPgCluster().error();
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, 20s, [&] { return reconnects.load() > 0; }))
        << "the listener did not connect again";
  }
  ASSERT_TRUE(store->Notify("job j_9 2 status").ok());
  std::unique_lock lock(mu);
  EXPECT_TRUE(cv.wait_for(lock, 10s, [&] { return !heard.empty(); }));
  EXPECT_EQ(heard, std::vector<std::string>{"job j_9 2 status"});
}

TEST(PgLeases, SharedValuesAreTheFirstNodesAndLocksAreExclusive) {
  const StoreLocation where = FreshDatabase("shared");
  auto a = OpenOrFail(where);
  auto b = OpenOrFail(where);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a->SharedValue("link_secret", "from-a"), "from-a");
  EXPECT_EQ(*b->SharedValue("link_secret", "from-b"), "from-a");
  EXPECT_TRUE(*a->TryLockShared("expiry_sweep"));
  EXPECT_FALSE(*b->TryLockShared("expiry_sweep")) << "two nodes would sweep at once";
  EXPECT_TRUE(*b->TryLockShared("another_lock"));
  a->UnlockShared("expiry_sweep");
  EXPECT_TRUE(*b->TryLockShared("expiry_sweep"));
}

TEST(PgLeases, SqliteIsNotSharedAndSaysSo) {
  char dir[] = "/tmp/presgen-notshared-XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  auto store = OpenJobStore({StoreLocation::Kind::kSqlite, std::string(dir) + "/jobs.sqlite"});
  ASSERT_TRUE(store.ok());
  EXPECT_FALSE((*store)->shared());
  const auto claimed = (*store)->ClaimNext("x/0", 1000);
  EXPECT_EQ(claimed.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(claimed.status().message().find("PostgreSQL"), std::string::npos);
  std::system(("rm -rf " + std::string(dir)).c_str());
}

}  // namespace
}  // namespace presgen
