#include "e2e/output_inspector.h"

#include <cmath>
#include <cstdlib>

#include "face/face_detector.h"
#include "media/frame_ops.h"
#include "media/media_input.h"
#include "media/probe.h"
#include "media/video_decoder.h"

extern "C" {
#include <libavutil/pixdesc.h>
}

namespace presgen::test {

OutputReport InspectOutput(const std::string& path) {
  OutputReport r;
  auto info = Probe(path);
  if (!info.ok()) return r;
  r.video_codec = info->video_codec;
  r.pixel_format = info->pixel_format;
  r.width = info->width;
  r.height = info->height;
  r.fps = info->fps;
  r.duration_s = info->duration_s;
  r.audio_codec = info->audio_codec;
  auto input = MediaInput::Open(path);
  if (!input.ok()) return r;
  r.profile = input->stream(input->video_stream())->codecpar->profile;
  if (input->audio_stream() >= 0) {
    const AVStream* a = input->stream(input->audio_stream());
    r.audio_duration_s = a->duration * av_q2d(a->time_base);
  }

  auto detector = FaceDetector::Create();
  auto decoder = VideoDecoder::Open(path, {});
  if (!decoder.ok() || !detector.ok()) return r;
  std::vector<uint8_t> prev_right, right, left;
  AVFrame* f = nullptr;
  double t = 0, next_face_t = 0.5;
  const int half = r.width / 2;
  while (*decoder->Next(&f, &t)) {
    // Right half luma, every second pixel.
    right.clear();
    for (int y = 0; y < f->height; y += 2) {
      const uint8_t* row = f->data[0] + y * f->linesize[0];
      for (int x = half; x < f->width; x += 2) right.push_back(row[x]);
    }
    double diff = 0;
    if (!prev_right.empty()) {
      for (size_t i = 0; i < right.size(); ++i) diff += std::abs(right[i] - prev_right[i]);
      diff /= right.size();
    }
    r.right_change.push_back(diff);
    prev_right.swap(right);
    if (t >= next_face_t) {
      next_face_t += 1.0;
      left.resize(static_cast<size_t>(half) * f->height);
      for (int y = 0; y < f->height; ++y) {
        std::copy_n(f->data[0] + y * f->linesize[0], half, left.data() + y * half);
      }
      r.left_face.push_back(!detector->Detect(left.data(), half, f->height).empty());
    }
    ++r.frames;
  }
  return r;
}

std::vector<double> ChangeEvents(const OutputReport& r, double threshold, int min_frames) {
  std::vector<double> events;
  const double fps = r.fps > 0 ? r.fps : 30;
  int run_start = -1;
  for (int i = 0; i <= static_cast<int>(r.right_change.size()); ++i) {
    const bool changing = i < static_cast<int>(r.right_change.size()) && r.right_change[i] > threshold;
    if (changing && run_start < 0) run_start = i;
    if (!changing && run_start >= 0) {
      // Frame i differs from i-1: the change happens between their times. A
      // one-frame blip is the encoder re-coding a still slide at a key frame.
      if (i - run_start >= min_frames) events.push_back(((run_start - 0.5) + (i - 1 - 0.5)) / 2 / fps);
      run_start = -1;
    }
  }
  return events;
}

}  // namespace presgen::test
