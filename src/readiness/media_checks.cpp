// ffmpeg: presgen's own encoder and decoders on a generated clip; smoke_render: a whole
// render of a generated clip, and what a 3-minute 1080p video would take on this machine.
#include <cmath>
#include <cstdio>

#include "core/sys.h"
#include "face/schematic_face.h"
#include "media/audio_extract.h"
#include "media/mp4_writer.h"
#include "media/probe.h"
#include "media/test_clip.h"
#include "media/video_decoder.h"
#include "pipeline/render_job.h"
#include "readiness/checks.h"

namespace presgen::readiness {
namespace {

constexpr double kFfmpegClipS = 2.0;
constexpr double kSmokeClipS = 3.0;
constexpr double kDemoVideoS = 180.0;
// A generated tone has no words, so its transcription says nothing of a talk's: speech is
// counted at PocketSphinx's real-time factor on 2 cores (bench/results.json, 0.065).
constexpr double kSpeechTranscribeRtf = 0.07;

std::string Fmt(const char* format, double a, double b = 0) {
  char buf[96];
  std::snprintf(buf, sizeof buf, format, a, b);
  return buf;
}

// The drawn face should be found and followed; a miss is worth saying (not a failure: the
// render still comes out, centre-cropped).
std::string FaceOutcome(const JobResult& r) {
  for (const auto& d : r.degraded) {
    if (d.stage == "face") return "face tracking: " + d.reason + " (" + d.fallback + ")";
  }
  return "the test face was tracked";
}

}  // namespace

ReadinessCheck CheckFfmpeg() {
  ReadinessCheck c;
  c.name = "ffmpeg";
  if (Status st = CheckEncoders(); !st.ok()) {
    c.detail = st.message();
    return c;
  }
  ScratchDir dir;
  if (!dir.ok()) {
    c.detail = dir.error();
    return c;
  }
  const std::string clip = dir.path() + "/clip.mp4";
  TestClipParams tp;
  tp.seconds = kFfmpegClipS;
  if (Status st = WriteTestClip(clip, tp); !st.ok()) {
    c.detail = "encoding a 2-second H.264/AAC clip failed: " + st.message();
    return c;
  }
  auto info = Probe(clip);
  if (!info.ok()) {
    c.detail = "the encoded clip does not probe: " + info.status().message();
    return c;
  }
  auto decoder = VideoDecoder::Open(clip, {});
  if (!decoder.ok()) {
    c.detail = "cannot decode the clip: " + decoder.status().message();
    return c;
  }
  int frames = 0;
  AVFrame* frame = nullptr;
  double t = 0;
  for (;;) {
    auto more = decoder->Next(&frame, &t);
    if (!more.ok()) {
      c.detail = "decoding the clip failed: " + more.status().message();
      return c;
    }
    if (!*more) break;
    ++frames;
  }
  auto audio = ExtractAudio(clip, {}, {});
  if (!audio.ok()) {
    c.detail = "decoding the clip's AAC failed: " + audio.status().message();
    return c;
  }
  const int expected = static_cast<int>(kFfmpegClipS * tp.fps);
  if (frames != expected || std::abs(audio->duration_s() - kFfmpegClipS) > 0.1) {
    c.detail = "the clip came back as " + std::to_string(frames) + " of " + std::to_string(expected) +
               " frames and " + Fmt("%.2f s of audio", audio->duration_s());
    return c;
  }
  c.ok = true;
  c.detail = "libx264 + AAC encoded, then decoded " + std::to_string(frames) + " frames and " +
             Fmt("%.2f s of audio", audio->duration_s()) + " (" + info->video_codec + "/" +
             info->audio_codec + ")";
  return c;
}

ReadinessCheck CheckSmokeRender() {
  ReadinessCheck c;
  c.name = "smoke_render";
  ScratchDir dir;
  if (!dir.ok()) {
    c.detail = dir.error();
    return c;
  }
  const std::string clip = dir.path() + "/smoke.mp4";
  const SchematicFace face = DrawSchematicFace(540);
  TestClipParams tp;
  tp.width = 1920;
  tp.height = 1080;
  tp.seconds = kSmokeClipS;
  tp.noise = 8;  // as grainy as a webcam's picture, so decoding costs what a real one does
  tp.overlay = &face.gray;
  tp.overlay_width = face.size;
  tp.overlay_height = face.size;
  if (Status st = WriteTestClip(clip, tp); !st.ok()) {
    c.detail = "cannot write the 1080p test clip: " + st.message();
    return c;
  }
  RenderOptions opt;
  opt.input_path = clip;
  opt.output_path = dir.path() + "/out.mp4";
  opt.workdir = dir.path() + "/work";
  opt.width = 1280;
  opt.height = 720;
  Stopwatch watch;
  auto result = RunRenderJob(opt, {});
  const double took = watch.ElapsedSeconds();
  if (!result.ok()) {
    c.detail = "rendering a generated 3-second 1080p clip failed: " + result.status().message();
    return c;
  }
  auto out = Probe(opt.output_path);
  if (!out.ok() || !out->has_video || !out->has_audio ||
      std::abs(out->duration_s - kSmokeClipS) > 0.2) {
    c.detail = "the rendered video is not right: " +
               (out.ok() ? Fmt("%.2f s long", out->duration_s) : out.status().message());
    return c;
  }
  // Stages that grow with the video's length, scaled up to 3 minutes; the rest (probe,
  // slides, start-up) counted once; transcription of 3 minutes of speech at its known rate.
  double scaled = 0, fixed = kSpeechTranscribeRtf * kDemoVideoS;
  for (const auto& [stage, seconds] : result->timings) {
    if (stage == "total" || stage == "face" || stage == "transcribe") continue;  // face: in compose
    if (stage == "audio" || stage == "compose" || stage == "hash") {
      scaled += seconds;
    } else {
      fixed += seconds;
    }
  }
  const double estimate = scaled * (kDemoVideoS / kSmokeClipS) + fixed;
  c.ok = true;
  c.detail = Fmt("rendered a generated 3-s 1080p clip in %.1f s (peak %.0f MB); ", took,
                 result->peak_rss_mb) +
             Fmt("a 3-minute 1080p video would take about %.0f s here (%.2fx real time, "
                 "PocketSphinx)", estimate, estimate / kDemoVideoS) +
             "; " + FaceOutcome(*result);
  return c;
}

}  // namespace presgen::readiness
