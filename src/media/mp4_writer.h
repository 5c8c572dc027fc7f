// MP4 output: H.264 (libx264 through libavcodec) video plus one audio stream
// that is either copied from the input (AAC) or encoded to AAC by the caller.
// Writes to a temporary name beside the target and renames on Finish(), so a
// failed or cancelled run never leaves a partial file at `path`.
#pragma once

#include <string>

#include "core/status.h"
#include "media/ffmpeg_ptr.h"

namespace presgen {

struct VideoEncoderParams {
  int width = 1280;
  int height = 720;
  AVRational frame_rate{30, 1};
  std::string preset = "veryfast";  // x264 preset
  int crf = 21;
  int threads = 0;  // 0 = x264's choice
};

inline VideoEncoderParams DefaultVideoEncoderParams() { return {}; }

enum class AudioMode { kNone, kCopy, kEncodeAac };

struct AudioOutputParams {
  AudioMode mode = AudioMode::kNone;
  const AVCodecParameters* copy_from = nullptr;  // kCopy: the input stream's parameters
  AVRational copy_time_base{1, 48000};           // kCopy: the input stream's time base
  int sample_rate = 48000;                       // kEncodeAac
  int channels = 2;                              // kEncodeAac: 1 or 2
  int bit_rate = 128000;
};

// Ok when the encoders Mp4Writer needs (libx264, AAC) are in the linked FFmpeg;
// else kUnavailable naming the missing one.
Status CheckEncoders();

// Not thread-safe. Call order: Open, then Write* in any interleaving, then Finish.
class Mp4Writer {
 public:
  // Errors: kInternal (encoder missing, cannot create the file).
  static Result<Mp4Writer> Open(const std::string& path, const VideoEncoderParams& video,
                                const AudioOutputParams& audio);
  Mp4Writer(Mp4Writer&&) = default;
  Mp4Writer& operator=(Mp4Writer&&) = default;
  ~Mp4Writer();  // removes the temporary file unless Finish() succeeded

  // A frame of the encoder's size and format (YUV420P) that is writable now.
  // Fill it, then pass it to WriteVideoFrame. Valid until the next call.
  Result<AVFrame*> NextVideoFrame();
  // Encodes the frame filled in NextVideoFrame() as frame number `index`
  // (presentation time index / frame_rate).
  Status WriteVideoFrame(int64_t index);

  // kCopy: writes a packet whose timestamps are in AudioOutputParams.copy_time_base.
  Status WriteAudioPacket(AVPacket* packet);
  // kEncodeAac: the encoder (to feed frames to) and its stream time base.
  AVCodecContext* audio_encoder() const { return audio_enc_.get(); }
  // kEncodeAac: writes one encoded packet from audio_encoder().
  Status WriteEncodedAudio(AVPacket* packet);

  // Flushes the video encoder, writes the trailer (+faststart) and renames the
  // temporary file to the final path.
  Status Finish();

 private:
  Mp4Writer() = default;
  Status DrainVideo(bool flush);

  std::string path_;
  std::string temp_path_;
  bool finished_ = false;
  AvOutputPtr out_;
  AvCodecContextPtr video_enc_;
  AvCodecContextPtr audio_enc_;
  AVStream* video_stream_ = nullptr;
  AVStream* audio_stream_ = nullptr;
  AVRational audio_in_tb_{1, 1};
  AvFramePtr frame_;
  AvPacketPtr packet_ = MakePacket();
};

}  // namespace presgen
