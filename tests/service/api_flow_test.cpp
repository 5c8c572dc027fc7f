// The job API end to end over real HTTP on loopback: upload with review, read
// and edit the deck, render it (reusing the transcript), follow the events,
// download with Range, signed links, API keys, delete.
#include <filesystem>

#include "service/signed_link.h"
#include "service/raw_http.h"
#include "service/service_harness.h"
#include "support/prometheus_text.h"

namespace presgen::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

class ApiFlow : public ::testing::Test {
 protected:
  TempDir dir_{"presgen-serve"};
  std::string video_ = ReadFileBytes(FixturePath("short_pitch.mp4"));
};

TEST_F(ApiFlow, ReviewEditRenderDownloadDelete) {
  ServiceHarness server(TestServiceParams(dir_.path()));
  auto client = server.Client();

  auto posted = PostVideo(*client, video_, R"({"review":true,"size":"640x360"})");
  ASSERT_TRUE(posted);
  ASSERT_EQ(posted->status, 202) << posted->body;
  const json created = JsonOf(posted);
  const std::string id = created["id"];
  EXPECT_EQ(posted->get_header_value("Location"), "/v1/jobs/" + id);
  EXPECT_EQ(created["status"], "queued");
  EXPECT_EQ(created["filename"], "my pitch.mp4");
  // The picture is 15.00 s, its AAC 15.04 s (whole frames): the longer is the output.
  EXPECT_NEAR(created["duration"].get<double>(), 15.0, 0.05);

  json job = WaitForStatus(*client, id, {"review", "failed"});
  ASSERT_EQ(job["status"], "review") << job.dump();
  EXPECT_FALSE(job.contains("download_url")) << "nothing to download in review";
  const int slides = job["slide_count"];
  ASSERT_GE(slides, 1);
  EXPECT_EQ(client->Get("/v1/jobs/" + id + "/download")->status, 409);

  // The transcript in three formats.
  auto tj = client->Get("/v1/jobs/" + id + "/transcript");
  ASSERT_EQ(tj->status, 200);
  EXPECT_FALSE(JsonOf(tj)["segments"].empty());
  EXPECT_EQ(client->Get("/v1/jobs/" + id + "/transcript?format=srt")->body.rfind("1\n", 0), 0u);
  EXPECT_EQ(client->Get("/v1/jobs/" + id + "/transcript?format=vtt")->body.rfind("WEBVTT", 0),
            0u);
  EXPECT_EQ(client->Get("/v1/jobs/" + id + "/transcript?format=doc")->status, 400);

  // The slides as images, and the deck.
  auto png = client->Get("/v1/jobs/" + id + "/slides/" + std::to_string(slides) + ".png");
  ASSERT_EQ(png->status, 200);
  EXPECT_EQ(png->body.substr(1, 3), "PNG");
  EXPECT_EQ(client->Get("/v1/jobs/" + id + "/slides/" + std::to_string(slides + 1) + ".png")
                ->status,
            404);
  auto deck_r = client->Get("/v1/jobs/" + id + "/deck");
  ASSERT_EQ(deck_r->status, 200);
  json deck = JsonOf(deck_r);
  ASSERT_EQ(static_cast<int>(deck["slides"].size()), slides);

  // A bad edit is refused with the reason; a good one is kept and re-drawn.
  json bad = deck;
  bad["slides"][0]["start"] = 999.0;
  auto refused = client->Put("/v1/jobs/" + id + "/deck", bad.dump(), "application/json");
  EXPECT_EQ(refused->status, 422);
  EXPECT_EQ(JsonOf(refused)["code"], "invalid_deck");
  EXPECT_EQ(client->Put("/v1/jobs/" + id + "/deck", "{not json", "application/json")->status, 422);

  const std::string before_png = client->Get("/v1/jobs/" + id + "/slides/1.png")->body;
  json edited = deck;
  edited["slides"][0]["title"] = "Zebra Pricing";
  auto put = client->Put("/v1/jobs/" + id + "/deck", edited.dump(), "application/json");
  ASSERT_EQ(put->status, 200) << put->body;
  EXPECT_EQ(JsonOf(put)["deck_version"], job["deck_version"].get<int>() + 1);
  EXPECT_EQ(JsonOf(client->Get("/v1/jobs/" + id + "/deck"))["slides"][0]["title"],
            "Zebra Pricing");
  EXPECT_NE(client->Get("/v1/jobs/" + id + "/slides/1.png")->body, before_png)
      << "the slide image is re-drawn with the new title";

  // Render the edited deck; no edits while it renders.
  auto render = client->Post("/v1/jobs/" + id + "/render");
  ASSERT_EQ(render->status, 202) << render->body;
  EXPECT_EQ(JsonOf(render)["status"], "rendering");
  EXPECT_EQ(client->Put("/v1/jobs/" + id + "/deck", edited.dump(), "application/json")->status,
            409);
  EXPECT_EQ(client->Post("/v1/jobs/" + id + "/render")->status, 409);

  // Every event since the render was accepted (its answer carries the event id).
  auto events = ReadEvents(*client, id, JsonOf(render)["event_id"].get<int64_t>());
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().type, "status");
  EXPECT_EQ(events.back().data["status"], "succeeded");
  bool saw_compose = false;
  for (size_t i = 1; i < events.size(); ++i) {
    EXPECT_GT(events[i].id, events[i - 1].id);
    if (events[i].type == "progress" && events[i].data["stage"] == "compose") saw_compose = true;
  }
  EXPECT_TRUE(saw_compose) << "progress events name the running stage";

  job = JsonOf(client->Get("/v1/jobs/" + id));
  ASSERT_EQ(job["status"], "succeeded") << job.dump();
  EXPECT_NE(std::find(job["reused"].begin(), job["reused"].end(), "transcribe"),
            job["reused"].end())
      << "the render reused the transcript: " << job.dump();
  EXPECT_GT(job["timings"]["compose"].get<double>(), 0);
  EXPECT_TRUE(job["download_url"].is_string());

  // Download: whole, then a range.
  auto video = client->Get("/v1/jobs/" + id + "/download");
  ASSERT_EQ(video->status, 200);
  EXPECT_EQ(video->body.substr(4, 4), "ftyp");
  EXPECT_EQ(video->get_header_value("Content-Type"), "video/mp4");
  EXPECT_EQ(video->get_header_value("Content-Disposition"),
            "attachment; filename=\"my_pitch-presgen.mp4\"");
  EXPECT_EQ(video->get_header_value("X-Content-Type-Options"), "nosniff");
  auto part = client->Get("/v1/jobs/" + id + "/download", {{"Range", "bytes=100-199"}});
  ASSERT_EQ(part->status, 206);
  EXPECT_EQ(part->body, video->body.substr(100, 100));
  EXPECT_EQ(part->get_header_value("Content-Range"),
            "bytes 100-199/" + std::to_string(video->body.size()));
  EXPECT_EQ(client->Get("/v1/jobs/" + id + "/deck.pdf")->body.rfind("%PDF", 0), 0u);

  // Events: resume after an id, and a finished job's stream is one snapshot.
  const int64_t last = events.back().id;
  auto resumed = ReadEvents(*client, id, last - 2);
  ASSERT_EQ(resumed.size(), 2u);
  EXPECT_EQ(resumed[0].id, last - 1);
  EXPECT_EQ(resumed[1].id, last);
  auto snapshot = ReadEvents(*client, id);
  ASSERT_EQ(snapshot.size(), 1u);
  EXPECT_EQ(snapshot[0].id, last);
  EXPECT_EQ(snapshot[0].data["status"], "succeeded");
  // A reader that already has the last event (EventSource reconnecting) gets a
  // clean, empty end — nothing after the end of the stream.
  std::string tail;
  const auto t0 = std::chrono::steady_clock::now();
  auto caught_up = client->Get("/v1/jobs/" + id + "/events",
                               {{"Last-Event-ID", std::to_string(last)}},
                               [&](const char* data, size_t n) {
                                 tail.append(data, n);
                                 return true;
                               });
  ASSERT_TRUE(caught_up);
  EXPECT_EQ(tail, "");
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));

  const std::string metrics = client->Get("/metrics")->body;
  const PrometheusText scraped = ParsePrometheusText(metrics);
  EXPECT_TRUE(scraped.errors.empty()) << ::testing::PrintToString(scraped.errors) << metrics;
  EXPECT_EQ(scraped.Value("presgen_jobs", {{"status", "succeeded"}}), 1) << metrics;
  EXPECT_EQ(scraped.Value("presgen_runs_total", {{"outcome", "succeeded"}}), 2);
  EXPECT_EQ(scraped.Value("presgen_job_duration_seconds_count"), 2);
  EXPECT_EQ(scraped.Value("presgen_stage_duration_seconds_count", {{"stage", "compose"}}), 1);
  EXPECT_EQ(scraped.Value("presgen_stage_duration_seconds_count", {{"stage", "transcribe"}}), 1)
      << "transcribed once, for review; the render reused it";
  EXPECT_EQ(scraped.Value("presgen_cache_requests_total", {{"stage", "transcribe"}, {"result", "hit"}}), 1);
  EXPECT_EQ(scraped.Value("presgen_cache_requests_total", {{"stage", "face"}, {"result", "miss"}}), 1)
      << "the review run analysed no faces: the render tracked them";
  EXPECT_GT(scraped.Value("process_resident_memory_bytes"), 1e6);
  EXPECT_GT(scraped.Value("process_cpu_seconds_total"), 0);

  auto list = JsonOf(client->Get("/v1/jobs"));
  ASSERT_EQ(list["jobs"].size(), 1u);
  EXPECT_EQ(list["jobs"][0]["id"], id);

  EXPECT_EQ(client->Delete("/v1/jobs/" + id)->status, 204);
  EXPECT_EQ(client->Get("/v1/jobs/" + id)->status, 404);
  EXPECT_EQ(client->Get("/v1/jobs/" + id + "/download")->status, 404);
  EXPECT_FALSE(fs::exists(dir_.path() + "/jobs/" + id));
  EXPECT_EQ(client->Delete("/v1/jobs/" + id)->status, 404);
}

