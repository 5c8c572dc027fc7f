// Sequential video decoding with timestamps on the output timeline (seconds from
// MediaInput::TimelineOriginSeconds(): the earlier of the video's and the audio's start).
#pragma once

#include <functional>
#include <string>

#include "core/status.h"
#include "media/ffmpeg_ptr.h"
#include "media/media_input.h"

namespace presgen {

enum class DecodeQuality {
  kFull,  // bit-exact decode, for composition
  kFast,  // skips the loop filter and non-reference frames when asked; for analysis
};

struct VideoDecoderParams {
  int threads = 0;  // 0 = FFmpeg's choice
  DecodeQuality quality = DecodeQuality::kFull;
  std::function<bool()> should_abort;
};

// Not thread-safe; one consumer.
class VideoDecoder {
 public:
  // Errors: MediaInput::Open's, kInvalidInput when there is no video stream.
  static Result<VideoDecoder> Open(const std::string& path, const VideoDecoderParams& params);

  // Decodes the next frame. Returns true with *frame (owned by the decoder, valid
  // until the next call) and *t_s set, or false at the end of the stream.
  // Damaged packets are skipped and counted. Errors: kCancelled, kTimeout.
  Result<bool> Next(AVFrame** frame, double* t_s);

  // Also discard frames that no other frame references (about half of a typical
  // H.264 stream); only meaningful with DecodeQuality::kFast.
  void SkipNonReferenceFrames(bool skip);

  const MediaInput& input() const { return input_; }
  const AVStream* stream() const { return input_.stream(input_.video_stream()); }
  int rotation_deg() const { return rotation_deg_; }
  int damaged_packets() const { return damaged_packets_; }

 private:
  VideoDecoder() = default;
  MediaInput input_;
  AvCodecContextPtr dec_;
  AvPacketPtr pkt_ = MakePacket();
  AvFramePtr frame_ = MakeFrame();
  double start_s_ = 0;
  int rotation_deg_ = 0;
  bool flushing_ = false;
  bool finished_ = false;
  int damaged_packets_ = 0;
  std::function<bool()> should_abort_;
};

}  // namespace presgen
