// The API's limits and errors: 413 before and while reading, 415 and 422 for
// media, 400 for malformed uploads, 429 with Retry-After, and no file left
// behind by any refused upload.
#include <filesystem>
#include <set>

#include "service/raw_http.h"
#include "service/service_harness.h"

namespace presgen::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

class ApiLimits : public ::testing::Test {
 protected:
  void ExpectNothingStored() {
    for (const char* sub : {"/uploads", "/jobs"}) {
      for (const auto& entry : fs::directory_iterator(dir_.path() + sub)) {
        ADD_FAILURE() << "left behind: " << entry.path();
      }
    }
  }
  TempDir dir_{"presgen-limits"};
};

TEST_F(ApiLimits, TooLargeIsRefusedBeforeAndWhileReading) {
  ServiceParams params = TestServiceParams(dir_.path());
  params.max_upload_bytes = 1 << 20;
  ServiceHarness server(params);

  // Announced: the answer comes before a single body byte is sent.
  RawConnection announced(server.port());
  ASSERT_TRUE(announced.Send("POST /v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Type: video/mp4\r\n"
                             "Content-Length: 5000000000\r\n\r\n"));
  const std::string early = announced.ReadResponse();
  EXPECT_EQ(RawConnection::StatusOf(early), 413) << early;
  EXPECT_NE(early.find("payload_too_large"), std::string::npos);

  // Chunked, no length: refused once the limit is crossed.
  RawConnection chunked(server.port());
  ASSERT_TRUE(chunked.Send("POST /v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Type: video/mp4\r\n"
                           "Transfer-Encoding: chunked\r\n\r\n"));
  const std::string block(64 * 1024, 'v');
  char size_line[32];
  std::snprintf(size_line, sizeof(size_line), "%zx\r\n", block.size());
  for (int i = 0; i < 16; ++i) ASSERT_TRUE(chunked.Send(size_line + block + "\r\n"));
  chunked.Send("1000\r\n" + std::string(4096, 'v') + "\r\n");  // one past the limit
  const std::string late = chunked.ReadResponse();
  EXPECT_EQ(RawConnection::StatusOf(late), 413) << late.substr(0, 200);

  auto metrics = server.Client()->Get("/metrics")->body;
  EXPECT_NE(metrics.find("presgen_uploads_rejected_total{code=\"413\"} 2"), std::string::npos)
      << metrics;
  ExpectNothingStored();
}

TEST_F(ApiLimits, BadMediaAndBadRequestsSayWhy) {
  ServiceHarness server(TestServiceParams(dir_.path()));
  auto client = server.Client();

  auto text = PostVideo(*client, ReadFileBytes(FixturePath("not_a_video.mp4")), "");
  ASSERT_EQ(text->status, 415) << text->body;
  EXPECT_EQ(JsonOf(text)["code"], "unsupported_media");
  EXPECT_EQ(JsonOf(text)["error"].get<std::string>().rfind("my pitch.mp4: ", 0), 0u)
      << "names the user's file, not our stored one: " << text->body;

  auto audio = PostVideo(*client, ReadFileBytes(FixturePath("audio_only.m4a")), "");
  EXPECT_EQ(audio->status, 415) << audio->body;
  EXPECT_NE(audio->body.find("no video stream"), std::string::npos);

  auto truncated = PostVideo(*client, ReadFileBytes(FixturePath("truncated_noindex.mp4")), "");
  EXPECT_EQ(truncated->status, 422) << truncated->body;
  EXPECT_NE(truncated->body.find("cut off"), std::string::npos);

  const std::string video = ReadFileBytes(FixturePath("short_pitch.mp4"));
  auto options = PostVideo(*client, video, R"({"colour":"red"})");
  EXPECT_EQ(options->status, 422);
  EXPECT_EQ(JsonOf(options)["code"], "invalid_options");
  EXPECT_NE(options->body.find("colour"), std::string::npos);

  auto no_file = client->Post("/v1/jobs", httplib::MultipartFormDataItems{
                                              {"options", "{}", "", ""}});
  EXPECT_EQ(no_file->status, 400);
  EXPECT_EQ(JsonOf(no_file)["code"], "missing_file");
  auto empty = client->Post("/v1/jobs", "", "video/mp4");
  EXPECT_EQ(empty->status, 400);

  EXPECT_EQ(client->Get("/v1/jobs/j_0123456789abcdef")->status, 404);
  EXPECT_EQ(client->Get("/v1/nothing")->status, 404);
  RawConnection put_huge(server.port());
  ASSERT_TRUE(put_huge.Send("PUT /v1/jobs/j_0123456789abcdef/deck HTTP/1.1\r\nHost: x\r\n"
                            "Content-Type: application/json\r\nContent-Length: 2097152\r\n\r\n"));
  EXPECT_EQ(RawConnection::StatusOf(put_huge.ReadResponse()), 413) << "a deck is small";
  RawConnection put_chunked(server.port());
  ASSERT_TRUE(put_chunked.Send("PUT /v1/jobs/j_0123456789abcdef/deck HTTP/1.1\r\nHost: x\r\n"
                               "Content-Type: application/json\r\n"
                               "Transfer-Encoding: chunked\r\n\r\n"));
  EXPECT_EQ(RawConnection::StatusOf(put_chunked.ReadResponse()), 411)
      << "only the upload may stream";
  ExpectNothingStored();

  // A raw body (no multipart) is a valid upload too.
  auto raw = client->Post("/v1/jobs?filename=raw.mp4&options=%7B%22review%22%3Atrue%7D", video,
                          "video/mp4");
  ASSERT_EQ(raw->status, 202) << raw->body;
  EXPECT_EQ(JsonOf(raw)["filename"], "raw.mp4");
  EXPECT_EQ(JsonOf(raw)["review"], true);
}

