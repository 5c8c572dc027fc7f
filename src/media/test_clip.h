// A short generated H.264/AAC MP4, written through presgen's own encoder path (Mp4Writer):
// a moving grey gradient with an optional grey picture pasted in the middle (a face for the
// detector) and a tone. For `presgen doctor`, which must exercise the real libraries on a
// machine that has no media of its own.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace presgen {

struct TestClipParams {
  int width = 640;
  int height = 360;
  int fps = 30;
  double seconds = 2.0;
  double tone_hz = 440;  // a quiet sine; 0 = silence
  int noise = 0;         // grain amplitude (0..32): a camera's noise costs the codecs as much
  int sample_rate = 48000;
  // Optional 8-bit grey picture (rows packed) drawn at the frame's centre on every frame.
  const std::vector<uint8_t>* overlay = nullptr;
  int overlay_width = 0;
  int overlay_height = 0;
};

// Errors: kInvalidInput for sizes outside 64..3840 x 64..2160 or a duration outside
// 0.1..60 s; kInternal (encoder missing, the file cannot be written). No file is left
// at `path` on failure.
Status WriteTestClip(const std::string& path, const TestClipParams& params);

}  // namespace presgen
