// Many nodes on one PostgreSQL job store, all real processes on loopback: API nodes that
// render nothing (`serve --workers 0`), render workers (`presgen worker`) sharing one data
// folder, and a temporary PostgreSQL cluster. Six jobs, each rendered once by one of two
// workers; an event stream on one API node following a job created on the other; one job
// for one Idempotency-Key sent to both at once; a worker killed mid-compose and its job
// taken over; the database restarted and stopped under a running job; bad configuration.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "service/serve_process.h"
#include "service/service_harness.h"
#include "support/pg_cluster.h"
#include "support/run_cli.h"
#include "support/temp_dir.h"

namespace presgen::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace std::chrono_literals;

// One database and one shared data folder for a test's nodes.
class MultiNode : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(cluster().ok()) << cluster().error();
    static int next = 0;
    db_ = "nodes_" + std::to_string(::getpid()) + "_" + std::to_string(next++);
    ASSERT_EQ(cluster().CreateDatabase(db_), "");
  }
  static PgCluster& cluster() { return SharedPgCluster(); }
  std::vector<std::string> StoreArgs(const std::string& lease = "3s") const {
    return {"--store", cluster().Uri(db_), "--lease", lease};
  }
  std::unique_ptr<ServeProcess> ApiNode() {
    auto args = StoreArgs();
    args.insert(args.end(), {"--workers", "0"});
    return std::make_unique<ServeProcess>(data_, PRESGEN_BINARY, args);
  }
  // A worker whose JSON log goes to worker-<n>.log.
  std::unique_ptr<ServeProcess> Worker(int n, const std::string& lease = "3s") {
    auto args = StoreArgs(lease);
    args.insert(args.end(), {"--threads", "1"});
    return std::make_unique<ServeProcess>(data_, PRESGEN_BINARY, args, LogOf(n), "worker");
  }
  std::string LogOf(int n) const { return dir_.Path("worker-" + std::to_string(n) + ".log"); }
  // The JSON log lines of worker `n` with `event`.
  std::vector<json> LogEvents(int n, const std::string& event) const {
    std::vector<json> found;
    std::ifstream in(LogOf(n));
    for (std::string line; std::getline(in, line);) {
      const json j = json::parse(line, nullptr, false);
      if (j.is_object() && j.value("event", "") == event) found.push_back(j);
    }
    return found;
  }
  std::string Sql(const std::string& query) const { return cluster().QueryValue(db_, query); }

  TempDir dir_{"presgen-multi"};
  std::string data_ = dir_.Path("shared");
  std::string db_;
};

std::string Post(httplib::Client& client, const std::string& fixture,
                 const httplib::Headers& headers = {}) {
  auto r = PostVideo(client, ReadFileBytes(FixturePath(fixture)), "{}", headers);
  if (!r || r->status != 202) {
    ADD_FAILURE() << "upload: " << (r ? std::to_string(r->status) + " " + r->body : "no answer");
    return "";
  }
  return JsonOf(r)["id"].get<std::string>();
}

// Files a killed run may leave: the MP4 writer's part file, WriteFileAtomic's temporaries.
std::vector<std::string> UnfinishedFiles(const std::string& job_dir) {
  std::vector<std::string> left;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(job_dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.find(".part") != std::string::npos || name.find(".tmp.") != std::string::npos) {
      left.push_back(name);
    }
  }
  return left;
}