// The hostile corpus (tests/fixtures/hostile_media.py) through the upload: each refused
// with the code its kind calls for and one line, nothing stored; a recording cut after its
// index is accepted (it renders the part that is there).
TEST_F(ApiLimits, HostileUploadsAreRefusedAndCutRecordingsAccepted) {
  ServiceHarness server(TestServiceParams(dir_.path()));
  auto client = server.Client();
  const std::vector<std::pair<std::string, int>> refused = {
      {"hm_playlist.m3u8", 415}, {"hm_manifest.mpd", 415},   {"hm_concat.ffconcat", 415},
      {"hm_session.sdp", 415},   {"hm_img_%03d.png", 415},   {"hm_still.mp4", 415},
      {"hm_subs.ass", 415},      {"hm_subs_named.mp4", 415}, {"hm_random.mp4", 415},
      {"hm_huge_frame.avi", 415}, {"hm_streams.mkv", 415},   {"hm_cut_noindex.mov", 422},
      {"hm_empty.mp4", 400}};
  for (const auto& [file, status] : refused) {
    auto r = PostVideo(*client, ReadFileBytes(FixturePath(file)), "");
    ASSERT_TRUE(r) << file;
    EXPECT_EQ(r->status, status) << file << ": " << r->body;
    const std::string error = JsonOf(r).value("error", "");
    EXPECT_FALSE(error.empty()) << file;
    EXPECT_EQ(error.find('\n'), std::string::npos) << file << ": " << error;
  }
  ExpectNothingStored();
  auto cut = PostVideo(*client, ReadFileBytes(FixturePath("hm_cut_faststart.mp4")),
                       R"({"review":true})");
  ASSERT_TRUE(cut);
  EXPECT_EQ(cut->status, 202) << cut->body;
}

TEST_F(ApiLimits, FullQueueAnswers429WithRetryAfter) {
  ServiceParams params = TestServiceParams(dir_.path());
  params.queue_limit = 1;
  ServiceHarness server(params);
  auto client = server.Client();
  const std::string video = ReadFileBytes(FixturePath("short_pitch.mp4"));
  const std::string options = R"({"size":"640x360"})";

  auto a = PostVideo(*client, video, options);
  ASSERT_EQ(a->status, 202);
  const std::string first = JsonOf(a)["id"];
  ASSERT_EQ(WaitForStatus(*client, first, {"running"}, std::chrono::seconds(30))["status"],
            "running");
  auto b = PostVideo(*client, video, options);
  ASSERT_EQ(b->status, 202) << "one job may wait";
  auto c = PostVideo(*client, video, options);
  ASSERT_EQ(c->status, 429) << c->body;
  EXPECT_EQ(c->get_header_value("Retry-After"), "30");
  EXPECT_EQ(JsonOf(c)["code"], "queue_full");

  // Both accepted jobs finish; then there is room again.
  EXPECT_EQ(WaitForStatus(*client, first, {"succeeded", "failed"})["status"], "succeeded");
  EXPECT_EQ(WaitForStatus(*client, JsonOf(b)["id"], {"succeeded", "failed"})["status"],
            "succeeded");
  EXPECT_EQ(PostVideo(*client, video, options)->status, 202);
}

}  // namespace
}  // namespace presgen::testing

namespace presgen::testing {
namespace {

TEST(Operations, ReadyzRunsTheDoctorsChecksAndTheStore) {
  TempDir dir("presgen-ready");
  {
    ServiceHarness server(TestServiceParams(dir.path()));
    auto client = server.Client();
    EXPECT_EQ(JsonOf(client->Get("/healthz"))["status"], "ok");
    auto ready = client->Get("/readyz");
    ASSERT_EQ(ready->status, 200) << ready->body;
    std::set<std::string> names;
    const json body = JsonOf(ready);
    for (const auto& check : body["checks"]) {
      names.insert(check["name"].get<std::string>());
      if (check["severity"] == "required") {
        EXPECT_TRUE(check["ok"].get<bool>()) << check.dump();
      }
    }
    // The checks of `presgen doctor` but the smoke render and the (paid) LLM call.
    EXPECT_EQ(names, (std::set<std::string>{"whisper_model", "pocketsphinx", "face_detection",
                                            "slide_fonts", "chromium", "ffmpeg", "temp_storage",
                                            "store"}));
  }
  ServiceParams params = TestServiceParams(dir.path());
  params.min_free_disk_mb = int64_t{1} << 40;  // a petabyte: no disk has that
  ServiceHarness server(params);
  auto ready = server.Client()->Get("/readyz");
  EXPECT_EQ(ready->status, 503);
  const json body = JsonOf(ready);
  EXPECT_FALSE(body["ready"].get<bool>());
  for (const auto& check : body["checks"]) {
    if (check["name"] == "temp_storage") {
      EXPECT_FALSE(check["ok"].get<bool>()) << check.dump();
      EXPECT_NE(check["detail"].get<std::string>().find("a 3-minute 1080p job needs"),
                std::string::npos);
    }
  }
}

}  // namespace
}  // namespace presgen::testing
