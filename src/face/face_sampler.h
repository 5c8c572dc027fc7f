// Samples a video a few times per second and detects faces on a small,
// upright grey image of each sample. Never runs a detector on full frames.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/types.h"
#include "face/face_detector.h"

struct AVFrame;

namespace presgen {

struct FaceSamplerParams {
  double sample_fps = 4.0;        // while the face is still
  // When the main face moves by more than burst_move of its width from its last
  // detection (or first appears), sample at burst_fps for burst_s.
  double burst_fps = 12.0;
  double burst_move = 0.2;
  double burst_s = 1.0;
  // Between whole-frame detections, faces are looked for only near the last one.
  double full_detect_every_s = 1.0;
  int analysis_short_side = 360;  // the grey image handed to the detector, shorter side
  int threads = 1;           // decoder threads
  FaceDetectorParams detector;
};

inline FaceSamplerParams DefaultFaceSamplerParams() { return {}; }

class GrayScaler;

// Face analysis of decoded frames, one sample at a time: whoever decodes the
// video (SampleFaces below, or the compositor's single decode) shows it every
// frame and analyses those it Wants(). Not thread-safe.
class FaceAnalyzer {
 public:
  // Errors: kUnavailable (no cascade).
  static Result<FaceAnalyzer> Create(const MediaInfo& info, const FaceSamplerParams& params);
  FaceAnalyzer(FaceAnalyzer&&) noexcept;
  FaceAnalyzer& operator=(FaceAnalyzer&&) noexcept;
  ~FaceAnalyzer();

  // True when the frame at t_s is due for a sample (sample_fps, or burst_fps
  // while the face moves).
  bool Wants(double t_s) const { return t_s + 1e-3 >= next_s_; }
  // Detects faces on a small grey upright copy of `frame` and appends a sample.
  Status Analyze(const AVFrame* frame, int rotation_deg, double t_s);
  const FaceTrack& track() const { return track_; }
  FaceTrack TakeTrack() { return std::move(track_); }

  struct Bounds {  // analysis pixels, [x0, x1) x [y0, y1)
    int x0, y0, x1, y1;
  };

 private:
  FaceAnalyzer();
  FaceSamplerParams params_;
  std::unique_ptr<FaceDetector> detector_;
  std::unique_ptr<GrayScaler> scaler_;
  std::vector<uint8_t> gray_;
  int aw_ = 0, ah_ = 0;
  double to_display_ = 1;
  double next_s_ = 0;
  double burst_until_s_ = -1;
  double last_full_s_ = -1e9;
  std::optional<Box> last_face_;  // analysis pixels
  std::optional<Bounds> picture_;  // union of every sample's picture area
  FaceTrack track_;
};

// Returns samples with faces in display (upright, full-resolution) pixels,
// sample_fps apart, closer (burst_fps) while the face moves; the
// crop path is left empty for the planner. Errors: decoder errors, kCancelled,
// kUnavailable (no cascade).
Result<FaceTrack> SampleFaces(const std::string& path, const MediaInfo& info,
                              const FaceSamplerParams& params, const StageCallbacks& callbacks);

}  // namespace presgen
