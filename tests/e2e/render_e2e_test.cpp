// End-to-end: the presgen binary renders generated fixtures; the tests check the
// files it writes by decoding them, as a viewer's player would.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "asr/wer.h"
#include "e2e/output_inspector.h"
#include "e2e/run_cli.h"
#include "support/fixtures.h"
#include "support/tiny_whisper_model.h"

extern "C" {
#include <libavcodec/avcodec.h>
}

namespace fs = std::filesystem;

namespace presgen::test {
namespace {

// Mean absolute luma change of the right half between frames: a still slide
// measures < 0.2 (encoder noise), a 0.5 s crossfade between two light slides
// about 0.5 per frame over its 15 frames.
constexpr double kSlideChangeThreshold = 0.3;

nlohmann::json ReadJson(const std::string& path) { return nlohmann::json::parse(ReadAll(path)); }

class PitchRender : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Rendered once for all tests by render_pitch_once (CTest fixture e2e_pitch).
    dir_ = new std::string(PitchRenderDir());
    out_ = new std::string(*dir_ + "/pitch_deck.mp4");
    run_ = new CliRun(ReadSavedRun(*dir_));
    if (run_->exit_code == 0) report_ = new OutputReport(InspectOutput(*out_));
  }
  static void TearDownTestSuite() {
    delete run_;
    delete report_;
    delete out_;
    delete dir_;
  }
  static std::string Workdir() { return *dir_ + "/pitch_deck.presgen"; }
  void SetUp() override {
    ASSERT_EQ(run_->exit_code, 0) << run_->err;
    ASSERT_NE(report_, nullptr);
  }

  static std::string* dir_;
  static std::string* out_;
  static CliRun* run_;
  static OutputReport* report_;
};
std::string* PitchRender::dir_ = nullptr;
std::string* PitchRender::out_ = nullptr;
CliRun* PitchRender::run_ = nullptr;
OutputReport* PitchRender::report_ = nullptr;

TEST_F(PitchRender, OutputIsH264HighYuv420pAacAtTheInputsDuration) {
  const auto fixture = ReadJson(FixturePath("pitch.json"));
  EXPECT_EQ(report_->video_codec, "h264");
  EXPECT_EQ(report_->profile, FF_PROFILE_H264_HIGH);
  EXPECT_EQ(report_->pixel_format, "yuv420p");
  EXPECT_EQ(report_->width, 1280);
  EXPECT_EQ(report_->height, 720);
  EXPECT_NEAR(report_->fps, 30, 0.01);
  EXPECT_EQ(report_->audio_codec, "aac");
  EXPECT_NEAR(report_->duration_s, fixture["duration"].get<double>(), 0.1);
  EXPECT_NEAR(report_->audio_duration_s, report_->duration_s, 0.1);
}

TEST_F(PitchRender, ResultJsonOnStdoutMatchesTheFileAndListsEveryStage) {
  const auto printed = nlohmann::json::parse(run_->out);
  const auto file = ReadJson(Workdir() + "/result.json");
  EXPECT_EQ(printed, file);
  EXPECT_TRUE(file["success"].get<bool>());
  EXPECT_EQ(file["output"], *out_);
  EXPECT_TRUE(file["degraded"].empty()) << file["degraded"].dump();
  for (const char* stage : {"probe", "audio", "transcribe", "face", "slides", "compose", "total"}) {
    EXPECT_TRUE(file["timings"].contains(stage)) << stage;
  }
  EXPECT_GT(file["peak_rss_mb"].get<double>(), 10);
  EXPECT_EQ(file["engines"]["asr"], "pocketsphinx");
  EXPECT_EQ(file["input"]["video_codec"], "h264");
}

TEST_F(PitchRender, WritesEveryArtifact) {
  for (const char* name : {"result.json", "transcript.json", "transcript.srt", "transcript.vtt",
                           "deck.json", "face_track.json", "deck.pdf", "slides/01.png"}) {
    EXPECT_TRUE(fs::exists(Workdir() + "/" + name)) << name;
  }
  const auto deck = ReadJson(Workdir() + "/deck.json");
  const size_t n = deck["slides"].size();
  EXPECT_GE(n, 3u);
  EXPECT_LE(n, 5u);
  char png[16];
  std::snprintf(png, sizeof png, "slides/%02zu.png", n);
  EXPECT_TRUE(fs::exists(Workdir() + "/" + png));
  const auto track = ReadJson(Workdir() + "/face_track.json");
  EXPECT_FALSE(track["samples"].empty());
  EXPECT_FALSE(track["crop_path"].empty());
}

