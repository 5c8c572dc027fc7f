// A crash is one failed job, never a dead service: each job of a real `presgen serve`
// runs in a process of its own. Jobs are made to die on purpose — by the test build's
// fault injection (SIGSEGV, abort, SIGKILL as the OOM killer sends it) and by kill -9 from
// outside — and the server must record the job as failed (or retry it once), keep its
// event streams and answer, and accept and finish the next upload.
#include <signal.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "service/serve_process.h"
#include "service/service_harness.h"

namespace presgen::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

class JobCrash : public ::testing::Test {
 protected:
  std::unique_ptr<httplib::Client> ClientOf(const ServeProcess& server) {
    auto c = std::make_unique<httplib::Client>("127.0.0.1", server.port());
    c->set_read_timeout(180, 0);
    return c;
  }
  std::string Upload(httplib::Client& client) {
    auto posted = PostVideo(client, video_, R"({"size":"640x360"})");
    EXPECT_TRUE(posted);
    if (!posted) return "";
    EXPECT_EQ(posted->status, 202) << posted->body;
    return JsonOf(posted)["id"].get<std::string>();
  }
  // The server still does everything a user needs after a job's process died.
  void ExpectServing(const ServeProcess& server, httplib::Client& client) {
    EXPECT_TRUE(server.Alive()) << "the server process is gone";
    auto health = client.Get("/healthz");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 200);
    const std::string next = Upload(client);
    const json done = WaitForStatus(client, next, {"succeeded", "failed"});
    EXPECT_EQ(done["status"], "succeeded") << done.dump();
    auto video = client.Get("/v1/jobs/" + next + "/download");
    ASSERT_TRUE(video);
    EXPECT_EQ(video->status, 200);
    EXPECT_GT(video->body.size(), 10000u);
  }

  TempDir dir_{"presgen-crash"};
  std::string armed_ = dir_.Path("fault-armed");
  const std::string video_ = ReadFileBytes(FixturePath("short_pitch.mp4"));
};

TEST_F(JobCrash, ASegfaultingJobFailsWithTheReasonAndTheServerKeepsServing) {
  std::ofstream(armed_).put('1');
  ScopedEnv env({{"PRESGEN_FAULT", "segv@transcribe"}, {"PRESGEN_FAULT_WHILE", armed_}});
  ServeProcess server(dir_.Path("data"), PRESGEN_FAULTY_BINARY);
  auto client = ClientOf(server);
  const std::string id = Upload(*client);
  // Someone watches the job while its processes die.
  std::vector<SseEvent> events;
  std::thread watcher([&] {
    httplib::Client c("127.0.0.1", server.port());
    c.set_read_timeout(180, 0);
    events = ReadEvents(c, id);
  });
  const json job = WaitForStatus(*client, id, {"succeeded", "failed"});
  watcher.join();
  ASSERT_EQ(job["status"], "failed") << job.dump();
  EXPECT_EQ(job["error"],
            "the render process crashed (SIGSEGV) while transcribing (tried 2 times)");
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().data["status"], "failed") << "the event stream ended with the failure";
  bool saw_retry = false;
  for (const auto& e : events) {
    const json& error = e.data["error"];
    if (e.data["status"] == "queued" && error.is_string() &&
        error.get<std::string>().find("trying again") != std::string::npos) {
      saw_retry = true;
    }
  }
  EXPECT_TRUE(saw_retry) << "the first crash re-queued the job";
  auto metrics = client->Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("presgen_job_process_crashes_total{signal=\"SIGSEGV\"} 2"),
            std::string::npos)
      << metrics->body;
  const std::string log = ReadFileBytes(dir_.Path("data/jobs/" + id + "/render.log"));
  EXPECT_NE(log.find("fault injection: segv at transcribe"), std::string::npos) << log;

  fs::remove(armed_);
  ExpectServing(server, *client);
}

TEST_F(JobCrash, AnUploadThatCrashesTheProbeIsRefusedAndTheServerKeepsServing) {
  std::ofstream(armed_).put('1');
  ScopedEnv env({{"PRESGEN_FAULT", "segv@upload-probe"}, {"PRESGEN_FAULT_WHILE", armed_}});
  ServeProcess server(dir_.Path("data"), PRESGEN_FAULTY_BINARY);
  auto client = ClientOf(server);
  auto posted = PostVideo(*client, video_, R"({"size":"640x360"})");
  ASSERT_TRUE(posted);
  EXPECT_EQ(posted->status, 422) << posted->body;
  EXPECT_EQ(JsonOf(posted)["error"], "my pitch.mp4: cannot be read (the probe crashed: SIGSEGV)");
  EXPECT_TRUE(fs::is_empty(dir_.Path("data/jobs"))) << "a refused upload left files";
  fs::remove(armed_);
  ExpectServing(server, *client);
}