TEST_F(MultiNode, TwoApiNodesAndTwoWorkersRenderSixJobsEachOnce) {
  auto a = ApiNode();
  auto b = ApiNode();
  auto w1 = Worker(1);
  auto w2 = Worker(2);
  httplib::Client on_a("127.0.0.1", a->port()), on_b("127.0.0.1", b->port());
  for (auto* c : {&on_a, &on_b}) c->set_read_timeout(180, 0);

  std::vector<std::string> ids;
  ids.push_back(Post(on_a, "short_pitch.mp4"));
  ASSERT_FALSE(ids[0].empty());
  // Node B follows the job node A took in and a worker renders.
  std::vector<SseEvent> seen_on_b;
  std::thread watcher([&] { seen_on_b = ReadEvents(on_b, ids[0]); });
  for (int i = 1; i < 6; ++i) ids.push_back(Post(i % 2 ? on_b : on_a, "odd_aac_mono_8k.mp4"));

  std::map<std::string, int> runs;  // job -> job_started events across both workers
  for (const auto& id : ids) {
    const json done = WaitForStatus(on_a, id, {"succeeded", "failed"}, 300s);
    EXPECT_EQ(done["status"], "succeeded") << done.dump();
    EXPECT_EQ(done["attempts"], 1) << id;
  }
  watcher.join();
  int by_w1 = 0, by_w2 = 0;
  for (int n : {1, 2}) {
    for (const json& e : LogEvents(n, "job_started")) {
      ++runs[e.value("job_id", "")];
      ++(n == 1 ? by_w1 : by_w2);
    }
  }
  for (const auto& id : ids) EXPECT_EQ(runs[id], 1) << id << " was rendered " << runs[id] << " times";
  EXPECT_GE(by_w1, 1) << "worker 1 rendered nothing";
  EXPECT_GE(by_w2, 1) << "worker 2 rendered nothing";
  std::printf("six jobs: worker 1 rendered %d, worker 2 rendered %d\n", by_w1, by_w2);

  // B's stream: the progress of a job it never touched, to its end.
  int progress = 0;
  std::set<std::string> stages;
  for (const auto& e : seen_on_b) {
    if (e.type == "progress") ++progress;
    if (e.data.contains("stage") && !e.data["stage"].get<std::string>().empty()) {
      stages.insert(e.data["stage"].get<std::string>());
    }
  }
  ASSERT_FALSE(seen_on_b.empty());
  EXPECT_EQ(seen_on_b.back().data["status"], "succeeded");
  EXPECT_GE(progress, 3) << "node B saw " << progress << " progress events";
  EXPECT_TRUE(stages.count("compose")) << "node B never saw the compose stage";
  std::printf("node B's stream of a job made on A: %zu events, %d progress, %zu stages\n",
              seen_on_b.size(), progress, stages.size());

  // A signed link from node A opens on node B (one link secret, in the store).
  auto job = on_a.Get("/v1/jobs/" + ids[0]);
  ASSERT_TRUE(job);
  const std::string link = JsonOf(job)["download_url"].get<std::string>();
  auto downloaded = on_b.Get(link);
  ASSERT_TRUE(downloaded);
  EXPECT_EQ(downloaded->status, 200);
  EXPECT_GT(downloaded->body.size(), 10000u);
  EXPECT_TRUE(UnfinishedFiles(data_ + "/jobs").empty());

  // The same Idempotency-Key sent to both API nodes at once: one job.
  const httplib::Headers key = {{"Idempotency-Key", "founder-42-take-1"}};
  std::string from_a, from_b;
  std::thread ta([&] { from_a = Post(on_a, "odd_aac_mono_8k.mp4", key); });
  std::thread tb([&] {
    httplib::Client c("127.0.0.1", b->port());
    from_b = Post(c, "odd_aac_mono_8k.mp4", key);
  });
  ta.join();
  tb.join();
  EXPECT_FALSE(from_a.empty());
  EXPECT_EQ(from_a, from_b);
  EXPECT_EQ(Sql("SELECT COUNT(*) FROM jobs WHERE idempotency_key = 'founder-42-take-1'"), "1");

  // Deleted on B while it runs (a fresh one): the worker's run stops and nothing is left.
  const std::string doomed = Post(on_a, "short_pitch.mp4");
  const json running = WaitForStatus(on_b, doomed, {"running", "failed", "succeeded"}, 120s);
  ASSERT_EQ(running["status"], "running") << running.dump();
  auto deleted = on_b.Delete("/v1/jobs/" + doomed);
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->status, 204);
  const auto stop_deadline = std::chrono::steady_clock::now() + 30s;
  while (std::chrono::steady_clock::now() < stop_deadline &&
         (fs::exists(data_ + "/jobs/" + doomed) ||
          !ChildProcesses(w1->pid(), "run-job").empty() ||
          !ChildProcesses(w2->pid(), "run-job").empty())) {
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_FALSE(fs::exists(data_ + "/jobs/" + doomed)) << "the deleted job's folder is back";
  EXPECT_TRUE(ChildProcesses(w1->pid(), "run-job").empty() &&
              ChildProcesses(w2->pid(), "run-job").empty())
      << "a worker still renders the deleted job";
}

