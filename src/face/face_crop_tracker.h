// Face framing during composition, from the compositor's single decode: faces
// are detected on the frames it shows (FaceAnalyzer) and the crop path is
// planned as it goes (PlanCrop), one lookahead behind the decode.
#pragma once

#include <memory>

#include "core/crop_source.h"
#include "core/status.h"
#include "core/types.h"
#include "face/crop_planner.h"
#include "face/face_sampler.h"

namespace presgen {

struct FaceCropTrackerParams {
  FaceSamplerParams sampler;
  CropPlannerParams planner;
  // A crop is final once samples reach this far past it: the planner's
  // interpolation, median and Gaussian smoothing look about 1 s ahead.
  double lookahead_s = 1.0;
  // The crop size is fixed from the faces seen in the first seconds (a steady
  // framing; the rest of the video cannot be waited for).
  double size_window_s = 3.0;
};

inline FaceCropTrackerParams DefaultFaceCropTrackerParams() { return {}; }

class FaceCropTracker final : public CropSource {
 public:
  // Errors: kUnavailable (no cascade).
  static Result<std::unique_ptr<FaceCropTracker>> Create(const MediaInfo& info,
                                                         const FaceCropTrackerParams& params);

  Status Observe(const AVFrame* frame, int rotation_deg, double t_s) override;
  double FinalUntil() const override;
  void ForceFinal(double t_s) override;
  void Finish() override;
  Box CropAt(double t_s) override;

  // After Finish(): the samples and the crop path actually used (key_rate_hz keys).
  FaceTrack TakeTrack();
  bool found_face() const { return plan_.found_face; }
  size_t samples() const { return analyzer_.track().samples.size(); }
  // Seconds spent analysing frames (grey scaling and detection).
  double analysis_seconds() const { return analysis_s_; }

 private:
  FaceCropTracker(FaceAnalyzer analyzer, const MediaInfo& info,
                  const FaceCropTrackerParams& params);
  void TryLockSize();
  void Replan();

  FaceAnalyzer analyzer_;
  FaceCropTrackerParams params_;
  double duration_s_ = 0;
  double last_t_ = 0;
  double forced_until_ = -1;
  bool window_passed_ = false;
  bool size_locked_ = false;
  bool finished_ = false;
  bool dirty_ = true;
  double crop_h_ = 0;
  double analysis_s_ = 0;
  CropPlan plan_;
  std::vector<CropKey> used_;
};

}  // namespace presgen
