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

// The largest face is more than `fraction` of its width away from where the
// last detection saw it. A missed detection (no face) is not a move: cascades
// miss single frames, and chasing those would sample fast for no reason.
bool Moved(const std::vector<FaceSample>& before, const FaceSample& now, double fraction) {
  if (now.faces.empty()) return false;
  for (auto it = before.rbegin(); it != before.rend(); ++it) {
    if (it->faces.empty()) continue;
    const Box& a = it->faces.front();
    const Box& b = now.faces.front();
    return std::hypot(a.cx() - b.cx(), a.cy() - b.cy()) > fraction * std::max(a.w, b.w);
  }
  return !before.empty();  // the first face after samples without one
}

std::optional<FaceAnalyzer::Bounds> PictureBounds(const std::vector<uint8_t>& gray, int w, int h) {
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
  FaceAnalyzer::Bounds b{w, h, 0, 0};
  for (int y = 0; y < h; ++y)
    if (row[static_cast<size_t>(y)]) b.y0 = std::min(b.y0, y), b.y1 = y + 1;
  for (int x = 0; x < w; ++x)
    if (col[static_cast<size_t>(x)]) b.x0 = std::min(b.x0, x), b.x1 = x + 1;
  if (b.x1 <= b.x0 || b.y1 <= b.y0) return std::nullopt;  // an all-black frame says nothing
  return b;
}

// The picture area over all samples, in display pixels; empty when there are no
// bars (margins under 2 % of the frame count as none).
Box ContentBox(const std::optional<FaceAnalyzer::Bounds>& u, int w, int h, double to_display) {
  if (!u) return {};
  const bool bars = u->x0 > 0.02 * w || u->y0 > 0.02 * h || u->x1 < 0.98 * w || u->y1 < 0.98 * h;
  if (!bars) return {};
  // One analysis pixel inwards: the bar's edge is blurred by scaling.
  const int x0 = u->x0 > 0 ? u->x0 + 1 : 0, y0 = u->y0 > 0 ? u->y0 + 1 : 0;
  const int x1 = u->x1 < w ? u->x1 - 1 : w, y1 = u->y1 < h ? u->y1 - 1 : h;
  return {x0 * to_display, y0 * to_display, (x1 - x0) * to_display, (y1 - y0) * to_display};
}

}  // namespace

Result<FaceAnalyzer> FaceAnalyzer::Create(const MediaInfo& info,
                                          const FaceSamplerParams& params) {
  cv::setNumThreads(params.threads);  // OpenCV's pool is global: stay within our share
  auto detector = FaceDetector::Create(params.detector);
  if (!detector.ok()) return detector.status();
  FaceAnalyzer a;
  a.params_ = params;
  a.detector_ = std::make_unique<FaceDetector>(std::move(detector).value());
  a.track_.detector = a.detector_->name();
  a.track_.frame_width = info.display_width;
  a.track_.frame_height = info.display_height;
  a.track_.sample_fps = params.sample_fps;
  // Analysis size: the shorter side at analysis_short_side (never upscaled).
  const double scale =
      std::min(1.0, static_cast<double>(params.analysis_short_side) /
                        std::max(1, std::min(info.display_width, info.display_height)));
  a.aw_ = std::max(2, static_cast<int>(std::lround(info.display_width * scale)));
  a.ah_ = std::max(2, static_cast<int>(std::lround(info.display_height * scale)));
  a.to_display_ = static_cast<double>(info.display_width) / a.aw_;
  a.scaler_ = std::make_unique<GrayScaler>();
  return a;
}

FaceAnalyzer::FaceAnalyzer() = default;
FaceAnalyzer::FaceAnalyzer(FaceAnalyzer&&) noexcept = default;
FaceAnalyzer& FaceAnalyzer::operator=(FaceAnalyzer&&) noexcept = default;
FaceAnalyzer::~FaceAnalyzer() = default;

Status FaceAnalyzer::Analyze(const AVFrame* frame, int rotation_deg, double t_s) {
  PRESGEN_RETURN_IF_ERROR(scaler_->Run(frame, rotation_deg, aw_, ah_, &gray_));
  FaceSample sample;
  sample.t_s = t_s;
  // Follow the last face in its neighbourhood; look at the whole frame every
  // full_detect_every_s (other faces, the main speaker) or when it is lost.
  std::vector<Box> found;
  const bool full_due = t_s >= last_full_s_ + params_.full_detect_every_s;
  if (last_face_ && !full_due) found = detector_->DetectNear(gray_.data(), aw_, ah_, *last_face_);
  if (found.empty()) {
    found = detector_->Detect(gray_.data(), aw_, ah_);
    last_full_s_ = t_s;
  }
  if (!found.empty()) last_face_ = found.front();
  for (Box b : found) {
    sample.faces.push_back(
        {b.x * to_display_, b.y * to_display_, b.w * to_display_, b.h * to_display_});
  }
  if (Moved(track_.samples, sample, params_.burst_move)) {
    burst_until_s_ = t_s + params_.burst_s;
  }
  const double step = 1.0 / (t_s < burst_until_s_ ? std::max(params_.sample_fps, params_.burst_fps)
                                                 : params_.sample_fps);
  next_s_ = std::floor(t_s / step + 1e-6) * step + step;
  track_.samples.push_back(std::move(sample));
  if (auto b = PictureBounds(gray_, aw_, ah_)) {
    picture_ = picture_ ? Bounds{std::min(picture_->x0, b->x0), std::min(picture_->y0, b->y0),
                                 std::max(picture_->x1, b->x1), std::max(picture_->y1, b->y1)}
                        : *b;
  }
  track_.content = ContentBox(picture_, aw_, ah_, to_display_);
  return Status::Ok();
}

Result<FaceTrack> SampleFaces(const std::string& path, const MediaInfo& info,
                              const FaceSamplerParams& params, const StageCallbacks& callbacks) {
  auto analyzer = FaceAnalyzer::Create(info, params);
  if (!analyzer.ok()) return analyzer.status();
  VideoDecoderParams vp;
  vp.threads = params.threads;
  vp.quality = DecodeQuality::kFast;
  vp.should_abort = callbacks.should_abort;
  auto decoder = VideoDecoder::Open(path, vp);
  if (!decoder.ok()) return decoder.status();
  // Sampling a few frames per second: frames nobody references are never needed.
  decoder->SkipNonReferenceFrames(info.fps > 2 * std::max(params.sample_fps, params.burst_fps));

  AVFrame* frame = nullptr;
  double t_s = 0;
  while (true) {
    auto more = decoder->Next(&frame, &t_s);
    if (!more.ok()) return more.status();
    if (!*more) break;
    if (!analyzer->Wants(t_s)) continue;
    PRESGEN_RETURN_IF_ERROR(analyzer->Analyze(frame, decoder->rotation_deg(), t_s));
    if (info.duration_s > 0) callbacks.Progress(std::min(1.0, t_s / info.duration_s));
  }
  callbacks.Progress(1.0);
  return analyzer->TakeTrack();
}

}  // namespace presgen
