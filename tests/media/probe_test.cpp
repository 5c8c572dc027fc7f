#include <gtest/gtest.h>

#include "media/audio_extract.h"
#include "media/probe.h"
#include "support/fixtures.h"

namespace presgen {
namespace {

using test::FixturePath;

TEST(Probe, ReadsAFaceVideo) {
  auto info = Probe(FixturePath("pitch.mp4"));
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_TRUE(info->has_video);
  EXPECT_EQ(info->video_codec, "h264");
  EXPECT_EQ(info->width, 1280);
  EXPECT_EQ(info->height, 720);
  EXPECT_EQ(info->rotation_deg, 0);
  EXPECT_NEAR(info->fps, 30.0, 0.01);
  EXPECT_TRUE(info->has_audio);
  EXPECT_EQ(info->audio_codec, "aac");
  EXPECT_GT(info->duration_s, 30.0);
}

TEST(Probe, HonoursRotationMetadata) {
  auto info = Probe(FixturePath("rotated.mp4"));
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->width, 1280);
  // Stored sideways (turned clockwise); players turn it back a quarter counter-clockwise.
  EXPECT_EQ(info->rotation_deg, 270);
  EXPECT_EQ(info->display_width, 720);
  EXPECT_EQ(info->display_height, 1280);
}

TEST(Probe, VideoWithoutAudio) {
  auto info = Probe(FixturePath("noaudio.mp4"));
  ASSERT_TRUE(info.ok());
  EXPECT_FALSE(info->has_audio);
}

TEST(Probe, BadInputsAreUserErrorsNamingTheFile) {
  struct Case {
    const char* name;
    StatusCode code;
  } cases[] = {{"missing.mp4", StatusCode::kNotFound},
               {"not_a_video.mp4", StatusCode::kUnsupported},
               {"truncated_noindex.mp4", StatusCode::kInvalidInput},
               {"audio_only.m4a", StatusCode::kUnsupported}};
  for (const auto& c : cases) {
    const std::string path = FixturePath(c.name);
    auto info = Probe(path);
    ASSERT_FALSE(info.ok()) << c.name;
    EXPECT_EQ(info.status().code(), c.code) << c.name << ": " << info.status().ToString();
    EXPECT_TRUE(info.status().IsUserError());
    EXPECT_NE(info.status().message().find(path), std::string::npos) << info.status().message();
  }
}

// A recording cut off after its index (faststart MP4): the part that is there is the input,
// and the probe says how much the header announced.
TEST(Probe, CutRecordingIsThePartThatCanBeRead) {
  auto whole = Probe(FixturePath("pitch.mp4"));
  auto cut = Probe(FixturePath("truncated.mp4"));
  ASSERT_TRUE(whole.ok() && cut.ok()) << cut.status().ToString();
  EXPECT_FALSE(whole->truncated());
  ASSERT_TRUE(cut->truncated());
  EXPECT_NEAR(cut->announced_duration_s, whole->duration_s, 0.1);
  // A third of the bytes: roughly a third of the time, never more than is there.
  EXPECT_GT(cut->duration_s, whole->duration_s * 0.2);
  EXPECT_LT(cut->duration_s, whole->duration_s * 0.45);
}

TEST(Probe, RefusesOverlongInputs) {
  ProbeParams p;
  p.max_duration_s = 5;
  auto info = Probe(FixturePath("pitch.mp4"), p);
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().code(), StatusCode::kUnsupported);
}

TEST(AudioExtract, MonoSixteenKilohertzOfTheWholeTrack) {
  auto info = Probe(FixturePath("pitch.mp4"));
  ASSERT_TRUE(info.ok());
  double last_progress = 0;
  StageCallbacks cb;
  cb.on_progress = [&](double f) { last_progress = f; };
  auto pcm = ExtractAudio(FixturePath("pitch.mp4"), {}, cb);
  ASSERT_TRUE(pcm.ok()) << pcm.status().ToString();
  EXPECT_EQ(pcm->sample_rate, 16000);
  EXPECT_NEAR(pcm->duration_s(), info->duration_s, 0.1);
  EXPECT_DOUBLE_EQ(last_progress, 1.0);
  double energy = 0;
  for (float s : pcm->samples) energy += s * s;
  EXPECT_GT(energy / pcm->samples.size(), 1e-4);  // speech, not silence
}

TEST(AudioExtract, NoAudioStreamIsUnavailable) {
  auto pcm = ExtractAudio(FixturePath("noaudio.mp4"), {});
  ASSERT_FALSE(pcm.ok());
  EXPECT_EQ(pcm.status().code(), StatusCode::kUnavailable);
}

TEST(AudioExtract, CancelStopsPromptly) {
  StageCallbacks cb;
  cb.should_abort = [] { return true; };
  auto pcm = ExtractAudio(FixturePath("pitch.mp4"), {}, cb);
  ASSERT_FALSE(pcm.ok());
  EXPECT_EQ(pcm.status().code(), StatusCode::kCancelled);
}

}  // namespace
}  // namespace presgen
