#include "face/face_sampler.h"

#include <algorithm>
#include <cmath>
#include <optional>
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

// Bounds [x0, x1) x [y0, y1) of the rows and columns with picture in them
// (anything brighter than black bars), in analysis pixels.
struct Bounds {
  int x0, y0, x1, y1;
};
std::optional<Bounds> PictureBounds(const std::vector<uint8_t>& gray, int w, int h) {
  constexpr uint8_t kBar = 40;  // video black is 16; compression noise stays well below this
  std::vector<bool> row(static_cast<size_t>(h), false), col(static_cast<size_t>(w), false);
  for (int y = 0; y < h; ++y) {
    const uint8_t* p = gray.data() + static_cast<size_t>(y) * w;
    for (int x = 0; x < w; ++x) {
      if (p[x] > kBar) {
        row[static_cast<size_t>(y)] = true;
        col[static_cast<size_t>(x)] = true;
      }
    }
  }
  Bounds b{w, h, 0, 0};
  for (int y = 0; y < h; ++y)
    if (row[static_cast<size_t>(y)]) b.y0 = std::min(b.y0, y), b.y1 = y + 1;
  for (int x = 0; x < w; ++x)
    if (col[static_cast<size_t>(x)]) b.x0 = std::min(b.x0, x), b.x1 = x + 1;
  if (b.x1 <= b.x0 || b.y1 <= b.y0) return std::nullopt;  // an all-black frame says nothing
  return b;
}

// The picture area over all samples, in display pixels; empty when there are no
// bars (margins under 2 % of the frame count as none).
Box ContentBox(const std::optional<Bounds>& u, int w, int h, double to_display) {
  if (!u) return {};
  const bool bars = u->x0 > 0.02 * w || u->y0 > 0.02 * h || u->x1 < 0.98 * w || u->y1 < 0.98 * h;
  if (!bars) return {};
  // One analysis pixel inwards: the bar's edge is blurred by scaling.
  const int x0 = u->x0 > 0 ? u->x0 + 1 : 0, y0 = u->y0 > 0 ? u->y0 + 1 : 0;
  const int x1 = u->x1 < w ? u->x1 - 1 : w, y1 = u->y1 < h ? u->y1 - 1 : h;
  return {x0 * to_display, y0 * to_display, (x1 - x0) * to_display, (y1 - y0) * to_display};
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
  std::optional<Bounds> picture;  // union of every sample's picture area
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
    if (auto b = PictureBounds(gray, aw, ah)) {
      picture = picture ? Bounds{std::min(picture->x0, b->x0), std::min(picture->y0, b->y0),
                                 std::max(picture->x1, b->x1), std::max(picture->y1, b->y1)}
                        : *b;
    }
    if (info.duration_s > 0) callbacks.Progress(std::min(1.0, t_s / info.duration_s));
  }
  track.content = ContentBox(picture, aw, ah, to_display);
  callbacks.Progress(1.0);
  return track;
}

}  // namespace presgen
