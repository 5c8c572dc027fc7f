// Crop planning: from sampled face detections to a smooth crop path that keeps
// the main speaker framed head-and-shoulders in the left panel.
#pragma once

#include <vector>

#include "core/types.h"

namespace presgen {

struct CropPlannerParams {
  double panel_aspect = 640.0 / 720.0;  // width / height of the left panel
  int panel_height_px = 720;            // output panel height (limits upscaling)
  double max_upscale = 2.0;             // never enlarge the source more than this
  double face_to_crop_height = 3.2;     // crop height = face height * this
  double crop_height_px = 0;            // > 0: this crop height, not the median face's
  double eye_line = 0.36;               // eyes at this fraction of the crop's height
  double key_rate_hz = 10.0;            // keys in the output path
  double dead_zone = 0.04;              // fraction of crop width ignored as jitter
  double smooth_sigma_s = 0.2;          // zero-phase smoothing of the path
  double hold_s = 2.0;                  // keep the last framing this long without a face
  double ease_s = 1.0;                  // then ease to the centred crop over this long
};

inline CropPlannerParams DefaultCropPlannerParams() { return {}; }

struct CropPlan {
  std::vector<CropKey> keys;  // in time order, key_rate_hz apart, inside the frame
  bool found_face = false;    // false: centred crop only
};

// duration_s: the video's duration (keys cover [0, duration_s]).
CropPlan PlanCrop(const FaceTrack& track, double duration_s, const CropPlannerParams& params);

}  // namespace presgen
