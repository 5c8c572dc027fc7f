// `presgen doctor` as an operator runs it before a demo: the real binary, the real engines.
// Healthy here: exit 0 with every required check passing (warnings allowed); each part
// broken in turn — the face cascade missing, an unwritable temporary folder, a dead LLM —
// exits 1 and names that check; leftovers of crashed runs are removed, live files kept.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "e2e/run_cli.h"
#include "face/face_detector.h"
#include "face/schematic_face.h"
#include "support/fake_openai_server.h"
#include "support/temp_dir.h"
#include "support/tiny_whisper_model.h"

namespace presgen {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

struct DoctorRun {
  int exit_code = -1;
  json report;
  std::string err;
};

// Runs `env... presgen doctor --json args...` and reads its report.
DoctorRun Doctor(const testing::TempDir& dir, const std::vector<std::string>& args,
                 const std::string& env = "") {
  std::string cmd = env + " " + test::Quote(PRESGEN_BINARY) + " doctor --json";
  for (const auto& a : args) cmd += " " + test::Quote(a);
  cmd += " > " + test::Quote(dir.Path("doctor.out")) + " 2> " + test::Quote(dir.Path("doctor.err"));
  const int status = std::system(cmd.c_str());
  DoctorRun r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.report = json::parse(test::ReadAll(dir.Path("doctor.out")), nullptr, false);
  r.err = test::ReadAll(dir.Path("doctor.err"));
  return r;
}

json CheckNamed(const DoctorRun& run, const std::string& name) {
  if (!run.report.is_object()) return json();
  for (const auto& c : run.report["checks"]) {
    if (c["name"] == name) return c;
  }
  return json();
}

TEST(Doctor, AHealthyMachineIsReadyAndEveryCheckSaysWhatItDid) {
  testing::TempDir dir("presgen-doctor");
  const DoctorRun run = Doctor(dir, {"--data-dir", dir.Path("data")});
  ASSERT_TRUE(run.report.is_object()) << run.err;
  EXPECT_EQ(run.exit_code, 0) << run.report.dump(2);
  EXPECT_TRUE(run.report["ready"].get<bool>());
  std::vector<std::string> names;
  for (const auto& c : run.report["checks"]) {
    names.push_back(c["name"]);
    for (const char* key : {"name", "ok", "severity", "detail", "seconds"}) {
      EXPECT_TRUE(c.contains(key)) << key << " in " << c.dump();
    }
    EXPECT_FALSE(c["detail"].get<std::string>().empty()) << c.dump();
    if (c["severity"] == "required") {
      EXPECT_TRUE(c["ok"].get<bool>()) << c.dump();
    }
  }
  EXPECT_EQ(names, (std::vector<std::string>{"whisper_model", "pocketsphinx", "face_detection",
                                             "slide_fonts", "chromium", "ffmpeg", "temp_storage",
                                             "smoke_render"}));
  const json whisper = CheckNamed(run, "whisper_model");
  if (!whisper["ok"].get<bool>()) {
    // No model on this machine: a warning that says how to get one.
    EXPECT_EQ(whisper["severity"], "warning");
    EXPECT_NE(whisper["detail"].get<std::string>().find("scripts/fetch-model.sh"), std::string::npos);
  }
  const std::string smoke = CheckNamed(run, "smoke_render")["detail"];
  EXPECT_NE(smoke.find("a 3-minute 1080p video would take about"), std::string::npos) << smoke;
  EXPECT_NE(smoke.find("the test face was tracked"), std::string::npos) << smoke;
  EXPECT_NE(CheckNamed(run, "ffmpeg")["detail"].get<std::string>().find("decoded 60 frames"),
            std::string::npos);
}

TEST(Doctor, AWhisperModelNamedLoadsAndTranscribes) {
  testing::TempDir dir("presgen-doctor-model");
  std::string error;
  ASSERT_TRUE(test::WriteTinyWhisperModel(dir.Path("tiny.bin"), {}, &error)) << error;
  DoctorRun run = Doctor(dir, {"--no-smoke-render", "--asr-model", dir.Path("tiny.bin")});
  json check = CheckNamed(run, "whisper_model");
  EXPECT_TRUE(check["ok"].get<bool>()) << check.dump();
  EXPECT_NE(check["detail"].get<std::string>().find("transcribed 1 s of generated audio"),
            std::string::npos);
  // A model that is named but missing is a failure, not a warning.
  run = Doctor(dir, {"--no-smoke-render", "--asr-model", dir.Path("missing.bin")});
  EXPECT_EQ(run.exit_code, 1);
  check = CheckNamed(run, "whisper_model");
  EXPECT_FALSE(check["ok"].get<bool>());
  EXPECT_EQ(check["severity"], "required");
}

TEST(Doctor, AMissingFaceCascadeFailsFaceDetection) {
  testing::TempDir dir("presgen-doctor-face");
  const DoctorRun run =
      Doctor(dir, {"--no-smoke-render"}, "PRESGEN_FACE_CASCADE=" + test::Quote(dir.Path("gone.xml")));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_FALSE(run.report["ready"].get<bool>());
  const json check = CheckNamed(run, "face_detection");
  EXPECT_FALSE(check["ok"].get<bool>());
  EXPECT_NE(check["detail"].get<std::string>().find(dir.Path("gone.xml")), std::string::npos)
      << check.dump();
}

TEST(Doctor, AnUnwritableTemporaryFolderFailsTempStorage) {
  testing::TempDir dir("presgen-doctor-tmp");
  std::ofstream(dir.Path("a-file")) << "not a folder";  // root writes anywhere: use a file
  const DoctorRun run =
      Doctor(dir, {"--no-smoke-render"}, "TMPDIR=" + test::Quote(dir.Path("a-file")));
  EXPECT_EQ(run.exit_code, 1);
  const json check = CheckNamed(run, "temp_storage");
  EXPECT_FALSE(check["ok"].get<bool>());
  EXPECT_NE(check["detail"].get<std::string>().find("a-file is not a folder"), std::string::npos)
      << check.dump();
}

TEST(Doctor, ADeadLlmFailsAndALiveOneAnswers) {
  testing::TempDir dir("presgen-doctor-llm");
  // A port nobody listens on: bound, then closed.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  const int dead_port = ntohs(addr.sin_port);
  ::close(fd);
  DoctorRun run = Doctor(dir, {"--no-smoke-render", "--llm-url",
                               "http://127.0.0.1:" + std::to_string(dead_port) + "/v1",
                               "--llm-model", "demo"});
  EXPECT_EQ(run.exit_code, 1);
  json check = CheckNamed(run, "llm");
  EXPECT_FALSE(check["ok"].get<bool>()) << run.report.dump(2);
  EXPECT_NE(check["detail"].get<std::string>().find("cannot connect"), std::string::npos);

  testing::FakeOpenAiServer llm;
  llm.SetReply({200, testing::FakeOpenAiServer::ChatCompletion(
                         R"({"slides": [{"title": "Selling Online", "start_sentence": 0,
                             "bullets": [{"text": "Shops sell online", "sentence": 0}]}]})"),
                0});
  run = Doctor(dir, {"--no-smoke-render", "--llm-url", llm.base_url(), "--llm-model", "demo"});
  check = CheckNamed(run, "llm");
  EXPECT_TRUE(check["ok"].get<bool>()) << check.dump();
  EXPECT_EQ(llm.request_count(), 1u);
}

