// The composition loop: decode the input once, put the cropped speaker on the
// left half and the (cross-fading) slides on the right, encode H.264 + AAC.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "core/types.h"

namespace presgen {

struct ComposeParams {
  int width = 1280;        // output size; width must be a multiple of 4
  int height = 720;
  double max_fps = 30;     // output fps = input fps capped at this
  double crossfade_s = 0.5;
  std::string preset = "veryfast";
  int crf = 21;
  int decode_threads = 0;  // 0 = FFmpeg's choice
  int encode_threads = 0;  // 0 = x264's choice
};

inline ComposeParams DefaultComposeParams() { return {}; }

struct ComposeStats {
  int64_t frames = 0;
  double fps = 0;
  bool audio_copied = false;
  bool has_audio = false;
  int damaged_packets = 0;
};

// Writes output_path (atomically: nothing is left there on failure).
// crop_path: display-coordinate crop keys (see face/crop_planner.h); slides:
// one BGRA image of (width/2 x height) per deck slide.
// Errors: kInvalidInput (sizes), decoder/encoder errors, kCancelled.
Result<ComposeStats> Compose(const std::string& input_path, const MediaInfo& info,
                             const std::vector<CropKey>& crop_path, const Deck& deck,
                             const std::vector<BgraImage>& slides, const std::string& output_path,
                             const ComposeParams& params, const StageCallbacks& callbacks);

struct FrameRate {
  int num = 30;
  int den = 1;
  double value() const { return static_cast<double>(num) / den; }
};

// Output frame rate for an input: the input's rate capped at max_fps
// (29.97 stays 30000/1001; 60 becomes 30).
FrameRate OutputFrameRate(double input_fps, double max_fps);

}  // namespace presgen