TEST_F(ApiFlow, DeleteWhileRunningStopsTheJobAndLeavesNothing) {
  ServiceHarness server(TestServiceParams(dir_.path()));
  auto client = server.Client();
  auto posted = PostVideo(*client, video_, R"({"size":"640x360"})");
  ASSERT_EQ(posted->status, 202);
  const std::string id = JsonOf(posted)["id"];
  ASSERT_EQ(WaitForStatus(*client, id, {"running"}, std::chrono::seconds(30))["status"],
            "running");
  EXPECT_EQ(client->Delete("/v1/jobs/" + id)->status, 204);
  EXPECT_EQ(client->Get("/v1/jobs/" + id)->status, 404);
  // The worker notices, stops, and removes whatever it wrote after the delete.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline && fs::exists(dir_.path() + "/jobs/" + id)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_FALSE(fs::exists(dir_.path() + "/jobs/" + id));
  // The worker is free again: a new job runs to the end.
  auto next = PostVideo(*client, video_, R"({"review":true,"size":"640x360"})");
  ASSERT_EQ(next->status, 202);
  EXPECT_EQ(WaitForStatus(*client, JsonOf(next)["id"], {"review", "failed"})["status"], "review");
}

TEST_F(ApiFlow, IdempotencyReplayMismatchAndInFlight) {
  ServiceHarness server(TestServiceParams(dir_.path()));
  auto client = server.Client();
  const std::string options = R"({"review":true,"size":"640x360"})";

  // A first request holds its key while its body is still arriving.
  const std::string boundary = "presgenboundary";
  const std::string body = "--" + boundary +
                           "\r\nContent-Disposition: form-data; name=\"file\"; "
                           "filename=\"my pitch.mp4\"\r\nContent-Type: video/mp4\r\n\r\n" +
                           video_ + "\r\n--" + boundary +
                           "\r\nContent-Disposition: form-data; name=\"options\"\r\n\r\n" +
                           options + "\r\n--" + boundary + "--\r\n";
  RawConnection first(server.port());
  ASSERT_TRUE(first.Send("POST /v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nIdempotency-Key: k-1\r\n"
                         "Content-Type: multipart/form-data; boundary=" + boundary +
                         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
                         body.substr(0, body.size() / 2)));
  // The first request holds the key once its body is being stored.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  auto receiving = [&] {
    return !fs::is_empty(dir_.path() + "/uploads");
  };
  while (!receiving() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(receiving());
  auto in_flight = PostVideo(*client, video_, options, {{"Idempotency-Key", "k-1"}});
  ASSERT_TRUE(in_flight);
  EXPECT_EQ(in_flight->status, 409);
  EXPECT_EQ(JsonOf(in_flight)["code"], "idempotency_in_flight");

  ASSERT_TRUE(first.Send(body.substr(body.size() / 2)));
  const std::string answer = first.ReadResponse();
  ASSERT_EQ(RawConnection::StatusOf(answer), 202) << answer.substr(0, 300);
  const json original = json::parse(answer.substr(answer.find("\r\n\r\n") + 4));

  auto replay = PostVideo(*client, video_, options, {{"Idempotency-Key", "k-1"}});
  ASSERT_EQ(replay->status, 202);
  EXPECT_EQ(JsonOf(replay)["id"], original["id"]);
  EXPECT_EQ(replay->get_header_value("Idempotent-Replayed"), "true");

  auto other_options = PostVideo(*client, video_, R"({"size":"640x360"})",
                                 {{"Idempotency-Key", "k-1"}});
  EXPECT_EQ(other_options->status, 422);
  EXPECT_EQ(JsonOf(other_options)["code"], "idempotency_mismatch");
  auto other_file = PostVideo(*client, video_.substr(0, video_.size() - 1) + "x", options,
                              {{"Idempotency-Key", "k-1"}});
  EXPECT_EQ(other_file->status, 422);

  auto fresh = PostVideo(*client, video_, options, {{"Idempotency-Key", "k-2"}});
  ASSERT_EQ(fresh->status, 202);
  EXPECT_NE(JsonOf(fresh)["id"], original["id"]);
  EXPECT_FALSE(fresh->has_header("Idempotent-Replayed"));
  EXPECT_EQ(JsonOf(client->Get("/v1/jobs"))["jobs"].size(), 2u) << "replays made no job";
  for (const auto& entry : fs::directory_iterator(dir_.path() + "/uploads")) {
    ADD_FAILURE() << "upload left behind: " << entry.path();
  }
}