TEST(Doctor, LeftoversOfCrashedRunsAreRemovedAndLiveFilesKept) {
  testing::TempDir dir("presgen-doctor-stale");
  const std::string job = dir.Path("data/jobs/j_1/work");
  fs::create_directories(job);
  // pid_max is at most 4194304 (2^22): this writer can never have existed.
  const std::string dead = "4194305";
  const std::string mine = std::to_string(::getpid());
  for (const std::string& name : std::vector<std::string>{".output.next.mp4.part" + dead + ".mp4",
                                                          "deck.json.tmp." + dead,
                                                          "deck.json.tmp." + mine, "deck.json"}) {
    std::ofstream(job + "/" + name) << "x";
  }
  const DoctorRun run = Doctor(dir, {"--no-smoke-render", "--data-dir", dir.Path("data")});
  const json check = CheckNamed(run, "temp_storage");
  EXPECT_TRUE(check["ok"].get<bool>()) << check.dump();
  EXPECT_NE(check["detail"].get<std::string>().find("removed 2 of 2 leftover file(s)"),
            std::string::npos)
      << check.dump();
  EXPECT_FALSE(fs::exists(job + "/.output.next.mp4.part" + dead + ".mp4"));
  EXPECT_FALSE(fs::exists(job + "/deck.json.tmp." + dead));
  EXPECT_TRUE(fs::exists(job + "/deck.json.tmp." + mine)) << "its writer is alive";
  EXPECT_TRUE(fs::exists(job + "/deck.json"));
}

// The drawn face the checks rely on is found where it is drawn, and only there.
TEST(Doctor, TheDrawnFaceIsFoundAndABlankPictureHasNone) {
  auto detector = FaceDetector::Create();
  ASSERT_TRUE(detector.ok()) << detector.status().ToString();
  for (int size : {180, 360, 720}) {
    const SchematicFace face = DrawSchematicFace(size);
    const auto found = detector->Detect(face.gray.data(), face.size, face.size);
    ASSERT_EQ(found.size(), 1u) << size;
    EXPECT_NEAR(found[0].cx(), face.face.cx(), face.face.w / 4) << size;
    std::vector<uint8_t> blank(face.gray.size(), 200);
    EXPECT_TRUE(detector->Detect(blank.data(), face.size, face.size).empty()) << size;
  }
}

}  // namespace
}  // namespace presgen