TEST_F(JobCrash, OneCrashIsRetriedAndTheRetrySucceeds) {
  std::ofstream(armed_).put('1');
  ScopedEnv env({{"PRESGEN_FAULT", "abort@compose#1"}, {"PRESGEN_FAULT_WHILE", armed_}});
  ServeProcess server(dir_.Path("data"), PRESGEN_FAULTY_BINARY);
  auto client = ClientOf(server);
  const std::string id = Upload(*client);
  const json job = WaitForStatus(*client, id, {"succeeded", "failed"});
  ASSERT_EQ(job["status"], "succeeded") << job.dump();
  auto video = client->Get("/v1/jobs/" + id + "/download");
  ASSERT_TRUE(video);
  EXPECT_EQ(video->status, 200);
  EXPECT_EQ(video->body.substr(4, 4), "ftyp");
  // The aborted attempt left no half-written video behind.
  for (const auto& entry : fs::directory_iterator(dir_.Path("data/jobs/" + id))) {
    EXPECT_EQ(entry.path().filename().string().find(".part"), std::string::npos)
        << entry.path();
  }
  auto metrics = client->Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("presgen_job_process_crashes_total{signal=\"SIGABRT\"} 1"),
            std::string::npos);
}

TEST_F(JobCrash, AJobKilledLikeByTheOomKillerSaysSo) {
  ScopedEnv env({{"PRESGEN_FAULT", "kill@audio"}});
  ServeProcess server(dir_.Path("data"), PRESGEN_FAULTY_BINARY);
  auto client = ClientOf(server);
  const std::string id = Upload(*client);
  const json job = WaitForStatus(*client, id, {"succeeded", "failed"});
  ASSERT_EQ(job["status"], "failed") << job.dump();
  EXPECT_EQ(job["error"],
            "the render process was killed (SIGKILL while extracting the audio; the system may "
            "have run out of memory) (tried 2 times)");
  EXPECT_TRUE(server.Alive());
}

TEST_F(JobCrash, KillNineOfTheJobProcessFailsOnlyThatJob) {
  // The shipped binary: no fault injection, the job's process is killed from outside.
  ServeProcess server(dir_.Path("data"));
  auto client = ClientOf(server);
  const std::string id = Upload(*client);
  std::vector<pid_t> killed;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (killed.size() < 2 && std::chrono::steady_clock::now() < deadline) {
    for (pid_t pid : ChildProcesses(server.pid(), "run-job")) {
      if (std::find(killed.begin(), killed.end(), pid) != killed.end()) continue;
      ::kill(pid, SIGKILL);  // the first run, then its retry
      killed.push_back(pid);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(killed.size(), 2u) << "the job's processes were not found";
  const json job = WaitForStatus(*client, id, {"succeeded", "failed"});
  ASSERT_EQ(job["status"], "failed") << job.dump();
  const std::string error = job["error"];
  EXPECT_EQ(error.rfind("the render process was killed (SIGKILL while ", 0), 0u) << error;
  EXPECT_NE(error.find("(tried 2 times)"), std::string::npos) << error;
  ExpectServing(server, *client);
}

TEST_F(JobCrash, KillingTheServerTakesItsJobProcessesWithIt) {
  auto server = std::make_unique<ServeProcess>(dir_.Path("data"));
  auto client = ClientOf(*server);
  Upload(*client);
  std::vector<pid_t> children;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (children.empty() && std::chrono::steady_clock::now() < deadline) {
    children = ChildProcesses(server->pid(), "run-job");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(children.size(), 1u);
  server->Kill(SIGKILL);
  // The orphan must not render on: PR_SET_PDEATHSIG ends it with its parent.
  bool gone = false;
  for (int i = 0; i < 300 && !gone; ++i) {
    gone = ProcessEnded(children[0]);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(gone) << "job process " << children[0] << " outlived its server";
}

}  // namespace
}  // namespace presgen::testing
