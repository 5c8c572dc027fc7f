// Picture and sound that do not cover the same time: the output covers their union, holds
// the first or last picture where the video is missing, never cuts the audio, and keeps
// the two in sync (a flash and its beep within a frame). Inputs from
// tests/fixtures/timeline_media.py; the output is measured with the ffmpeg tools.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "e2e/run_cli.h"
#include "support/fixtures.h"

namespace presgen::test {
namespace {

using nlohmann::json;

constexpr double kFrameS = 1.0 / 30;

std::string Capture(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  ::pclose(p);
  return out;
}

struct Streams {
  double duration = 0, video_start = 0, video_end = 0, audio_start = 0, audio_end = 0;
};

Streams ProbeOutput(const std::string& path) {
  const json j = json::parse(Capture("ffprobe -v error -show_entries "
                                     "stream=codec_type,start_time,duration:format=duration "
                                     "-of json " + Quote(path)),
                             nullptr, false);
  Streams s;
  if (!j.is_object()) return s;
  s.duration = std::stod(j["format"].value("duration", "0"));
  for (const auto& st : j["streams"]) {
    const double start = std::stod(st.value("start_time", "0"));
    const double end = start + std::stod(st.value("duration", "0"));
    if (st["codec_type"] == "video") {
      s.video_start = start;
      s.video_end = end;
    } else if (st["codec_type"] == "audio") {
      s.audio_start = start;
      s.audio_end = end;
    }
  }
  return s;
}

// Output times of frames whose left half is bright (the flashes); one per run of frames.
std::vector<double> FlashTimes(const std::string& path) {
  const std::string raw = Capture("ffmpeg -nostdin -v error -i " + Quote(path) +
                                  " -vf crop=iw/2:ih:0:0,scale=32:18,format=gray -f rawvideo -");
  const size_t frame = 32 * 18;
  std::vector<double> out;
  bool was_bright = false;
  for (size_t i = 0; i + frame <= raw.size(); i += frame) {
    double sum = 0;
    for (size_t k = 0; k < frame; ++k) sum += static_cast<unsigned char>(raw[i + k]);
    const bool bright = sum / frame > 128;
    if (bright && !was_bright) out.push_back(static_cast<double>(i / frame) * kFrameS);
    was_bright = bright;
  }
  return out;
}

// Output times where a beep starts (5 ms windows of 16 kHz mono, the start padded with
// silence to output time 0).
std::vector<double> BeepTimes(const std::string& path) {
  const std::string raw = Capture("ffmpeg -nostdin -v error -i " + Quote(path) +
                                  " -vn -af aresample=async=1:first_pts=0 -ac 1 -ar 16000 "
                                  "-f s16le -");
  const size_t window = 80;  // 5 ms
  const auto* s = reinterpret_cast<const int16_t*>(raw.data());
  const size_t n = raw.size() / 2;
  std::vector<double> out;
  double last = -1;
  for (size_t i = 0; i + window <= n; i += window) {
    double energy = 0;
    for (size_t k = 0; k < window; ++k) energy += double(s[i + k]) * s[i + k];
    const double rms = std::sqrt(energy / window);
    const double t = static_cast<double>(i) / 16000;
    if (rms > 2000 && (last < 0 || t - last > 0.5)) {
      out.push_back(t);
      last = t;
    }
  }
  return out;
}

CliRun Render(const std::string& input, const std::string& dir) {
  return RunPresgen({"render", FixturePath(input), "-o", dir + "/out.mp4", "--size", "640x360",
                     "--no-cache", "-q"},
                    dir);
}

TEST(Timeline, AudioLongerThanTheVideoIsAllKeptOverTheLastPicture) {
  const std::string dir = ScratchDir("timeline_audio_longer");
  const CliRun run = Render("tl_audio_longer.mp4", dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const Streams s = ProbeOutput(dir + "/out.mp4");
  EXPECT_NEAR(s.duration, 14.0, 0.15);
  EXPECT_GE(s.audio_end - s.audio_start, 13.9) << "the talk's last seconds were cut";
  EXPECT_GE(s.video_end, 13.9) << "the last picture is held to the end";
  // The words said after the picture ended are in the transcript.
  const json t = json::parse(ReadAll(dir + "/out.presgen/transcript.json"));
  double last_word = 0;
  for (const auto& seg : t["segments"]) {
    for (const auto& w : seg["words"]) last_word = std::max(last_word, w["end"].get<double>());
  }
  EXPECT_GT(last_word, 9.0) << "no words after the 6-s picture";
}

TEST(Timeline, VideoLongerThanTheAudioKeepsEveryFrame) {
  const std::string dir = ScratchDir("timeline_video_longer");
  const CliRun run = Render("tl_video_longer.mp4", dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const Streams s = ProbeOutput(dir + "/out.mp4");
  EXPECT_NEAR(s.duration, 10.0, 0.15);
  EXPECT_GE(s.video_end, 9.9);
  EXPECT_NEAR(s.audio_end - s.audio_start, 5.0, 0.1);
}

class TimelineSync : public ::testing::TestWithParam<std::string> {};

// Every flash meets its beep within a frame, at the moment the input has them.
TEST_P(TimelineSync, FlashesMeetTheirBeepsAndNothingIsCut) {
  const std::string name = GetParam();
  const std::string dir = ScratchDir("timeline_" + name.substr(0, name.size() - 4));
  const CliRun run = Render(name, dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const json truth = json::parse(ReadAll(FixturePath("tl_sync.json")));
  const std::vector<double> expected = truth[name].get<std::vector<double>>();
  const std::string out = dir + "/out.mp4";
  const std::vector<double> flashes = FlashTimes(out), beeps = BeepTimes(out);
  ASSERT_EQ(flashes.size(), expected.size()) << ::testing::PrintToString(flashes);
  ASSERT_EQ(beeps.size(), expected.size()) << ::testing::PrintToString(beeps);
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_NEAR(flashes[i], beeps[i], kFrameS + 0.005) << "flash " << i << " out of sync";
    EXPECT_NEAR(beeps[i], expected[i], kFrameS + 0.03) << "beep " << i << " moved";
  }
  // The output covers both streams of the input.
  const Streams in = ProbeOutput(FixturePath(name));
  const double union_s = std::max(in.video_end, in.audio_end) - std::min(in.video_start, in.audio_start);
  EXPECT_NEAR(ProbeOutput(out).duration, union_s, 0.15);
}

INSTANTIATE_TEST_SUITE_P(Inputs, TimelineSync,
                         ::testing::Values("tl_sync_video_late.mp4", "tl_sync_audio_late.mp4",
                                           "tl_sync_editlist.mp4", "tl_sync_vfr.mp4"),
                         [](const auto& info) {
                           std::string n = info.param.substr(8);
                           return n.substr(0, n.size() - 4);
                         });

}  // namespace
}  // namespace presgen::test
