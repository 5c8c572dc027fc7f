// Decodes a rendered MP4 and measures what a viewer would see.
#pragma once

#include <string>
#include <vector>

#include "core/types.h"

namespace presgen::test {

struct OutputReport {
  std::string video_codec;
  int profile = 0;
  std::string pixel_format;
  int width = 0, height = 0;
  double fps = 0;
  double duration_s = 0;
  std::string audio_codec;
  double audio_duration_s = 0;
  int frames = 0;
  // Mean absolute luma change of the right half between consecutive frames (frames[i] vs i-1).
  std::vector<double> right_change;
  // For one frame a second: did the detector find a face in the left half (upright)?
  std::vector<bool> left_face;
};

OutputReport InspectOutput(const std::string& path);

// Times (s) at the centre of each run of at least min_frames frames whose right
// half changes by more than threshold (mean absolute luma difference).
std::vector<double> ChangeEvents(const OutputReport& r, double threshold, int min_frames = 4);

}  // namespace presgen::test
