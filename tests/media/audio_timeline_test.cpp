// The speaker's audio lands at the right time and none of it is lost: audio that starts
// after the picture, streams that change layout and rate mid-way, and the AAC transcode
// that carries them into the output.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "core/json_io.h"
#include "media/audio_extract.h"
#include "media/audio_track.h"
#include "media/mp4_writer.h"
#include "media/probe.h"
#include "support/fixtures.h"
#include "support/temp_dir.h"

namespace presgen {
namespace {

using test::FixturePath;

// The first 10 ms frame whose level is clearly above silence, in seconds (-1 if none).
double FirstSoundS(const PcmAudio& audio) {
  const size_t hop = static_cast<size_t>(audio.sample_rate / 100);
  for (size_t i = 0; i + hop <= audio.samples.size(); i += hop) {
    double sum = 0;
    for (size_t k = 0; k < hop; ++k) sum += double(audio.samples[i + k]) * audio.samples[i + k];
    if (std::sqrt(sum / double(hop)) > 0.01) return double(i) / audio.sample_rate;
  }
  return -1;
}

// Writes `seconds` of `input`'s audio beside black frames into an MP4, as a render does.
std::string Mux(const std::string& input, double seconds, const std::string& out, bool* copied) {
  auto track = AudioTrack::Open(input, 0, seconds);
  EXPECT_TRUE(track.ok()) << track.status().ToString();
  if (!track.ok()) return "";
  *copied = track->copying();
  VideoEncoderParams video;
  video.width = video.height = 64;
  video.frame_rate = {10, 1};
  video.preset = "ultrafast";
  auto writer = Mp4Writer::Open(out, video, track->output_params());
  EXPECT_TRUE(writer.ok()) << writer.status().ToString();
  if (!writer.ok()) return "";
  for (int i = 0; i < static_cast<int>(seconds * 10); ++i) {
    AVFrame* frame = writer->NextVideoFrame().value();
    for (int p = 0; p < 3; ++p)
      for (int y = 0; y < (p ? 32 : 64); ++y)
        std::fill_n(frame->data[p] + y * frame->linesize[p], p ? 32 : 64, p ? 128 : 16);
    EXPECT_TRUE(writer->WriteVideoFrame(i).ok());
    EXPECT_TRUE(track->WriteUntil(*writer, (i + 1) / 10.0).ok());
  }
  EXPECT_TRUE(track->Finish(*writer).ok());
  EXPECT_TRUE(writer->Finish().ok());
  return out;
}

// When the pitch's first word is said in its own audio (pitch.json).
double PitchOnsetS() {
  auto truth = ReadJsonFile(FixturePath("pitch.json"));
  return truth.ok() ? (*truth)["sentences"][0]["start"].get<double>() : -1;
}

TEST(AudioTimeline, AudioThatStartsLateIsHeardWhenItIsSaid) {
  // odd_late_audio.mkv: the pitch's audio starts 1 s after the picture, so its opening
  // word is said 1 s later on the video's clock; the transcript used to put it 1 s early.
  const double said_s = PitchOnsetS() + 1.0;
  auto audio = ExtractAudio(FixturePath("odd_late_audio.mkv"), DefaultAudioExtractParams());
  ASSERT_TRUE(audio.ok()) << audio.status().ToString();
  EXPECT_NEAR(FirstSoundS(*audio), said_s, 0.1);
  EXPECT_NEAR(audio->duration_s(), 4.0, 0.1) << "the whole of the speech, on the video's clock";

  testing::TempDir dir;
  bool copied = true;
  const std::string out = Mux(FixturePath("odd_late_audio.mkv"), 3.0, dir.Path("late.mp4"), &copied);
  EXPECT_FALSE(copied) << "MP3 is transcoded to AAC";
  auto muxed = ExtractAudio(out, DefaultAudioExtractParams());
  ASSERT_TRUE(muxed.ok()) << muxed.status().ToString();
  EXPECT_NEAR(FirstSoundS(*muxed), said_s, 0.1) << "the output keeps the offset";
  EXPECT_NEAR(muxed->duration_s(), 3.0, 0.1);
}

TEST(AudioTimeline, AStreamThatChangesRateAndLayoutLosesNothing) {
  // 1 s of 22.05 kHz mono, then 2 s of 48 kHz stereo, in one MP2 stream.
  const std::string input = FixturePath("odd_param_change.ts");
  auto audio = ExtractAudio(input, DefaultAudioExtractParams());
  ASSERT_TRUE(audio.ok()) << audio.status().ToString();
  EXPECT_NEAR(audio->duration_s(), 3.0, 0.12);
  // Speech is heard on both sides of the change.
  auto loud_between = [&](double from_s, double to_s) {
    double sum = 0;
    const size_t a = static_cast<size_t>(from_s * audio->sample_rate);
    const size_t b = std::min(audio->samples.size(), static_cast<size_t>(to_s * audio->sample_rate));
    for (size_t i = a; i < b; ++i) sum += double(audio->samples[i]) * audio->samples[i];
    return b > a && std::sqrt(sum / double(b - a)) > 0.01;
  };
  EXPECT_TRUE(loud_between(0.5, 1.0));
  EXPECT_TRUE(loud_between(1.0, 3.0));

  testing::TempDir dir;
  bool copied = true;
  const std::string out = Mux(input, 2.5, dir.Path("change.mp4"), &copied);
  EXPECT_FALSE(copied);
  auto written = Probe(out);
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  EXPECT_EQ(written->audio_codec, "aac");
  auto muxed = ExtractAudio(out, DefaultAudioExtractParams());
  ASSERT_TRUE(muxed.ok());
  EXPECT_NEAR(muxed->duration_s(), 2.5, 0.1) << "audio after the change reached the output";
}

}  // namespace
}  // namespace presgen