TEST_F(ApiFlow, SignedLinksAndApiKey) {
  ServiceParams params = TestServiceParams(dir_.path());
  params.api_key = "sesame";
  ServiceHarness server(params);
  auto client = server.Client();

  EXPECT_EQ(client->Get("/v1/jobs")->status, 401);
  EXPECT_EQ(client->Get("/v1/jobs", {{"Authorization", "Bearer wrong"}})->status, 401);
  EXPECT_EQ(client->Get("/v1/jobs", {{"Authorization", "Bearer sesame"}})->status, 200);
  EXPECT_EQ(client->Get("/v1/jobs", {{"X-API-Key", "sesame"}})->status, 200);
  EXPECT_EQ(client->Get("/v1/jobs?api_key=sesame")->status, 200);
  EXPECT_EQ(client->Get("/healthz")->status, 200) << "operations endpoints stay open";
  EXPECT_EQ(client->Get("/")->status, 200) << "the page loads; it asks for the key";
  EXPECT_EQ(PostVideo(*client, video_, "")->status, 401);

  auto keyed = server.Client();
  keyed->set_bearer_token_auth("sesame");
  auto posted = PostVideo(*keyed, video_, R"({"size":"640x360"})");
  ASSERT_EQ(posted->status, 202) << posted->body;
  const std::string id = JsonOf(posted)["id"];
  json job = WaitForStatus(*keyed, id, {"succeeded", "failed"});
  ASSERT_EQ(job["status"], "succeeded") << job.dump();
  const std::string link = job["download_url"];

  auto ok = client->Get(link);  // no key: the signature is the credential
  ASSERT_EQ(ok->status, 200) << ok->body;
  EXPECT_EQ(ok->body.substr(4, 4), "ftyp");
  EXPECT_EQ(client->Get(link, {{"Range", "bytes=0-9"}})->status, 206);
  EXPECT_EQ(client->Get("/v1/jobs/" + id + "/download")->status, 401);

  std::string tampered = link;
  tampered.back() = tampered.back() == '0' ? '1' : '0';
  EXPECT_EQ(client->Get(tampered)->status, 403);
  const size_t at = link.find("expires=") + 8;
  std::string later = link;
  later[at + 3] = later[at + 3] == '9' ? '8' : '9';
  EXPECT_EQ(client->Get(later)->status, 403) << "the expiry is signed";

  // A correctly signed link whose time has passed.
  auto signer = std::move(LinkSigner::LoadOrCreate(dir_.path() + "/link-secret")).value();
  const int64_t past = NowSeconds() - 5;
  auto expired = client->Get("/v1/jobs/" + id + "/download?expires=" + std::to_string(past) +
                             "&sig=" + signer.Sign(id, past).value());
  EXPECT_EQ(expired->status, 403);
  EXPECT_NE(JsonOf(expired)["error"].get<std::string>().find("expired"), std::string::npos);
}

}  // namespace
}  // namespace presgen::testing
