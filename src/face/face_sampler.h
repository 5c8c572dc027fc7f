// Samples a video a few times per second and detects faces on a small,
// upright grey image of each sample. Never runs a detector on full frames.
#pragma once

#include <string>

#include "core/status.h"
#include "core/types.h"
#include "face/face_detector.h"

namespace presgen {

struct FaceSamplerParams {
  double sample_fps = 4.0;        // while the face is still
  // When the main face moves by more than burst_move of its width between two
  // samples (or appears / disappears), sample at burst_fps for burst_s.
  double burst_fps = 12.0;
  double burst_move = 0.2;
  double burst_s = 1.0;
  int analysis_short_side = 360;  // the grey image handed to the detector, shorter side
  int threads = 1;           // decoder threads
  FaceDetectorParams detector;
};

inline FaceSamplerParams DefaultFaceSamplerParams() { return {}; }

// Returns samples with faces in display (upright, full-resolution) pixels,
// sample_fps apart, closer (burst_fps) while the face moves; the
// crop path is left empty for the planner. Errors: decoder errors, kCancelled,
// kUnavailable (no cascade).
Result<FaceTrack> SampleFaces(const std::string& path, const MediaInfo& info,
                              const FaceSamplerParams& params, const StageCallbacks& callbacks);

}  // namespace presgen
