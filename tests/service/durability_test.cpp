// A real `presgen serve` under the faults of a real machine: a client that trickles its
// upload, a disk that fills up during an upload and during a render, a `kill -9` in the
// middle of heavy writes, and fifty jobs in a row. What must hold: the service keeps
// answering, a refusal is one line with the right code, nothing half-written is left, the
// job store stays intact (PRAGMA integrity_check) and keeps every job it acknowledged, and
// file descriptors and memory stay flat.
#include <sqlite3.h>
#include <sys/mount.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>

#include "service/raw_http.h"
#include "service/serve_process.h"
#include "service/service_harness.h"

namespace presgen::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace std::chrono_literals;

// A tmpfs of `kib` KiB mounted at `dir` while this lives: a disk that really fills up
// (ENOSPC). The tests run as root, as CI does.
class SmallDisk {
 public:
  SmallDisk(const std::string& dir, int kib) : dir_(dir) {
    fs::create_directories(dir);
    const std::string size = "size=" + std::to_string(kib) + "k";
    if (::mount("tmpfs", dir.c_str(), "tmpfs", 0, size.c_str()) != 0) {
      error_ = std::string("cannot mount a tmpfs at ") + dir + ": " + std::strerror(errno);
      return;
    }
    mounted_ = true;
  }
  ~SmallDisk() {
    if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }

 private:
  std::string dir_;
  bool mounted_ = false;
  std::string error_;
};

// PRAGMA integrity_check of the job store, "ok" when intact.
std::string IntegrityCheck(const std::string& db_path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return "cannot open " + db_path;
  }
  std::string result;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA integrity_check;", -1, &stmt, nullptr) == SQLITE_OK) {
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      if (!result.empty()) result += "; ";
      result += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
  } else {
    result = sqlite3_errmsg(db);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return result;
}

// Files under `dir` (recursively) whose names say they were half-written.
std::vector<std::string> HalfWritten(const std::string& dir) {
  std::vector<std::string> found;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.find(".part") != std::string::npos || name.find(".tmp") != std::string::npos) {
      found.push_back(it->path().string());
    }
  }
  return found;
}

size_t FilesIn(const std::string& dir) {
  size_t n = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) n += e.is_regular_file();
  return n;
}

int OpenFds(pid_t pid) {
  int n = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec)) {
    (void)e;
    ++n;
  }
  return n;
}

double RssMb(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return 0;
}

std::unique_ptr<httplib::Client> ClientOf(const ServeProcess& server) {
  auto c = std::make_unique<httplib::Client>("127.0.0.1", server.port());
  c->set_read_timeout(60, 0);
  c->set_write_timeout(60, 0);
  return c;
}

TEST(SlowClients, ATrickledUploadIsCutOffWhileTheApiAnswers) {
  TempDir dir("presgen-trickle");
  ServeProcess server(dir.Path("data"), PRESGEN_BINARY, {"--upload-stall-timeout", "2s"});
  RawConnection slow(server.port());
  ASSERT_TRUE(slow.Send("POST /v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        "Content-Type: application/octet-stream\r\n"
                        "Content-Length: 100000\r\n\r\n"));
  const auto start = std::chrono::steady_clock::now();
  auto client = ClientOf(server);
  // One byte every 100 ms (far below 16 KB in 2 s), while other clients are served.
  std::string answer;
  int api_answers = 0;
  for (int i = 0; i < 200 && answer.empty(); ++i) {
    if (!slow.Send("x")) break;  // the server closed the connection
    std::this_thread::sleep_for(100ms);
    if (i % 5 == 0) {
      auto health = client->Get("/healthz");
      if (health && health->status == 200) ++api_answers;
    }
    answer = slow.ReadResponse(1);
  }
  if (answer.empty()) answer = slow.ReadResponse(5000);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(RawConnection::StatusOf(answer), 408) << answer;
  EXPECT_NE(answer.find("upload_too_slow"), std::string::npos) << answer;
  EXPECT_LT(seconds, 10.0) << "the stall window is 2 s";
  EXPECT_GE(api_answers, 3);
  EXPECT_EQ(FilesIn(dir.Path("data") + "/uploads"), 0u);
  std::printf("trickled upload: 408 after %.1f s; %d health checks answered meanwhile\n",
              seconds, api_answers);
}

