#include "face/face_crop_tracker.h"

#include <limits>

#include "core/sys.h"

namespace presgen {

Result<std::unique_ptr<FaceCropTracker>> FaceCropTracker::Create(
    const MediaInfo& info, const FaceCropTrackerParams& params) {
  auto analyzer = FaceAnalyzer::Create(info, params.sampler);
  if (!analyzer.ok()) return analyzer.status();
  return std::unique_ptr<FaceCropTracker>(
      new FaceCropTracker(std::move(analyzer).value(), info, params));
}

FaceCropTracker::FaceCropTracker(FaceAnalyzer analyzer, const MediaInfo& info,
                                 const FaceCropTrackerParams& params)
    : analyzer_(std::move(analyzer)), params_(params), duration_s_(info.duration_s) {}

Status FaceCropTracker::Observe(const AVFrame* frame, int rotation_deg, double t_s) {
  last_t_ = std::max(last_t_, t_s);
  if (analyzer_.Wants(t_s)) {
    Stopwatch watch;
    PRESGEN_RETURN_IF_ERROR(analyzer_.Analyze(frame, rotation_deg, t_s));
    analysis_s_ += watch.ElapsedSeconds();
    dirty_ = true;
  }
  if (!window_passed_ && t_s >= params_.size_window_s) window_passed_ = true;
  if (window_passed_ && !size_locked_) TryLockSize();
  return Status::Ok();
}

double FaceCropTracker::FinalUntil() const {
  if (finished_) return std::numeric_limits<double>::infinity();
  if (!window_passed_) return forced_until_;
  return std::max(forced_until_, last_t_ - params_.lookahead_s);
}

void FaceCropTracker::ForceFinal(double t_s) {
  forced_until_ = std::max(forced_until_, t_s);
  window_passed_ = true;
  if (!size_locked_) TryLockSize();
}

void FaceCropTracker::Finish() {
  finished_ = true;
  window_passed_ = true;
  if (!size_locked_) TryLockSize();
  dirty_ = true;
}

// Fixes the crop size from the faces seen so far. Without a face yet the crop
// stays the centred full-height one until the first face is seen; the size is
// then fixed from it (a cut to the speaker's framing).
void FaceCropTracker::TryLockSize() {
  CropPlannerParams p = params_.planner;
  const CropPlan probe = PlanCrop(analyzer_.track(), last_t_, p);
  if (!probe.found_face || probe.keys.empty()) return;
  crop_h_ = probe.keys.front().box.h;
  size_locked_ = true;
  dirty_ = true;
}

void FaceCropTracker::Replan() {
  CropPlannerParams p = params_.planner;
  if (size_locked_) p.crop_height_px = crop_h_;
  plan_ = PlanCrop(analyzer_.track(), finished_ ? std::max(duration_s_, last_t_) : last_t_, p);
  dirty_ = false;
}

Box FaceCropTracker::CropAt(double t_s) {
  if (dirty_) Replan();
  const Box box = presgen::CropAt(plan_.keys, t_s);
  const double key_step = 1.0 / params_.planner.key_rate_hz;
  if (used_.empty() || t_s >= used_.back().t_s + key_step - 1e-9) used_.push_back({t_s, box});
  return box;
}

FaceTrack FaceCropTracker::TakeTrack() {
  if (dirty_) Replan();
  FaceTrack track = analyzer_.TakeTrack();
  track.crop_path = std::move(used_);
  return track;
}

}  // namespace presgen
