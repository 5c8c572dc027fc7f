// RAII for every FFmpeg handle we hold: one deleter and one unique_ptr alias per
// type (the ggml-cpp.h pattern). Nothing outside this header calls *_free/_close.
#pragma once

#include <memory>
#include <string>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/channel_layout.h>
#include <libavutil/frame.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
}

namespace presgen {

struct AvInputDeleter {
  void operator()(AVFormatContext* c) const { avformat_close_input(&c); }
};
struct AvOutputDeleter {
  // Closes the output file (if opened) and frees the context.
  void operator()(AVFormatContext* c) const {
    if (c && c->pb && !(c->oformat->flags & AVFMT_NOFILE)) avio_closep(&c->pb);
    avformat_free_context(c);
  }
};
struct AvCodecContextDeleter {
  void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct AvFrameDeleter {
  void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct AvPacketDeleter {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct SwsContextDeleter {
  void operator()(SwsContext* c) const { sws_freeContext(c); }
};
struct SwrContextDeleter {
  void operator()(SwrContext* c) const { swr_free(&c); }
};
struct AvIoDeleter {
  void operator()(AVIOContext* c) const { avio_closep(&c); }
};
struct AvAudioFifoDeleter {
  void operator()(AVAudioFifo* f) const { av_audio_fifo_free(f); }
};

using AvInputPtr = std::unique_ptr<AVFormatContext, AvInputDeleter>;
using AvOutputPtr = std::unique_ptr<AVFormatContext, AvOutputDeleter>;
using AvCodecContextPtr = std::unique_ptr<AVCodecContext, AvCodecContextDeleter>;
using AvFramePtr = std::unique_ptr<AVFrame, AvFrameDeleter>;
using AvPacketPtr = std::unique_ptr<AVPacket, AvPacketDeleter>;
using SwsContextPtr = std::unique_ptr<SwsContext, SwsContextDeleter>;
using SwrContextPtr = std::unique_ptr<SwrContext, SwrContextDeleter>;
using AvAudioFifoPtr = std::unique_ptr<AVAudioFifo, AvAudioFifoDeleter>;
using AvIoPtr = std::unique_ptr<AVIOContext, AvIoDeleter>;

// An AVChannelLayout that is zeroed from the start and uninitialised when it goes:
// av_channel_layout_copy() and friends free the destination's old contents first, so
// they must never see stack garbage.
class ChannelLayout {
 public:
  ChannelLayout() = default;
  ~ChannelLayout() { av_channel_layout_uninit(&layout_); }
  ChannelLayout(const ChannelLayout&) = delete;
  ChannelLayout& operator=(const ChannelLayout&) = delete;

  // A copy of `src`; an unspecified order (or no channels) becomes the default layout for
  // its channel count (at least mono). Returns false when out of memory.
  bool CopyOrDefault(const AVChannelLayout& src) {
    av_channel_layout_uninit(&layout_);
    if (src.order == AV_CHANNEL_ORDER_UNSPEC || src.nb_channels <= 0) {
      av_channel_layout_default(&layout_, src.nb_channels > 0 ? src.nb_channels : 1);
      return true;
    }
    return av_channel_layout_copy(&layout_, &src) == 0;
  }
  void SetDefault(int channels) {
    av_channel_layout_uninit(&layout_);
    av_channel_layout_default(&layout_, channels > 0 ? channels : 1);
  }
  // Non-const for FFmpeg 5.1 calls that take a mutable pointer but only read it.
  AVChannelLayout* get() { return &layout_; }
  const AVChannelLayout* get() const { return &layout_; }

 private:
  AVChannelLayout layout_{};
};

inline AvFramePtr MakeFrame() { return AvFramePtr(av_frame_alloc()); }
inline AvPacketPtr MakePacket() { return AvPacketPtr(av_packet_alloc()); }

// av_err2str without the macro's compound literal (not valid C++).
inline std::string AvErrorString(int err) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {0};
  av_strerror(err, buf, sizeof buf);
  return buf;
}

}  // namespace presgen