TEST(DiskFull, AnUploadThatDoesNotFitIs507AndLeavesTheStoreIntact) {
  TempDir dir("presgen-diskfull-upload");
  const std::string data = dir.Path("data");
  SmallDisk disk(data, 192);
  ASSERT_TRUE(disk.mounted()) << disk.error();
  ServeProcess server(data);
  auto client = ClientOf(server);
  auto posted = PostVideo(*client, ReadFileBytes(FixturePath("short_pitch.mp4")), "");  // 250 KB
  ASSERT_TRUE(posted);
  EXPECT_EQ(posted->status, 507) << posted->body;
  EXPECT_EQ(JsonOf(posted)["code"], "storage") << posted->body;
  EXPECT_EQ(FilesIn(data + "/uploads"), 0u) << "the half-written upload is removed";
  auto list = client->Get("/v1/jobs");
  ASSERT_TRUE(list);
  EXPECT_EQ(list->status, 200);
  // A small upload still fits afterwards: the failed one gave its space back.
  auto small = PostVideo(*client, ReadFileBytes(FixturePath("odd_aac_mono_8k.mp4")),
                         R"({"review":true})");
  ASSERT_TRUE(small);
  EXPECT_EQ(small->status, 202) << small->body;
  server.Kill(SIGTERM);
  EXPECT_EQ(IntegrityCheck(data + "/jobs.sqlite"), "ok");
}

TEST(DiskFull, ARenderThatRunsOutOfSpaceFailsWithTheReasonAndLeavesNoHalfOutput) {
  TempDir dir("presgen-diskfull-render");
  const std::string data = dir.Path("data");
  // Room for the 250 KB upload and the job store, not for the render's 330 KB output.
  SmallDisk disk(data, 512);
  ASSERT_TRUE(disk.mounted()) << disk.error();
  ServeProcess server(data);
  auto client = ClientOf(server);
  auto posted = PostVideo(*client, ReadFileBytes(FixturePath("short_pitch.mp4")),
                          R"({"size":"640x360"})");
  ASSERT_TRUE(posted);
  ASSERT_EQ(posted->status, 202) << posted->body;
  const std::string id = JsonOf(posted)["id"].get<std::string>();
  const json done = WaitForStatus(*client, id, {"succeeded", "failed"});
  ASSERT_EQ(done["status"], "failed") << done.dump();
  const std::string error = done.value("error", "");
  EXPECT_NE(error.find("space"), std::string::npos) << error;
  EXPECT_EQ(error.find('\n'), std::string::npos) << error;
  auto output = client->Get("/v1/jobs/" + id + "/download");
  ASSERT_TRUE(output);
  EXPECT_EQ(output->status, 409) << "no output for a failed render: " << output->body;
  EXPECT_TRUE(HalfWritten(data).empty()) << HalfWritten(data).front();
  auto again = client->Get("/v1/jobs/" + id);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
  server.Kill(SIGTERM);
  EXPECT_EQ(IntegrityCheck(data + "/jobs.sqlite"), "ok");
  std::printf("render on a full disk: failed with \"%s\"\n", error.c_str());
}

