// Runs one file through every part of the media front a render uses — probe, audio
// extraction, a few decoded frames through the crop and analysis scalers, slide colour
// conversion, and the audio track (AAC copied or transcoded) muxed into a short MP4 —
// so that Valgrind can watch each library call (tests/memcheck). Prints what it did.
//
//   media_front_check INPUT OUTPUT_DIR
//
// Exit 0 when every step that applies to the file worked, 1 otherwise.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "media/audio_extract.h"
#include "media/audio_track.h"
#include "media/ffmpeg_log.h"
#include "media/frame_ops.h"
#include "media/mp4_writer.h"
#include "media/probe.h"
#include "media/video_decoder.h"

namespace presgen {
namespace {

constexpr int kFramesToDecode = 8;
constexpr double kMuxSeconds = 2.0;

bool Fail(const std::string& what, const Status& st) {
  std::fprintf(stderr, "media_front_check: %s: %s\n", what.c_str(), st.ToString().c_str());
  return false;
}

bool CheckVideo(const std::string& path, const MediaInfo& info) {
  auto dec = VideoDecoder::Open(path, {});
  if (!dec.ok()) return Fail("open video", dec.status());
  AvFramePtr out = MakeFrame();
  out->format = AV_PIX_FMT_YUV420P;
  out->width = 640;
  out->height = 360;
  if (av_frame_get_buffer(out.get(), 0) < 0) return Fail("frame", Status::Internal("no memory"));
  CropScaler crop_scaler;
  GrayScaler gray_scaler;
  std::vector<uint8_t> gray;
  int frames = 0;
  double sum = 0;
  for (; frames < kFramesToDecode; ++frames) {
    AVFrame* frame = nullptr;
    double t_s = 0;
    auto more = dec->Next(&frame, &t_s);
    if (!more.ok()) return Fail("decode", more.status());
    if (!*more) break;
    const Box box{frame->width * 0.25, 0, frame->width * 0.5, static_cast<double>(frame->height)};
    const CropRect crop = DisplayBoxToCoded(box, frame->width, frame->height, info.rotation_deg);
    Status st = crop_scaler.Run(frame, crop, info.rotation_deg, FrameRegion(out.get(), 0, 0, 320, 360));
    if (!st.ok()) return Fail("crop", st);
    st = gray_scaler.Run(frame, info.rotation_deg, 160, 90, &gray);
    if (!st.ok()) return Fail("grey", st);
    // Read what the scalers wrote, so an uninitialised output byte is reported here.
    for (uint8_t g : gray) sum += g;
    for (int y = 0; y < 360; ++y) sum += out->data[0][y * out->linesize[0] + 100];
  }
  if (frames == 0) return Fail("decode", Status::InvalidInput("no frame decoded"));
  std::printf("video: %d frames of %dx%d, rotation %d, mean %.1f\n", frames, info.width,
              info.height, info.rotation_deg, sum / (frames * (gray.size() + 360.0)));
  return true;
}

bool CheckSlideConversion() {
  BgraImage slide;
  slide.width = 322;  // not a multiple of 16: the scaler's tail handling runs too
  slide.height = 182;
  slide.pixels.resize(static_cast<size_t>(slide.width) * slide.height * 4);
  for (size_t i = 0; i < slide.pixels.size(); ++i) {
    slide.pixels[i] = (i % 4 == 3) ? 255 : static_cast<unsigned char>(i * 7);
  }
  auto yuv = BgraToYuv420(slide);
  if (!yuv.ok()) return Fail("slide conversion", yuv.status());
  double sum = 0;
  for (uint8_t v : yuv->y) sum += v;
  for (uint8_t v : yuv->u) sum += v;
  std::printf("slide: %dx%d -> 4:2:0, mean %.1f\n", yuv->width, yuv->height,
              sum / (yuv->y.size() + yuv->u.size()));
  return true;
}

// Audio and picture of the fixtures last as long as each other: nothing may go missing.
constexpr double kDurationToleranceS = 0.25;

bool CheckAudio(const std::string& path, const MediaInfo& info) {
  auto pcm = ExtractAudio(path, DefaultAudioExtractParams());
  if (!pcm.ok()) return Fail("extract audio", pcm.status());
  double energy = 0;
  for (float s : pcm->samples) energy += double(s) * s;
  std::printf("audio: %.2f s at %d Hz, energy %.3f\n", pcm->duration_s(), pcm->sample_rate,
              energy);
  if (std::abs(pcm->duration_s() - info.duration_s) > kDurationToleranceS || energy <= 0) {
    return Fail("extract audio", Status::InvalidInput("lost audio: " +
                                                      std::to_string(pcm->duration_s()) + " s of " +
                                                      std::to_string(info.duration_s) + " s"));
  }
  return true;
}

// The render's audio path: copy (AAC) or transcode into an MP4 beside a few black frames.
bool CheckAudioTrack(const std::string& path, const std::string& out_dir) {
  auto track = AudioTrack::Open(path, 0, kMuxSeconds);
  if (!track.ok()) return Fail("open audio track", track.status());
  VideoEncoderParams video;
  video.width = 64;
  video.height = 64;
  video.frame_rate = {10, 1};
  video.preset = "ultrafast";
  video.threads = 1;
  const std::string out = out_dir + "/media_front_check.mp4";
  auto writer = Mp4Writer::Open(out, video, track->output_params());
  if (!writer.ok()) return Fail("open writer", writer.status());
  const int frames = static_cast<int>(kMuxSeconds * 10);
  for (int i = 0; i < frames; ++i) {
    auto frame = writer->NextVideoFrame();
    if (!frame.ok()) return Fail("video frame", frame.status());
    for (int p = 0; p < 3; ++p) {
      const int h = p ? 32 : 64;
      for (int y = 0; y < h; ++y) {
        std::fill_n((*frame)->data[p] + y * (*frame)->linesize[p], p ? 32 : 64, p ? 128 : 16);
      }
    }
    Status st = writer->WriteVideoFrame(i);
    if (st.ok()) st = track->WriteUntil(*writer, (i + 1) / 10.0);
    if (!st.ok()) return Fail("mux", st);
  }
  Status st = track->Finish(*writer);
  if (st.ok()) st = writer->Finish();
  if (!st.ok()) return Fail("finish", st);
  auto written = Probe(out);
  if (!written.ok()) return Fail("probe output", written.status());
  auto heard = ExtractAudio(out, DefaultAudioExtractParams());
  if (!heard.ok()) return Fail("read output audio", heard.status());
  if (std::abs(heard->duration_s() - kMuxSeconds) > 0.1) {
    return Fail("mux", Status::InvalidInput("the output has " + std::to_string(heard->duration_s()) +
                                            " s of audio, not " + std::to_string(kMuxSeconds)));
  }
  std::printf("mux: %s audio, output %.2f s, %s %d Hz %d ch\n",
              track->copying() ? "copied" : "transcoded", written->duration_s,
              written->audio_codec.c_str(), written->sample_rate, written->channels);
  return true;
}

}  // namespace
}  // namespace presgen

int main(int argc, char** argv) {
  using namespace presgen;
  if (argc != 3) {
    std::fprintf(stderr, "usage: media_front_check INPUT OUTPUT_DIR\n");
    return 2;
  }
  RouteFfmpegLogs(false);
  const std::string path = argv[1];
  ProbeParams pp;
  pp.require_video = false;
  auto info = Probe(path, pp);
  if (!info.ok()) return Fail("probe", info.status()) ? 0 : 1;
  std::printf("probe: %s, %.2f s, video %s, audio %s %d Hz %d ch\n", info->container.c_str(),
              info->duration_s, info->has_video ? info->video_codec.c_str() : "none",
              info->has_audio ? info->audio_codec.c_str() : "none", info->sample_rate,
              info->channels);
  bool ok = CheckSlideConversion();
  if (info->has_video) ok = CheckVideo(path, *info) && ok;
  if (info->has_audio) ok = CheckAudio(path, *info) && CheckAudioTrack(path, argv[2]) && ok;
  return ok ? 0 : 1;
}