TEST_F(MultiNode, AWorkerKilledMidComposeLosesItsJobToTheOther) {
  auto a = ApiNode();
  auto w1 = Worker(1);
  auto w2 = Worker(2);
  httplib::Client client("127.0.0.1", a->port());
  client.set_read_timeout(60, 0);
  const std::string id = Post(client, "short_pitch.mp4");
  ASSERT_FALSE(id.empty());
  json job;
  const auto deadline = std::chrono::steady_clock::now() + 180s;
  while (std::chrono::steady_clock::now() < deadline) {
    auto r = client.Get("/v1/jobs/" + id);
    if (r && r->status == 200) job = JsonOf(r);
    if (job.value("stage", "") == "compose" || job.value("status", "") == "succeeded") break;
    std::this_thread::sleep_for(50ms);
  }
  ASSERT_EQ(job.value("stage", ""), "compose") << job.dump();
  // The owner is "<host>-<pid>-<random>/<worker>": kill -9 that process.
  const std::string owner = Sql("SELECT lease_owner FROM jobs WHERE id = '" + id + "'");
  ASSERT_FALSE(owner.empty());
  const std::string without_worker = owner.substr(0, owner.find('/'));
  const size_t last = without_worker.rfind('-');
  const size_t before = without_worker.rfind('-', last - 1);
  const pid_t owner_pid = std::stoi(without_worker.substr(before + 1, last - before - 1));
  ServeProcess* victim = owner_pid == w1->pid() ? w1.get() : owner_pid == w2->pid() ? w2.get() : nullptr;
  ASSERT_NE(victim, nullptr) << "the lease owner " << owner << " is neither worker";
  const int survivor = victim == w1.get() ? 2 : 1;
  const auto killed_at = std::chrono::steady_clock::now();
  victim->Kill(SIGKILL);

  const json done = WaitForStatus(client, id, {"succeeded", "failed"}, 300s);
  EXPECT_EQ(done["status"], "succeeded") << done.dump();
  EXPECT_EQ(done["attempts"], 2) << "the killed run counts as an attempt";
  const auto taken = LogEvents(survivor, "job_taken_over");
  ASSERT_EQ(taken.size(), 1u) << "the other worker did not take the job over";
  EXPECT_EQ(taken[0].value("job_id", ""), id);
  const auto started = LogEvents(survivor, "job_started");
  ASSERT_FALSE(started.empty());
  EXPECT_EQ(started.back().value("attempt", 0), 2);
  EXPECT_TRUE(UnfinishedFiles(data_ + "/jobs/" + id).empty()) << "the dead run left files";
  EXPECT_TRUE(fs::exists(data_ + "/jobs/" + id + "/output.mp4"));
  EXPECT_EQ(Sql("SELECT lease_owner FROM jobs WHERE id = '" + id + "'"), "");
  std::printf("worker killed mid-compose: job succeeded on the other worker %.1f s later "
              "(lease 3 s), attempts %d\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - killed_at).count(),
              done["attempts"].get<int>());
}

TEST_F(MultiNode, TheDatabaseRestartedOrStoppedUnderARenderLosesNothing) {
  auto a = ApiNode();
  auto w1 = Worker(1, "15s");  // outlives the restart: the run keeps its lease
  httplib::Client client("127.0.0.1", a->port());
  client.set_read_timeout(60, 0);
  const std::string id = Post(client, "short_pitch.mp4");
  ASSERT_FALSE(id.empty());
  const json running = WaitForStatus(client, id, {"running", "succeeded", "failed"}, 120s);
  ASSERT_EQ(running["status"], "running") << running.dump();
  ASSERT_TRUE(cluster().Restart()) << cluster().error();
  const json done = WaitForStatus(client, id, {"succeeded", "failed"}, 300s);
  EXPECT_EQ(done["status"], "succeeded") << done.dump();
  EXPECT_EQ(done["attempts"], 1) << "the restart cost the job a run";
  EXPECT_EQ(LogEvents(1, "job_started").size(), 1u);
  EXPECT_EQ(Sql("SELECT COUNT(*) FROM jobs"), "1");

  // Stopped: the API node is not ready, and says why; back, it is ready and takes jobs.
  auto ready = client.Get("/readyz");  // the first answer runs the engine checks
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 200) << ready->body;
  ASSERT_TRUE(cluster().Stop()) << cluster().error();
  auto down = client.Get("/readyz");
  ASSERT_TRUE(down);
  EXPECT_EQ(down->status, 503) << down->body;
  EXPECT_NE(down->body.find("127.0.0.1:" + std::to_string(cluster().port())), std::string::npos)
      << down->body;
  ASSERT_TRUE(cluster().Start()) << cluster().error();
  auto up = client.Get("/readyz");
  ASSERT_TRUE(up);
  EXPECT_EQ(up->status, 200) << up->body;
  const std::string after = Post(client, "odd_aac_mono_8k.mp4");
  ASSERT_FALSE(after.empty());
  EXPECT_EQ(WaitForStatus(client, after, {"succeeded", "failed"}, 120s)["status"], "succeeded");
}

