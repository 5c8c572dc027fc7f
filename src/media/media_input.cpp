#include "media/media_input.h"

#include <array>
#include <cerrno>
#include <cmath>
#include <filesystem>
#include <string_view>

extern "C" {
#include <libavutil/display.h>
}

namespace presgen {
namespace {

// Demuxers we accept. Everything a phone, webcam or editor produces for a pitch,
// plus plain audio files for `presgen transcribe` (render still needs video).
constexpr std::array<std::string_view, 11> kContainerWhitelist = {
    "mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", "avi", "flv", "mpegts", "mpeg", "dv",
    "wav", "mp3", "ogg", "flac"};
// presgen reads one picture and one sound; a file with more streams than this is refused
// before FFmpeg sets up each of them (FFmpeg's own cap is 1,000).
constexpr int kMaxStreams = 64;

// The same list as FFmpeg's `format_whitelist` option (a demuxer matches when one of its
// names is listed): a demuxer outside it is refused before its header is read, so no
// playlist, manifest or concat script is ever followed.
const std::string& FormatWhitelistOption() {
  static const std::string option = [] {
    std::string joined;
    for (auto names : kContainerWhitelist) (joined += joined.empty() ? "" : ",") += names;
    return joined;
  }();
  return option;
}

bool ContainerAllowed(const char* name) {
  for (auto allowed : kContainerWhitelist) {
    if (allowed == name) return true;
  }
  return false;
}

// The demuxer FFmpeg's probe chooses for `url` and how sure it is (AVPROBE_SCORE_*); probing
// only reads bytes, no demuxer runs. For the message when opening failed.
struct ProbedFormat {
  std::string name;  // "" if none
  int score = 0;
  bool sure() const { return score > AVPROBE_SCORE_EXTENSION; }  // by content, not by name
};

ProbedFormat ProbeFormat(const std::string& url, const AVIOInterruptCB* interrupt) {
  AVIOContext* raw = nullptr;
  if (avio_open2(&raw, url.c_str(), AVIO_FLAG_READ, interrupt, nullptr) < 0) return {};
  const AvIoPtr pb(raw);
  const AVInputFormat* format = nullptr;
  const int score = av_probe_input_buffer2(pb.get(), &format, url.c_str(), nullptr, 0, 0);
  if (score < 0 || format == nullptr) return {};
  return {format->name, score};
}

}  // namespace

// Every file a demuxer opens goes through here: only the input itself may be opened, never
// a file it names (an MP4 data reference, a playlist entry, an image sequence).
int MediaInput::OnIoOpen(AVFormatContext* s, AVIOContext** pb, const char* url, int flags,
                         AVDictionary** options) {
  auto* st = static_cast<Interrupt*>(s->interrupt_callback.opaque);
  if (url == nullptr || st->input_url != url || (flags & AVIO_FLAG_WRITE)) {
    ++st->refused_opens;
    return AVERROR(EPERM);
  }
  return avio_open2(pb, url, flags, &s->interrupt_callback, options);
}

int MediaInput::refused_opens() const { return interrupt_->refused_opens; }

int MediaInput::OnInterrupt(void* opaque) {
  auto* st = static_cast<Interrupt*>(opaque);
  if (st->has_deadline && std::chrono::steady_clock::now() > st->deadline) {
    st->reason = StatusCode::kTimeout;
    return 1;
  }
  if (st->should_abort) {
    bool abort = false;
    try {  // never let an exception cross FFmpeg's C frames
      abort = st->should_abort();
    } catch (...) {
      abort = true;
    }
    if (abort) {
      st->reason = StatusCode::kCancelled;
      return 1;
    }
  }
  return 0;
}

StatusCode MediaInput::interrupt_reason() const { return interrupt_->reason; }

Result<MediaInput> MediaInput::Open(const std::string& path, const MediaInputParams& params) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Status::NotFound(path + ": no such file");
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Status::InvalidInput(path + ": not a regular file");
  }
  if (std::filesystem::file_size(path, ec) == 0) return Status::InvalidInput(path + ": empty file");

  MediaInput in;
  in.path_ = path;
  in.interrupt_ = std::make_unique<Interrupt>();
  in.interrupt_->should_abort = params.should_abort;
  if (params.deadline_s > 0) {
    in.interrupt_->has_deadline = true;
    in.interrupt_->deadline =
        std::chrono::steady_clock::now() +
        std::chrono::microseconds(static_cast<int64_t>(params.deadline_s * 1e6));
  }

  AVFormatContext* raw = avformat_alloc_context();
  if (!raw) return Status::Internal("out of memory opening " + path);
  // "file:" prefix so a name like "http:x" or "concat:a|b" is never another protocol.
  const std::string url = "file:" + std::filesystem::absolute(path).string();
  in.interrupt_->input_url = url;
  raw->interrupt_callback.callback = &MediaInput::OnInterrupt;
  raw->interrupt_callback.opaque = in.interrupt_.get();
  raw->io_open = &MediaInput::OnIoOpen;
  AVDictionary* opts = nullptr;
  av_dict_set(&opts, "protocol_whitelist", "file", 0);
  av_dict_set(&opts, "format_whitelist", FormatWhitelistOption().c_str(), 0);
  av_dict_set_int(&opts, "max_streams", kMaxStreams, 0);
  int err = avformat_open_input(&raw, url.c_str(), nullptr, &opts);  // frees raw on failure
  av_dict_free(&opts);
  if (err < 0) {
    if (in.interrupt_->reason == StatusCode::kTimeout) return Status::Timeout(path + ": timed out");
    if (in.interrupt_->reason == StatusCode::kCancelled) return Status::Cancelled(path);
    AVIOInterruptCB interrupt{&MediaInput::OnInterrupt, in.interrupt_.get()};
    const ProbedFormat probed = ProbeFormat(url, &interrupt);
    if (probed.score >= AVPROBE_SCORE_EXTENSION && !ContainerAllowed(probed.name.c_str())) {
      return Status::Unsupported(path + ": container '" + probed.name +
                                 "' is not supported (use MP4, MOV, MKV, WebM or AVI)");
    }
    if (probed.sure() && err == AVERROR_INVALIDDATA) {
      // A container we read whose header is broken: most often a recording cut off before
      // its index was written (an MP4 whose moov never came).
      return Status::InvalidInput(path + ": the " + probed.name.substr(0, probed.name.find(',')) +
                                  " file is damaged or was cut off before its index was written");
    }
    if (probed.sure() && err == AVERROR(ENOMEM)) {
      // What FFmpeg answers when the header declares more than max_streams streams.
      return Status::Unsupported(path + ": has more than " + std::to_string(kMaxStreams) +
                                 " streams, or streams too large to read");
    }
    return Status::Unsupported(path + ": not a readable video file (" + AvErrorString(err) + ")");
  }
  in.fmt_.reset(raw);
  if (!ContainerAllowed(raw->iformat->name)) {
    return Status::Unsupported(path + ": container '" + raw->iformat->name +
                               "' is not supported (use MP4, MOV, MKV, WebM or AVI)");
  }
  err = avformat_find_stream_info(raw, nullptr);
  if (err < 0) {
    return Status::InvalidInput(path + ": cannot read stream information (" +
                                AvErrorString(err) + ")");
  }
  in.video_stream_ = av_find_best_stream(raw, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  if (in.video_stream_ >= 0 &&
      (raw->streams[in.video_stream_]->disposition & AV_DISPOSITION_ATTACHED_PIC)) {
    in.video_stream_ = -1;  // cover art is not a video
  }
  if (in.video_stream_ < 0) in.video_stream_ = -1;
  in.audio_stream_ = av_find_best_stream(raw, AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
  if (in.audio_stream_ < 0) in.audio_stream_ = -1;
  return in;
}

Result<AvCodecContextPtr> OpenDecoder(const AVStream* stream, int threads) {
  const AVCodec* codec = avcodec_find_decoder(stream->codecpar->codec_id);
  if (!codec) {
    return Status::Unsupported(std::string("no decoder for codec '") +
                               avcodec_get_name(stream->codecpar->codec_id) + "'");
  }
  AvCodecContextPtr ctx(avcodec_alloc_context3(codec));
  if (!ctx) return Status::Internal("out of memory allocating a decoder");
  int err = avcodec_parameters_to_context(ctx.get(), stream->codecpar);
  if (err < 0) return Status::InvalidInput("bad codec parameters: " + AvErrorString(err));
  ctx->pkt_timebase = stream->time_base;
  ctx->thread_count = threads;
  if (stream->codecpar->codec_type == AVMEDIA_TYPE_VIDEO) {
    ctx->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
  }
  err = avcodec_open2(ctx.get(), codec, nullptr);
  if (err < 0) {
    return Status::InvalidInput(std::string("cannot open the ") + codec->name + " decoder: " +
                                AvErrorString(err));
  }
  return ctx;
}

int DisplayRotationDegrees(const AVStream* stream) {
  const uint8_t* matrix =
      av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, nullptr);
  if (!matrix) return 0;
  // av_display_rotation_get() is counter-clockwise; players rotate by its negation.
  const double ccw = av_display_rotation_get(reinterpret_cast<const int32_t*>(matrix));
  if (std::isnan(ccw)) return 0;
  int cw = static_cast<int>(std::lround(-ccw)) % 360;
  if (cw < 0) cw += 360;
  return ((cw + 45) / 90 % 4) * 90;  // nearest right angle
}

double MediaInput::StreamStartSeconds(int index) const {
  if (index < 0) return std::nan("");
  const AVStream* st = stream(index);
  if (st->start_time == AV_NOPTS_VALUE || st->time_base.den <= 0) return std::nan("");
  return st->start_time * av_q2d(st->time_base);
}

double MediaInput::StreamEndSeconds(int index) const {
  const double start = StreamStartSeconds(index);
  const AVStream* st = index >= 0 ? stream(index) : nullptr;
  if (std::isnan(start) || st->duration == AV_NOPTS_VALUE || st->duration <= 0) return std::nan("");
  return start + st->duration * av_q2d(st->time_base);
}

double MediaInput::TimelineOriginSeconds() const {
  const double v = StreamStartSeconds(video_stream_);
  const double a = StreamStartSeconds(audio_stream_);
  if (std::isnan(v)) return a;
  if (std::isnan(a)) return v;
  return std::min(v, a);
}

}  // namespace presgen
