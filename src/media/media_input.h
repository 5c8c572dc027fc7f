// Opening untrusted media safely: file protocol only, a container whitelist applied before
// any header is read, no file opened but the input itself,
// a wall-clock deadline and an abort hook (FFmpeg's interrupt callback).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "core/status.h"
#include "media/ffmpeg_ptr.h"

namespace presgen {

struct MediaInputParams {
  double deadline_s = 0;               // wall-clock budget from Open(); 0 = none
  std::function<bool()> should_abort;  // polled by FFmpeg during blocking I/O
};

// An opened, stream-probed input. Movable, not copyable; not thread-safe.
class MediaInput {
 public:
  // Errors: kNotFound (missing file), kInvalidInput (empty, or a container we read whose
  // header is broken: a recording cut before its index), kUnsupported (not media, or a
  // container outside the whitelist), kTimeout, kCancelled.
  static Result<MediaInput> Open(const std::string& path, const MediaInputParams& params = {});

  AVFormatContext* format() const { return fmt_.get(); }
  const std::string& path() const { return path_; }
  int video_stream() const { return video_stream_; }  // -1 if none
  int audio_stream() const { return audio_stream_; }  // -1 if none
  AVStream* stream(int index) const { return fmt_->streams[index]; }
  // The input time that is output time 0: the earlier start of the video and audio streams
  // presgen uses, so neither a late picture nor late audio loses the other's first seconds
  // (and their offset is kept). NaN when neither stream says where it starts.
  double TimelineOriginSeconds() const;
  // Where `index` starts and ends in input seconds (its start time and duration); NaN for
  // what the stream does not say.
  double StreamStartSeconds(int index) const;
  double StreamEndSeconds(int index) const;
  // Why the last blocking call was interrupted: kOk, kTimeout or kCancelled.
  StatusCode interrupt_reason() const;
  // How many times a demuxer tried to open a file other than the input (and was refused).
  int refused_opens() const;

 private:
  struct Interrupt {
    std::chrono::steady_clock::time_point deadline{};
    bool has_deadline = false;
    std::function<bool()> should_abort;
    StatusCode reason = StatusCode::kOk;
    std::string input_url;  // the one URL a demuxer may open
    int refused_opens = 0;
  };
  static int OnInterrupt(void* opaque);
  static int OnIoOpen(AVFormatContext* s, AVIOContext** pb, const char* url, int flags,
                      AVDictionary** options);

  std::string path_;
  std::unique_ptr<Interrupt> interrupt_;  // stable address for the C callback
  AvInputPtr fmt_;
  int video_stream_ = -1;
  int audio_stream_ = -1;
};

// Opens a decoder for the stream. threads = 0 lets FFmpeg choose.
Result<AvCodecContextPtr> OpenDecoder(const AVStream* stream, int threads);

// Clockwise degrees (0/90/180/270) a player rotates the stream for display.
int DisplayRotationDegrees(const AVStream* stream);

}  // namespace presgen