TEST_F(MultiNode, AReviewedDeckIsEditedOnOneNodeAndRenderedFromTheOther) {
  auto a = ApiNode();
  auto b = ApiNode();
  auto w1 = Worker(1);
  httplib::Client on_a("127.0.0.1", a->port()), on_b("127.0.0.1", b->port());
  for (auto* c : {&on_a, &on_b}) c->set_read_timeout(120, 0);
  auto posted = PostVideo(on_a, ReadFileBytes(FixturePath("short_pitch.mp4")), R"({"review":true})");
  ASSERT_TRUE(posted);
  ASSERT_EQ(posted->status, 202) << posted->body;
  const std::string id = JsonOf(posted)["id"].get<std::string>();
  ASSERT_EQ(WaitForStatus(on_b, id, {"review", "failed"}, 180s)["status"], "review");

  auto deck = on_b.Get("/v1/jobs/" + id + "/deck");
  ASSERT_TRUE(deck);
  ASSERT_EQ(deck->status, 200) << deck->body;
  json edited = JsonOf(deck);
  edited["slides"][0]["title"] = "Zebra Pricing";
  auto put = on_b.Put("/v1/jobs/" + id + "/deck", edited.dump(), "application/json");
  ASSERT_TRUE(put);
  ASSERT_EQ(put->status, 200) << put->body;
  auto render = on_a.Post("/v1/jobs/" + id + "/render");
  ASSERT_TRUE(render);
  ASSERT_EQ(render->status, 202) << render->body;
  // Node B's stream of the render node A accepted, from the render's own event on.
  const auto events = ReadEvents(on_b, id, JsonOf(render)["event_id"].get<int64_t>());
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().data["status"], "succeeded");
  for (size_t i = 1; i < events.size(); ++i) EXPECT_GT(events[i].id, events[i - 1].id);
  EXPECT_EQ(JsonOf(on_a.Get("/v1/jobs/" + id + "/deck"))["slides"][0]["title"], "Zebra Pricing");
  const json done = JsonOf(on_a.Get("/v1/jobs/" + id));
  EXPECT_EQ(done["status"], "succeeded");
  EXPECT_EQ(done["deck_version"], 2);
  EXPECT_TRUE(fs::exists(data_ + "/jobs/" + id + "/output.mp4"));
}

TEST_F(MultiNode, BadConfigurationIsOneLineAndExitTwo) {
  auto a = ApiNode();  // marks the shared folder with the store's id
  struct Case {
    std::vector<std::string> args;
    std::string expected;
  };
  const std::string uri = cluster().Uri(db_);
  const std::vector<Case> cases = {
      {{"worker", "--data-dir", dir_.Path("elsewhere"), "--store", uri},
       "not the data folder the other nodes"},
      {{"worker", "--data-dir", data_}, "a worker needs the job store the API nodes share"},
      {{"worker", "--data-dir", data_, "--store", "postgresql://presgen@127.0.0.1:1/x"},
       "127.0.0.1:1"},
      {{"serve", "--port", "0", "--data-dir", dir_.Path("alone"), "--workers", "0"},
       "--workers 0 needs a job store that other nodes share"},
      {{"worker", "--data-dir", data_, "--store", uri, "--lease", "1s"}, "--lease must be"},
  };
  for (const auto& c : cases) {
    const test::CliRun run = test::RunPresgen(c.args, dir_.path());
    const std::string& err = run.err;
    EXPECT_EQ(run.exit_code, 2) << err;
    EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
    EXPECT_NE(err.find(c.expected), std::string::npos) << err;
  }
}

}  // namespace
}  // namespace presgen::testing
