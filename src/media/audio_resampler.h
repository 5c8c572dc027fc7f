// Converts decoded audio frames of any layout, sample format and rate to one output
// format, buffering the result until the caller takes it.
#pragma once

#include <cstdint>

#include "core/status.h"
#include "media/ffmpeg_ptr.h"

namespace presgen {

struct AudioFormat {
  int channels = 1;
  AVSampleFormat sample_format = AV_SAMPLE_FMT_FLT;
  int sample_rate = 16000;
};

// The converter is set up from each frame's own parameters (never from the decoder's
// guess before the first frame), and set up again when a stream changes layout, format
// or rate mid-way; what the old converter still held is kept, so no sample is lost.
// Not thread-safe.
class AudioResampler {
 public:
  explicit AudioResampler(AudioFormat out) : out_(out) {}

  // Converts `frame` from sample `skip` on (samples before it are dropped, e.g. audio
  // before the video's first frame). Errors: kInternal (resampler set-up, memory).
  Status Push(const AVFrame* frame, int skip = 0);
  // Push() for a frame whose first sample is at `t_s` on the output timeline (0 = the
  // video's first frame): samples before 0 are dropped, and when the stream's first frame
  // comes after 0, silence fills the gap (at most `max_gap_s`), so sample n of the output
  // is always at n / rate seconds.
  Status PushAt(const AVFrame* frame, double t_s, double max_gap_s);
  // Adds `samples` of silence in the output format.
  Status PushSilence(int samples);
  // Converts what the resampler still holds (call once at the end of the stream).
  Status Flush();

  // Converted samples waiting to be read.
  int Buffered() const;
  // Copies up to max_samples converted samples into `planes` (one per channel for planar
  // output formats, else one) and returns how many.
  int Read(uint8_t** planes, int max_samples);

 private:
  Status Reconfigure(const AVFrame& frame);
  Result<int> ConvertInto(const uint8_t* const* in, int in_samples);

  AudioFormat out_;
  SwrContextPtr swr_;
  AvAudioFifoPtr fifo_;
  // The input parameters swr_ was set up for.
  ChannelLayout in_layout_;
  int in_format_ = -1;
  int in_rate_ = 0;
  AvFramePtr scratch_ = MakeFrame();
  bool pushed_at_ = false;  // PushAt() has seen the stream's first frame
};

}  // namespace presgen
