// The service's small parts: signed links, the worker queue, events, options.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <optional>
#include <vector>
#include <chrono>
#include <thread>

#include "core/clock.h"
#include "service/event_hub.h"
#include "service/job_options.h"
#include "service/job_runner.h"
#include "service/signed_link.h"
#include "service/upload_receiver.h"
#include "support/temp_dir.h"

namespace presgen {
namespace {

using namespace std::chrono_literals;
using testing::TempDir;

TEST(SignedLink, ValidTamperedAndExpired) {
  TempDir dir;
  auto signer = std::move(LinkSigner::LoadOrCreate(dir.Path("secret"))).value();
  const std::string sig = signer.Sign("j_1", 1000).value();
  EXPECT_EQ(sig.size(), 64u);
  EXPECT_TRUE(signer.Verify("j_1", 1000, sig, 999).ok());
  EXPECT_TRUE(signer.Verify("j_1", 1000, sig, 1000).ok());
  EXPECT_FALSE(signer.Verify("j_1", 1000, sig, 1001).ok()) << "expired";
  EXPECT_FALSE(signer.Verify("j_2", 1000, sig, 999).ok()) << "another job";
  EXPECT_FALSE(signer.Verify("j_1", 2000, sig, 999).ok()) << "a later expiry";
  std::string flipped = sig;
  flipped[10] = flipped[10] == 'a' ? 'b' : 'a';
  EXPECT_FALSE(signer.Verify("j_1", 1000, flipped, 999).ok());
  EXPECT_FALSE(signer.Verify("j_1", 1000, sig.substr(0, 63), 999).ok());
  EXPECT_FALSE(signer.Verify("j_1", 1000, "", 999).ok());
}

TEST(SignedLink, SecretIsPrivateAndKeptAcrossStarts) {
  TempDir dir;
  const std::string path = dir.Path("secret");
  auto first = std::move(LinkSigner::LoadOrCreate(path)).value();
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto again = std::move(LinkSigner::LoadOrCreate(path)).value();
  EXPECT_EQ(first.Sign("j_1", 5).value(), again.Sign("j_1", 5).value());
  TempDir other;
  auto stranger = std::move(LinkSigner::LoadOrCreate(other.Path("secret"))).value();
  EXPECT_NE(first.Sign("j_1", 5).value(), stranger.Sign("j_1", 5).value());
}

TEST(JobRunner, RunsInOrderAndRefusesBeyondTheQueueLimit) {
  std::mutex mu;
  std::vector<std::string> ran;
  std::atomic<bool> release{false};
  JobRunner runner(
      [&](const std::string& id, const std::function<bool()>&, const std::string&) {
        while (!release) std::this_thread::sleep_for(1ms);
        std::lock_guard lock(mu);
        ran.push_back(id);
      },
      /*workers=*/1, /*queue_limit=*/2);
  ASSERT_TRUE(runner.Enqueue("a"));
  while (runner.Running() == 0) std::this_thread::sleep_for(1ms);
  EXPECT_TRUE(runner.Enqueue("b"));
  EXPECT_TRUE(runner.Enqueue("c"));
  EXPECT_TRUE(runner.QueueFull());
  EXPECT_FALSE(runner.Enqueue("d")) << "two already wait";
  EXPECT_TRUE(runner.Enqueue("e", /*force=*/true)) << "recovery ignores the limit";
  EXPECT_TRUE(runner.Cancel("c")) << "a queued job can be withdrawn";
  release = true;
  while (runner.Running() > 0 || runner.Waiting() > 0) std::this_thread::sleep_for(1ms);
  runner.Stop();
  EXPECT_EQ(ran, (std::vector<std::string>{"a", "b", "e"}));
}

TEST(JobRunner, CancelAsksTheRunningJobToStop) {
  std::atomic<bool> saw_abort{false};
  JobRunner runner(
      [&](const std::string&, const std::function<bool()>& abort, const std::string&) {
        while (!abort()) std::this_thread::sleep_for(1ms);
        saw_abort = true;
      },
      1, 1);
  runner.Enqueue("a");
  while (runner.Running() == 0) std::this_thread::sleep_for(1ms);
  EXPECT_TRUE(runner.Cancel("a"));
  while (!saw_abort) std::this_thread::sleep_for(1ms);
  EXPECT_FALSE(runner.Cancel("unknown"));
}

TEST(EventHub, ResumesAfterAnIdAndReportsGaps) {
  EventHub hub(/*history_per_job=*/3);
  for (int i = 1; i <= 5; ++i) hub.Publish("j", {i, "progress", std::to_string(i), false});
  auto batch = hub.WaitAfter("j", 3, 0ms);
  ASSERT_EQ(batch.events.size(), 2u);
  EXPECT_EQ(batch.events[0].id, 4);
  EXPECT_FALSE(batch.gap);
  auto old = hub.WaitAfter("j", 1, 0ms);
  EXPECT_TRUE(old.gap) << "event 2 is no longer held";
  EXPECT_TRUE(hub.WaitAfter("unknown", 0, 0ms).gap);

  std::thread later([&] {
    std::this_thread::sleep_for(50ms);
    hub.Publish("j", {6, "status", "done", true});
  });
  const auto t0 = std::chrono::steady_clock::now();
  auto waited = hub.WaitAfter("j", 5, 5s);
  later.join();
  ASSERT_EQ(waited.events.size(), 1u);
  EXPECT_TRUE(waited.events[0].final);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 4s) << "woken by the publish";
}

TEST(EventHub, CloseEndsEveryWait) {
  EventHub hub;
  hub.Publish("j", {1, "status", "{}", false});
  std::thread closer([&] {
    std::this_thread::sleep_for(50ms);
    hub.Close();
  });
  const auto t0 = std::chrono::steady_clock::now();
  auto batch = hub.WaitAfter("j", 1, 10s);
  closer.join();
  EXPECT_TRUE(batch.events.empty());
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s) << "a stopping server does not hang";
}

