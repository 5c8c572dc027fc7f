#include "face/face_sampler.h"

#include <cmath>
#include <opencv2/core/utility.hpp>
#include <vector>

#include "media/frame_ops.h"
#include "media/video_decoder.h"

namespace presgen {
namespace {

// The largest face moved by more than `fraction` of its width, appeared or vanished.
bool Moved(const FaceSample& before, const FaceSample& now, double fraction) {
  if (before.faces.empty() != now.faces.empty()) return true;
  if (now.faces.empty()) return false;
  const Box& a = before.faces.front();
  const Box& b = now.faces.front();
  return std::hypot(a.cx() - b.cx(), a.cy() - b.cy()) > fraction * std::max(a.w, b.w);
}

}  // namespace

Result<FaceTrack> SampleFaces(const std::string& path, const MediaInfo& info,
                              const FaceSamplerParams& params, const StageCallbacks& callbacks) {
  cv::setNumThreads(params.threads);  // OpenCV's pool is global: stay within our share
  auto detector = FaceDetector::Create(params.detector);
  if (!detector.ok()) return detector.status();
  VideoDecoderParams vp;
  vp.threads = params.threads;
  vp.quality = DecodeQuality::kFast;
  vp.should_abort = callbacks.should_abort;
  auto decoder = VideoDecoder::Open(path, vp);
  if (!decoder.ok()) return decoder.status();

  FaceTrack track;
  track.detector = detector->name();
  track.frame_width = info.display_width;
  track.frame_height = info.display_height;
  track.sample_fps = params.sample_fps;
  // Sampling a few frames per second: frames nobody references are never needed.
  decoder->SkipNonReferenceFrames(info.fps > 2 * std::max(params.sample_fps, params.burst_fps));

  // Analysis size: the shorter side at analysis_short_side (never upscaled).
  const double scale = std::min(1.0, static_cast<double>(params.analysis_short_side) /
                                         std::min(info.display_width, info.display_height));
  const int aw = std::max(2, static_cast<int>(std::lround(info.display_width * scale)));
  const int ah = std::max(2, static_cast<int>(std::lround(info.display_height * scale)));
  const double to_display = static_cast<double>(info.display_width) / aw;
  GrayScaler scaler;
  std::vector<uint8_t> gray;
  const double step_s = 1.0 / params.sample_fps;
  const double burst_step_s = 1.0 / std::max(params.sample_fps, params.burst_fps);
  double next_s = 0;
  double burst_until_s = -1;
  AVFrame* frame = nullptr;
  double t_s = 0;
  while (true) {
    auto more = decoder->Next(&frame, &t_s);
    if (!more.ok()) return more.status();
    if (!*more) break;
    if (t_s + 1e-3 < next_s) continue;
    PRESGEN_RETURN_IF_ERROR(scaler.Run(frame, decoder->rotation_deg(), aw, ah, &gray));
    FaceSample sample;
    sample.t_s = t_s;
    for (Box b : detector->Detect(gray.data(), aw, ah)) {
      sample.faces.push_back({b.x * to_display, b.y * to_display, b.w * to_display, b.h * to_display});
    }
    if (!track.samples.empty() && Moved(track.samples.back(), sample, params.burst_move)) {
      burst_until_s = t_s + params.burst_s;
    }
    const double step = t_s < burst_until_s ? burst_step_s : step_s;
    next_s = std::floor(t_s / step + 1e-6) * step + step;
    track.samples.push_back(std::move(sample));
    if (info.duration_s > 0) callbacks.Progress(std::min(1.0, t_s / info.duration_s));
  }
  callbacks.Progress(1.0);
  return track;
}

}  // namespace presgen
