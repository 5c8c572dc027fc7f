// Carries the input's audio into the output MP4: AAC is copied packet by
// packet; anything else is decoded, resampled and encoded to AAC.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "media/audio_resampler.h"
#include "media/ffmpeg_ptr.h"
#include "media/media_input.h"
#include "media/mp4_writer.h"

namespace presgen {

// Not thread-safe. Usage: Open → pass output_params() to Mp4Writer::Open →
// WriteUntil(...) as the video advances → Finish(...).
class AudioTrack {
 public:
  // origin_s: input time that becomes output time 0 (the video's start);
  // end_s: output time after which audio is dropped (the video's end).
  // A file without audio gives a track with AudioMode::kNone.
  static Result<AudioTrack> Open(const std::string& path, double origin_s, double end_s);

  AudioOutputParams output_params() const;
  bool copying() const { return mode_ == AudioMode::kCopy; }
  // Writes audio whose output time is below t_s.
  Status WriteUntil(Mp4Writer& writer, double t_s);
  // Writes the rest and flushes the encoder.
  Status Finish(Mp4Writer& writer);

 private:
  AudioTrack() = default;
  Status EncodePending(Mp4Writer& writer, bool flush);
  Status HandlePacket(Mp4Writer& writer, AVPacket* pkt);

  AudioMode mode_ = AudioMode::kNone;
  MediaInput input_;
  const AVStream* stream_ = nullptr;
  double origin_s_ = 0;
  double end_s_ = 0;
  bool input_done_ = false;
  AvPacketPtr packet_ = MakePacket();
  // kEncodeAac only:
  AvCodecContextPtr decoder_;
  std::unique_ptr<AudioResampler> resampler_;  // made once the encoder is known
  AvFramePtr decoded_ = MakeFrame();
  AvFramePtr enc_frame_ = MakeFrame();
  AvPacketPtr enc_packet_ = MakePacket();
  int out_rate_ = 48000;
  int out_channels_ = 2;
  int64_t samples_written_ = 0;
};

}  // namespace presgen