TEST(JobOptions, AppliesKnownKeysAndNamesBadOnes) {
  TempDir dir;
  RenderOptions base;
  base.output_path = dir.Path("out.mp4");
  RenderOptions opt = base;
  auto ok = ApplyJobOptions(
      R"({"review":true,"size":"640x360","template":"dark","max_slides":4,"max_bullets":2})",
      &opt);
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_TRUE(ok->review);
  EXPECT_EQ(opt.width, 640);
  EXPECT_EQ(opt.height, 360);
  EXPECT_EQ(opt.template_name, "dark");
  EXPECT_EQ(opt.max_slides, 4);
  EXPECT_EQ(opt.max_bullets, 2);

  for (const auto& [text, needle] :
       std::vector<std::pair<std::string, std::string>>{
           {R"({"colour":"red"})", "options.colour is not an option (known: review, size"},
           {R"({"review":"yes"})", "options.review"},
           {R"({"size":"big"})", "options.size"},
           {R"({"max_slides":40})", "options.max_slides must be an integer from 1 to 8"},
           {R"({"template":"neon"})", "options.template must be one of professional_minimal"},
           {R"({"size":"4000x720"})", "options.size must be between 320x180"},
           {R"({"brand_color":"red"})", "options.brand_color must match"},
           {R"({"summarizer":"llm"})", "no LLM configured"},
           {R"([1,2])", "JSON object"},
           {R"({"review":)", "JSON object"}}) {
    RenderOptions o = base;
    auto bad = ApplyJobOptions(text, &o);
    ASSERT_FALSE(bad.ok()) << text;
    EXPECT_EQ(bad.status().code(), StatusCode::kInvalidInput);
    EXPECT_NE(bad.status().message().find(needle), std::string::npos)
        << text << " -> " << bad.status().message();
  }
  RenderOptions empty = base;
  EXPECT_FALSE(ApplyJobOptions("", &empty)->review);
}

TEST(UploadNames, ClientNamesAreCleanedForDisplayOnly) {
  EXPECT_EQ(CleanFileName("../../etc/passwd"), "passwd");
  EXPECT_EQ(CleanFileName("C:\\videos\\pitch.mp4"), "pitch.mp4");
  EXPECT_EQ(CleanFileName("a\"b\nc.mp4"), "abc.mp4");
  EXPECT_EQ(CleanFileName(""), "video");
  EXPECT_EQ(CleanFileName(".."), "video");
  EXPECT_EQ(CleanFileName(std::string(300, 'x')).size(), 120u);
  EXPECT_NE(RandomHex().value(), RandomHex().value());
  EXPECT_EQ(RandomHex(8).value().size(), 16u);
}

// A raw (non-multipart) body given to ReceiveUpload in `chunks`, the clock moving `step_ms`
// before each one.
std::optional<HttpError> ReceiveChunks(const std::string& dir, FakeClock& clock,
                                       const std::vector<std::string>& chunks, int64_t step_ms,
                                       ReceivedUpload* out) {
  httplib::Request req;
  httplib::ContentReader reader(
      [&](const httplib::ContentReceiver& receive) {
        for (const auto& chunk : chunks) {
          clock.AdvanceMs(step_ms);
          if (!receive(chunk.data(), chunk.size())) return false;
        }
        return true;
      },
      [](const httplib::MultipartContentHeader&, const httplib::ContentReceiver&) { return false; });
  UploadParams params;
  params.dir = dir;
  params.stall_ms = 30'000;
  params.stall_min_bytes = 16 * 1024;
  params.clock = &clock;
  return ReceiveUpload(req, reader, params, out);
}

size_t FilesIn(const std::string& dir) {
  size_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) n += e.is_regular_file();
  return n;
}

TEST(UploadReceiver, ATrickledBodyIsCutOffAndLeavesNothing) {
  TempDir dir("upload-stall");
  FakeClock clock;
  ReceivedUpload upload;
  // One byte a second: 31 bytes in the first 30 s window.
  const std::vector<std::string> trickle(60, "x");
  auto error = ReceiveChunks(dir.path(), clock, trickle, 1000, &upload);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->status, 408);
  EXPECT_EQ(error->code, "upload_too_slow");
  EXPECT_EQ(FilesIn(dir.path()), 0u);
}

TEST(UploadReceiver, ASlowButSteadyBodyIsKept) {
  TempDir dir("upload-steady");
  FakeClock clock;
  ReceivedUpload upload;
  // 2 KB a second (a poor mobile link) for two minutes: 60 KB per window, never stalled.
  const std::vector<std::string> steady(120, std::string(2048, 'v'));
  auto error = ReceiveChunks(dir.path(), clock, steady, 1000, &upload);
  ASSERT_FALSE(error.has_value()) << error->message;
  EXPECT_EQ(upload.bytes, 120 * 2048);
  EXPECT_EQ(std::filesystem::file_size(upload.path), 120u * 2048u);
}

}  // namespace
}  // namespace presgen