// The fixture's facts reach the slides as figures; each slide appears on the first
// word of a sentence; each bullet names the transcript words it came from.
TEST_F(PitchRender, DeckSummarisesThePitchOnItsWords) {
  const auto deck = ReadJson(Workdir() + "/deck.json");
  const auto transcript = ReadJson(Workdir() + "/transcript.json");
  const auto& slides = deck["slides"];
  ASSERT_GE(slides.size(), 3u);
  EXPECT_EQ(slides[0]["title"], "Green Box");  // the introduction is a title slide
  EXPECT_EQ(slides[0].value("subtitle", ""), "Anna, Founder");
  std::string all;
  for (size_t i = 0; i < slides.size(); ++i) {
    for (const auto& b : slides[i]["bullets"]) all += b.get<std::string>() + " | ";
    ASSERT_EQ(slides[i].value("sources", nlohmann::json::array()).size(),
              slides[i]["bullets"].size());
    if (i == 0) continue;
    const double start = slides[i]["start"];
    double nearest = 1e9;
    for (const auto& seg : transcript["segments"])
      nearest = std::min(nearest, std::abs(seg["words"][0]["start"].get<double>() - start));
    EXPECT_LT(nearest, 0.1) << "slide " << i << " starts at " << start;
    for (const auto& src : slides[i].value("sources", nlohmann::json::array())) {
      const auto& words = transcript["segments"][src["segment"].get<size_t>()]["words"];
      EXPECT_DOUBLE_EQ(src["start"].get<double>(),
                       words[src["first_word"].get<size_t>()]["start"].get<double>());
      EXPECT_GE(src["start"].get<double>(), start);
    }
  }
  std::printf("[ measured ] pitch deck bullets: %s\n", all.c_str());
  for (const char* fact : {"40%", "$10K", "$2B", "12 restaurants"})
    EXPECT_NE(all.find(fact), std::string::npos) << fact << " not in " << all;
}

TEST_F(PitchRender, TranscriptWordErrorRateAtMostAQuarter) {
  const auto fixture = ReadJson(FixturePath("pitch.json"));
  const auto transcript = ReadJson(Workdir() + "/transcript.json");
  std::string hyp;
  for (const auto& s : transcript["segments"]) hyp += s["text"].get<std::string>() + " ";
  const double wer = WordErrorRate(fixture["text"], hyp);
  std::printf("[ measured ] pitch fixture WER = %.3f\n", wer);
  EXPECT_LE(wer, 0.25) << hyp;
}

TEST_F(PitchRender, FaceIsInTheLeftHalf) {
  ASSERT_FALSE(report_->left_face.empty());
  const auto found = std::count(report_->left_face.begin(), report_->left_face.end(), true);
  EXPECT_GE(found, static_cast<long>(report_->left_face.size() * 0.9))
      << found << " of " << report_->left_face.size();
}

TEST_F(PitchRender, RightHalfChangesAtSlideStartsAndNowhereElse) {
  const auto deck = ReadJson(Workdir() + "/deck.json");
  std::vector<double> starts;
  for (size_t i = 1; i < deck["slides"].size(); ++i) starts.push_back(deck["slides"][i]["start"]);
  const auto events = ChangeEvents(*report_, kSlideChangeThreshold);
  ASSERT_EQ(events.size(), starts.size()) << "change events vs slide starts";
  for (size_t i = 0; i < starts.size(); ++i) {
    EXPECT_NEAR(events[i], starts[i], 0.25) << "slide " << i + 2;
  }
}

