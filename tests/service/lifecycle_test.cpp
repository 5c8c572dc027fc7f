// Jobs over time: expiry after the TTL, and restarts — a graceful stop, a
// hard kill of a real `presgen serve` process mid-render, and jobs that were
// interrupted too often. Every accepted job reaches exactly one final state.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "service/sqlite_job_store.h"
#include "service/serve_process.h"
#include "service/service_harness.h"

namespace presgen::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

std::unique_ptr<httplib::Client> ClientFor(int port) {
  auto c = std::make_unique<httplib::Client>("127.0.0.1", port);
  c->set_read_timeout(60, 0);
  return c;
}

TEST(Lifecycle, JobsExpireAfterTheTtlAndStayQueryable) {
  TempDir dir("presgen-ttl");
  ServiceParams params = TestServiceParams(dir.path());
  params.ttl_s = 4;
  ServiceHarness server(params);
  auto client = server.Client();
  auto posted = PostVideo(*client, ReadFileBytes(FixturePath("short_pitch.mp4")),
                          R"({"review":true,"size":"640x360"})");
  ASSERT_EQ(posted->status, 202);
  const std::string id = JsonOf(posted)["id"];
  ASSERT_EQ(WaitForStatus(*client, id, {"review", "failed"})["status"], "review");
  ASSERT_TRUE(fs::exists(dir.path() + "/jobs/" + id));

  json job = WaitForStatus(*client, id, {"expired"}, std::chrono::seconds(20));
  ASSERT_EQ(job["status"], "expired") << job.dump();
  EXPECT_FALSE(fs::exists(dir.path() + "/jobs/" + id)) << "the files are removed";
  EXPECT_EQ(client->Get("/v1/jobs/" + id + "/slides/1.png")->status, 410);
  EXPECT_EQ(client->Get("/v1/jobs/" + id + "/download")->status, 410);
  EXPECT_EQ(client->Get("/v1/jobs/" + id + "/deck")->status, 410);
  EXPECT_EQ(client->Post("/v1/jobs/" + id + "/render")->status, 410);
  EXPECT_NE(client->Get("/metrics")->body.find("presgen_jobs{status=\"expired\"} 1"),
            std::string::npos);
}

TEST(Lifecycle, HardKillMidRenderThenRestartFinishesEveryJob) {
  TempDir dir("presgen-restart");
  const std::string video = ReadFileBytes(FixturePath("short_pitch.mp4"));
  std::vector<std::string> ids;
  {
    ServeProcess first(dir.path());
    auto client = ClientFor(first.port());
    for (const char* options : {R"({"size":"640x360"})", R"({"size":"640x360"})",
                                R"({"review":true,"size":"640x360"})"}) {
      auto r = PostVideo(*client, video, options);
      ASSERT_EQ(r->status, 202) << r->body;
      ids.push_back(JsonOf(r)["id"]);
    }
    // Kill it while the first job is composing: no chance to tidy up.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    json job;
    while (std::chrono::steady_clock::now() < deadline) {
      job = JsonOf(client->Get("/v1/jobs/" + ids[0]));
      if (job["stage"] == "compose") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_EQ(job["stage"], "compose") << job.dump();
    const int status = first.Kill(SIGKILL);
    ASSERT_TRUE(WIFSIGNALED(status));
  }
  {
    auto store = std::move(SqliteJobStore::Open(dir.path() + "/jobs.sqlite")).value();
    EXPECT_EQ(store->Get(ids[0])->status, JobStatus::kRunning) << "killed mid-run";
    EXPECT_EQ(store->Get(ids[1])->status, JobStatus::kQueued);
  }
  ServeProcess second(dir.path());
  auto client = ClientFor(second.port());
  EXPECT_EQ(WaitForStatus(*client, ids[0], {"succeeded", "failed"})["status"], "succeeded");
  EXPECT_EQ(WaitForStatus(*client, ids[1], {"succeeded", "failed"})["status"], "succeeded");
  EXPECT_EQ(WaitForStatus(*client, ids[2], {"review", "failed"})["status"], "review");
  auto video_out = client->Get("/v1/jobs/" + ids[0] + "/download");
  ASSERT_EQ(video_out->status, 200);
  EXPECT_EQ(video_out->body.substr(4, 4), "ftyp");
  EXPECT_FALSE(fs::exists(dir.path() + "/jobs/" + ids[0] + "/output.next.mp4"));
  EXPECT_EQ(JsonOf(client->Get("/v1/jobs"))["jobs"].size(), 3u);
  // A graceful stop (SIGTERM) exits cleanly.
  EXPECT_TRUE(WIFEXITED(second.Kill(SIGTERM)));
}

TEST(Lifecycle, AJobInterruptedTooOftenFailsWithTheReason) {
  TempDir dir("presgen-attempts");
  const int64_t now = NowSeconds();
  {
    auto store = std::move(SqliteJobStore::Open(dir.path() + "/jobs.sqlite")).value();
    JobRecord crashing;
    crashing.id = "j_00000000000000aa";
    crashing.status = JobStatus::kRunning;
    crashing.task = JobTask::kAnalyse;
    crashing.attempts = 2;  // the service died twice while running it
    crashing.created_at = crashing.updated_at = now;
    crashing.expires_at = now + 3600;
    ASSERT_TRUE(store->Insert(crashing).ok());
  }
  fs::create_directories(dir.path() + "/jobs/j_00000000000000aa");
  fs::create_directories(dir.path() + "/jobs/j_00000000000000bb");  // no row: an orphan
  ServiceHarness server(TestServiceParams(dir.path()));
  auto client = server.Client();
  json job = JsonOf(client->Get("/v1/jobs/j_00000000000000aa"));
  EXPECT_EQ(job["status"], "failed");
  EXPECT_NE(job["error"].get<std::string>().find("interrupted 2 times, the last time because the service stopped"), std::string::npos)
      << job.dump();
  EXPECT_FALSE(fs::exists(dir.path() + "/jobs/j_00000000000000bb"));
  EXPECT_NE(client->Get("/metrics")->body.find("presgen_stage_failures_total{stage=\"restart\",code=\"interrupted\"} 1"),
            std::string::npos);
}

TEST(Lifecycle, GracefulStopPutsTheRunningJobBackInTheQueue) {
  TempDir dir("presgen-stop");
  std::string id;
  {
    ServiceHarness server(TestServiceParams(dir.path()));
    auto client = server.Client();
    auto r = PostVideo(*client, ReadFileBytes(FixturePath("short_pitch.mp4")),
                       R"({"size":"640x360"})");
    ASSERT_EQ(r->status, 202);
    id = JsonOf(r)["id"];
    ASSERT_EQ(WaitForStatus(*client, id, {"running"}, std::chrono::seconds(30))["status"],
              "running");
  }  // Stop() while it runs
  {
    auto store = std::move(SqliteJobStore::Open(dir.path() + "/jobs.sqlite")).value();
    auto row = store->Get(id);
    ASSERT_TRUE(row.ok());
    EXPECT_EQ(row->status, JobStatus::kQueued);
    EXPECT_EQ(row->attempts, 0) << "a graceful stop is not an attempt";
  }
  ServiceHarness again(TestServiceParams(dir.path()));
  auto client = again.Client();
  EXPECT_EQ(WaitForStatus(*client, id, {"succeeded", "failed"})["status"], "succeeded");
}

}  // namespace
}  // namespace presgen::testing
