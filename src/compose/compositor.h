// The composition loop: decode the input once, put the cropped speaker on the
// left half and the (cross-fading) slides on the right, encode H.264 + AAC.
#pragma once

#include <string>
#include <vector>

#include "core/crop_source.h"
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
  // Decoded frames held while the crop source decides (about 1 s of 1080p30).
  size_t max_held_bytes = size_t{128} << 20;
};

inline ComposeParams DefaultComposeParams() { return {}; }

struct ComposeStats {
  int64_t frames = 0;
  double fps = 0;
  bool audio_copied = false;
  bool has_audio = false;
  int damaged_packets = 0;
};

// Writes output_path (atomically: nothing is left there on failure), decoding
// the input once. crops: sees every decoded frame and supplies the left panel's
// crop once final (frames wait, up to max_held_bytes, until then); slides: one
// BGRA image of (width/2 x height) per deck slide.
// Errors: kInvalidInput (sizes), decoder/encoder errors, kCancelled.
Result<ComposeStats> Compose(const std::string& input_path, const MediaInfo& info,
                             CropSource& crops, const Deck& deck,
                             const std::vector<BgraImage>& slides, const std::string& output_path,
                             const ComposeParams& params, const StageCallbacks& callbacks);

// The same with a crop path known in advance (display-coordinate keys).
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