TEST_F(PitchRender, EditedDeckReRendersWithTheNewSlides) {
  auto deck = ReadJson(Workdir() + "/deck.json");
  deck["slides"][0]["title"] = "Edited Title";
  const double moved = deck["slides"][1]["start"].get<double>() + 1.0;
  deck["slides"][1]["start"] = moved;
  const std::string dir = ScratchDir("edited");
  const std::string edited = dir + "/edited_deck.json";
  std::ofstream(edited) << deck.dump();
  const std::string out2 = dir + "/edited.mp4";
  auto run = RunPresgen({"render", FixturePath("pitch.mp4"), "-o", out2, "--deck", edited,
                         "--asr", "pocketsphinx", "-q"},
                        dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto written = ReadJson(dir + "/edited.presgen/deck.json");
  EXPECT_EQ(written["slides"][0]["title"], "Edited Title");
  // The edit re-used the first render's transcript and face track (the stage cache).
  const auto result = ReadJson(dir + "/edited.presgen/result.json");
  EXPECT_EQ(result["reused"], nlohmann::json::array({"transcribe", "face"})) << result.dump();
  EXPECT_FALSE(result["timings"].contains("transcribe"));
  EXPECT_EQ(ReadJson(dir + "/edited.presgen/transcript.json"),
            ReadJson(Workdir() + "/transcript.json"));
  EXPECT_EQ(ReadJson(dir + "/edited.presgen/face_track.json")["crop_path"],
            ReadJson(Workdir() + "/face_track.json")["crop_path"]);
  EXPECT_TRUE(ReadJson(Workdir() + "/result.json")["reused"].empty());
  const auto events = ChangeEvents(InspectOutput(out2), kSlideChangeThreshold);
  ASSERT_FALSE(events.empty());
  EXPECT_NEAR(events[0], moved, 0.25);
}

struct BadInput {
  const char* file;
  const char* why;  // part of the message
};

void PrintTo(const BadInput& b, std::ostream* os) { *os << b.file; }

class BadInputs : public ::testing::TestWithParam<BadInput> {};

TEST_P(BadInputs, ExitTwoWithOneLineNamingTheFileAndNoOutput) {
  const std::string dir = ScratchDir(std::string("bad_") + GetParam().file);
  const std::string input = FixturePath(GetParam().file);
  const std::string out = dir + "/out.mp4";
  auto run = RunPresgen({"render", input, "-o", out}, dir);
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
  EXPECT_NE(run.err.find(input), std::string::npos) << run.err;
  EXPECT_NE(run.err.find(GetParam().why), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(out));
  for (const auto& e : fs::directory_iterator(dir)) {
    EXPECT_EQ(e.path().extension() == ".mp4", false) << "left behind: " << e.path();
  }
}

INSTANTIATE_TEST_SUITE_P(
    E2E, BadInputs,
    ::testing::Values(BadInput{"missing.mp4", "no such file"},
                      BadInput{"not_a_video.mp4", "not a readable video"},
                      BadInput{"truncated_noindex.mp4", "cut off before its index"},
                      BadInput{"audio_only.m4a", "no video stream"}),
    [](const auto& info) {
      std::string n = info.param.file;
      std::replace_if(n.begin(), n.end(), [](char c) { return !std::isalnum(c); }, '_');
      return n;
    });

TEST(Usage, BadArgumentsExitTwo) {
  const std::string dir = ScratchDir("usage");
  EXPECT_EQ(RunPresgen({"render"}, dir).exit_code, 2);
  EXPECT_EQ(RunPresgen({"render", FixturePath("pitch.mp4"), "-o", dir + "/o.mp4", "--size", "big"},
                       dir)
                .exit_code,
            2);
  EXPECT_EQ(RunPresgen({"render", FixturePath("pitch.mp4"), "-o", dir + "/nope/o.mp4"}, dir)
                .exit_code,
            2);
  EXPECT_EQ(RunPresgen({"frobnicate"}, dir).exit_code, 2);
}

nlohmann::json RenderAndReadResult(const std::string& fixture, const std::string& name,
                                   OutputReport* report) {
  const std::string dir = ScratchDir(name);
  auto run = RunPresgen({"render", FixturePath(fixture), "-o", dir + "/out.mp4", "-q"}, dir);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  if (report) *report = InspectOutput(dir + "/out.mp4");
  return ReadJson(dir + "/out.presgen/result.json");
}

bool HasDegraded(const nlohmann::json& result, const std::string& stage) {
  for (const auto& d : result["degraded"]) {
    if (d["stage"] == stage && !d["reason"].get<std::string>().empty()) return true;
  }
  return false;
}

TEST(Degraded, NoAudioGivesATitleOnlyDeckAndSaysSo) {
  OutputReport report;
  const auto result = RenderAndReadResult("noaudio.mp4", "noaudio", &report);
  EXPECT_TRUE(result["success"].get<bool>());
  EXPECT_TRUE(HasDegraded(result, "transcribe")) << result["degraded"].dump();
  EXPECT_EQ(result["engines"]["summarizer"], "title-only");
  EXPECT_NEAR(report.duration_s, 4.0, 0.1);
  EXPECT_TRUE(report.audio_codec.empty());
}

class Formats : public ::testing::TestWithParam<const char*> {};

// Every container and codec the README promises renders to the same kind of MP4.
TEST_P(Formats, RenderToH264AacMp4OfTheSameDuration) {
  const std::string input = FixturePath(GetParam());
  std::string name = GetParam();
  std::replace(name.begin(), name.end(), '.', '_');
  const std::string dir = ScratchDir(name);
  auto run = RunPresgen({"render", input, "-o", dir + "/out.mp4", "--asr", "pocketsphinx", "-q"},
                        dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const OutputReport r = InspectOutput(dir + "/out.mp4");
  EXPECT_EQ(r.video_codec, "h264");
  EXPECT_EQ(r.audio_codec, "aac");
  EXPECT_EQ(r.width, 1280);
  EXPECT_EQ(r.height, 720);
  EXPECT_NEAR(r.duration_s, 4.0, 0.15);
  EXPECT_NEAR(r.audio_duration_s, r.duration_s, 0.15);
  EXPECT_GE(std::count(r.left_face.begin(), r.left_face.end(), true), 2);
}

INSTANTIATE_TEST_SUITE_P(E2E, Formats,
                         ::testing::Values("format_vp9.webm", "format_hevc.mkv",
                                           "format_mpeg4.avi", "format_1080p25_pcm.mov"),
                         [](const auto& info) {
                           std::string n = info.param;
                           std::replace_if(n.begin(), n.end(),
                                           [](char c) { return !std::isalnum(c); }, '_');
                           return n;
                         });

bool RealWhisperModelInstalled() {
  return fs::exists("models/ggml-base.en.bin") ||
         fs::exists(std::string(PRESGEN_SOURCE_DIR) + "/models/ggml-base.en.bin");
}

TEST(Degraded, NoFaceGivesACentredCropAndSaysSo) {
  unsetenv("PRESGEN_WHISPER_MODEL");
  const auto result = RenderAndReadResult("noface.mp4", "noface", nullptr);
  EXPECT_TRUE(result["success"].get<bool>());
  EXPECT_TRUE(HasDegraded(result, "face")) << result["degraded"].dump();
  // Default --asr auto without a Whisper model: PocketSphinx, and the result says so.
  if (!RealWhisperModelInstalled()) {
    EXPECT_EQ(result["engines"]["asr"], "pocketsphinx");
    EXPECT_TRUE(HasDegraded(result, "transcribe")) << result["degraded"].dump();
    EXPECT_NE(result["degraded"].dump().find("no Whisper model found"), std::string::npos);
  }
}

TEST(WhisperEngine, RendersWithAGivenModel) {
  const std::string dir = ScratchDir("whisper_render");
  const std::string model = dir + "/tiny-q5_1.bin";
  TinyWhisperSpec spec;
  spec.type = TinyWhisperSpec::Type::kQ5_1;
  std::string error;
  ASSERT_TRUE(WriteTinyWhisperModel(model, spec, &error)) << error;
  auto run = RunPresgen({"render", FixturePath("noface.mp4"), "-o", dir + "/out.mp4", "--asr",
                         "whisper", "--asr-model", model, "--threads", "1", "-q"},
                        dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto result = ReadJson(dir + "/out.presgen/result.json");
  EXPECT_EQ(result["engines"]["asr"], "whisper");
  EXPECT_FALSE(HasDegraded(result, "transcribe")) << result["degraded"].dump();
  const auto transcript = ReadJson(dir + "/out.presgen/transcript.json");
  EXPECT_EQ(transcript["engine"], "whisper");
  EXPECT_TRUE(fs::exists(dir + "/out.mp4"));
}

TEST(WhisperEngine, NamedModelMustExistAndBeAModel) {
  const std::string dir = ScratchDir("whisper_bad_model");
  std::ofstream(dir + "/junk.bin") << "not a model";
  for (const std::string& model : {dir + "/absent.bin", dir + "/junk.bin"}) {
    auto run = RunPresgen({"render", FixturePath("noface.mp4"), "-o", dir + "/out.mp4",
                           "--asr-model", model},
                          dir);
    EXPECT_EQ(run.exit_code, 2) << run.err;
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
    EXPECT_NE(run.err.find(model), std::string::npos) << run.err;
    EXPECT_FALSE(fs::exists(dir + "/out.mp4"));
  }
}

TEST(TranscribeCommand, WritesTranscriptAndSubtitles) {
  const std::string dir = ScratchDir("transcribe");
  auto run = RunPresgen({"transcribe", FixturePath("pitch.wav"), "-o", dir + "/t.json", "--srt",
                         dir + "/t.srt", "--vtt", dir + "/t.vtt", "--asr", "pocketsphinx"},
                        dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto t = ReadJson(dir + "/t.json");
  EXPECT_EQ(t["engine"], "pocketsphinx");
  std::string hyp;
  for (const auto& s : t["segments"]) hyp += s["text"].get<std::string>() + " ";
  EXPECT_LE(WordErrorRate(ReadJson(FixturePath("pitch.json"))["text"], hyp), 0.25) << hyp;
  const std::string srt = ReadAll(dir + "/t.srt"), vtt = ReadAll(dir + "/t.vtt");
  size_t cues = 0;
  for (size_t p = 0; (p = srt.find(" --> ", p)) != std::string::npos; ++p) ++cues;
  EXPECT_EQ(cues, t["segments"].size());
  EXPECT_EQ(vtt.rfind("WEBVTT", 0), 0u);
  // Without -o the transcript goes to stdout.
  auto printed = RunPresgen({"transcribe", FixturePath("one_second.wav"), "-q", "--asr",
                             "pocketsphinx"},
                            dir);
  ASSERT_EQ(printed.exit_code, 0) << printed.err;
  EXPECT_EQ(nlohmann::json::parse(printed.out)["engine"], "pocketsphinx");
}

TEST(TranscribeCommand, BadInputsExitTwo) {
  const std::string dir = ScratchDir("transcribe_bad");
  unsetenv("PRESGEN_WHISPER_MODEL");
  for (const auto& [file, why] : {std::pair{std::string("missing.wav"), "no such file"},
                                  std::pair{std::string("noaudio.mp4"), "no audio stream"},
                                  std::pair{std::string("not_a_video.mp4"), "not a readable"}}) {
    auto run = RunPresgen({"transcribe", FixturePath(file), "-o", dir + "/t.json"}, dir);
    EXPECT_EQ(run.exit_code, 2) << file << ": " << run.err;
    EXPECT_NE(run.err.find(why), std::string::npos) << run.err;
    EXPECT_NE(run.err.find(file), std::string::npos) << run.err;
    EXPECT_FALSE(fs::exists(dir + "/t.json"));
  }
  if (!RealWhisperModelInstalled()) {
    auto run = RunPresgen({"transcribe", FixturePath("pitch.wav"), "--asr", "whisper"}, dir);
    EXPECT_EQ(run.exit_code, 2) << run.err;
    EXPECT_NE(run.err.find("fetch-model.sh"), std::string::npos) << run.err;
  }
}

TEST(Rotation, PortraitPhoneVideoComesOutUpright) {
  OutputReport report;
  const auto result = RenderAndReadResult("rotated.mp4", "rotated", &report);
  EXPECT_TRUE(result["success"].get<bool>());
  EXPECT_EQ(result["input"]["rotation"], 270);
  ASSERT_FALSE(report.left_face.empty());
  const auto found = std::count(report.left_face.begin(), report.left_face.end(), true);
  EXPECT_GE(found, static_cast<long>(report.left_face.size() * 0.8));
}

}  // namespace
}  // namespace presgen::test