TEST(KillNine, TheJobStoreIsIntactAndKeepsEveryAcknowledgedJob) {
  TempDir dir("presgen-kill9");
  const std::string data = dir.Path("data");
  const std::string video = ReadFileBytes(FixturePath("odd_aac_mono_8k.mp4"));
  std::mutex mu;
  std::set<std::string> acknowledged, deleted;
  {
    ServeProcess server(data, PRESGEN_BINARY, {"--queue-limit", "10000", "--workers", "2"});
    std::atomic<bool> stop{false};
    std::vector<std::thread> writers;
    for (int w = 0; w < 4; ++w) {
      writers.emplace_back([&, w] {
        auto client = ClientOf(server);
        client->set_read_timeout(5, 0);
        for (int i = 0; !stop; ++i) {
          auto r = PostVideo(*client, video, R"({"review":true,"size":"640x360"})");
          if (!r || r->status != 202) continue;
          const std::string id = JsonOf(r)["id"].get<std::string>();
          {
            std::lock_guard<std::mutex> lock(mu);
            acknowledged.insert(id);
          }
          if (w == 0 && i % 3 == 2) {  // deletes too: rows and folders going away
            auto d = client->Delete("/v1/jobs/" + id);
            if (d && (d->status == 200 || d->status == 204)) {
              std::lock_guard<std::mutex> lock(mu);
              deleted.insert(id);
            }
          }
        }
      });
    }
    std::this_thread::sleep_for(6s);
    server.Kill(SIGKILL);  // mid-write: uploads, job rows, progress of the running jobs
    stop = true;
    for (auto& t : writers) t.join();
  }
  ASSERT_GE(acknowledged.size(), 5u);
  EXPECT_EQ(IntegrityCheck(data + "/jobs.sqlite"), "ok");

  ServeProcess restarted(data);
  auto client = ClientOf(restarted);
  int found = 0;
  for (const std::string& id : acknowledged) {
    if (deleted.count(id)) continue;
    auto r = client->Get("/v1/jobs/" + id);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << "job " << id << " was acknowledged (202) before the kill";
    found += r->status == 200;
  }
  auto health = client->Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  std::printf("kill -9 during writes: %zu jobs acknowledged, %zu deleted, all %d others "
              "found after the restart; integrity_check ok\n",
              acknowledged.size(), deleted.size(), found);
}

TEST(Soak, FiftyJobsLeaveFileDescriptorsAndMemoryFlat) {
  TempDir dir("presgen-soak");
  ServeProcess server(dir.Path("data"), PRESGEN_BINARY, {"--workers", "2", "--queue-limit", "100"});
  auto client = ClientOf(server);
  const std::string video = ReadFileBytes(FixturePath("odd_aac_mono_8k.mp4"));
  constexpr int kJobs = 50, kWarmUp = 10;
  int fds_after_warm_up = 0, succeeded = 0;
  double rss_after_warm_up = 0;
  for (int i = 0; i < kJobs; ++i) {
    auto r = PostVideo(*client, video, R"({"size":"640x360"})");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 202) << r->body;
    const json done = WaitForStatus(*client, JsonOf(r)["id"].get<std::string>(),
                                    {"succeeded", "failed"}, 120s);
    succeeded += done["status"] == "succeeded";
    // Watchers and downloads too, as the web page does.
    auto events = client->Get("/v1/jobs/" + done["id"].get<std::string>() + "/events");
    auto out = client->Get("/v1/jobs/" + done["id"].get<std::string>() + "/download");
    EXPECT_TRUE(out && out->status == 200);
    if (i + 1 == kWarmUp) {
      fds_after_warm_up = OpenFds(server.pid());
      rss_after_warm_up = RssMb(server.pid());
    }
  }
  const int fds = OpenFds(server.pid());
  const double rss = RssMb(server.pid());
  EXPECT_EQ(succeeded, kJobs);
  EXPECT_LE(fds, fds_after_warm_up + 4) << "file descriptors grow with the jobs";
  EXPECT_LT(rss, rss_after_warm_up + 30) << "memory grows with the jobs";
  std::printf("soak of %d jobs: fds %d after %d jobs, %d after %d; RSS %.1f MB -> %.1f MB\n",
              kJobs, fds_after_warm_up, kWarmUp, fds, kJobs, rss_after_warm_up, rss);
}

}  // namespace
}  // namespace presgen::testing
