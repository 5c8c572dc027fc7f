#include "media/probe.h"

#include <algorithm>
#include <cmath>

#include "media/media_input.h"

extern "C" {
#include <libavutil/pixdesc.h>
}

namespace presgen {
namespace {

double StreamDurationSeconds(const AVFormatContext* fmt, const AVStream* st) {
  if (st->duration != AV_NOPTS_VALUE && st->duration > 0) {
    return st->duration * av_q2d(st->time_base);
  }
  if (fmt->duration != AV_NOPTS_VALUE && fmt->duration > 0) {
    return static_cast<double>(fmt->duration) / AV_TIME_BASE;
  }
  return 0;
}

// A truncated file usually still has a valid header; its last seconds are missing.
// Seek near the end and require a whole video packet from there.
Status CheckTailReadable(const MediaInput& in, double duration_s) {
  AVFormatContext* fmt = in.format();
  const int vs = in.video_stream();
  const AVStream* st = in.stream(vs);
  const double target_s = std::max(0.0, duration_s - 2.0);
  const int64_t ts = static_cast<int64_t>(target_s / av_q2d(st->time_base));
  if (av_seek_frame(fmt, vs, ts, AVSEEK_FLAG_BACKWARD) < 0) return Status::Ok();  // unseekable
  AvPacketPtr pkt = MakePacket();
  int video_packets = 0;
  double last_pts_s = -1;
  for (int i = 0; i < 4096; ++i) {
    const int err = av_read_frame(fmt, pkt.get());
    if (err < 0) break;
    if (pkt->stream_index == vs) {
      if (pkt->flags & AV_PKT_FLAG_CORRUPT) {
        return Status::InvalidInput(in.path() + ": the file is truncated or corrupt near the end");
      }
      ++video_packets;
      if (pkt->pts != AV_NOPTS_VALUE) last_pts_s = pkt->pts * av_q2d(st->time_base);
    }
    av_packet_unref(pkt.get());
  }
  const double start_s =
      st->start_time != AV_NOPTS_VALUE ? st->start_time * av_q2d(st->time_base) : 0.0;
  if (video_packets == 0 || (last_pts_s >= 0 && last_pts_s - start_s < duration_s - 3.0)) {
    return Status::InvalidInput(in.path() + ": the file is truncated (video ends early)");
  }
  return Status::Ok();
}

// The output's length: from the timeline origin (the earlier stream start) to the later
// stream end, so speech that runs past the picture (or starts before it) is all kept.
// `own_s`: the main stream's own duration. A stream that does not say where it ends counts
// as the container's duration.
double TimelineSpanSeconds(const MediaInput& in, double own_s) {
  const double origin = in.TimelineOriginSeconds();
  if (std::isnan(origin)) return own_s;
  const AVFormatContext* fmt = in.format();
  const double container_s =
      fmt->duration != AV_NOPTS_VALUE && fmt->duration > 0 ? fmt->duration / double(AV_TIME_BASE) : 0;
  double span = own_s;
  const int main = in.video_stream() >= 0 ? in.video_stream() : in.audio_stream();
  if (const double start = in.StreamStartSeconds(main); !std::isnan(start)) {
    span = std::max(span, start - origin + own_s);  // a picture that starts after the sound
  }
  if (in.video_stream() >= 0 && in.audio_stream() >= 0) {
    const double audio_end = in.StreamEndSeconds(in.audio_stream());
    span = std::max(span, std::isnan(audio_end) ? container_s : audio_end - origin);
  }
  return span;
}

}  // namespace

Result<MediaInfo> Probe(const std::string& path, const ProbeParams& params) {
  MediaInputParams ip;
  ip.deadline_s = 30;
  auto opened = MediaInput::Open(path, ip);
  if (!opened.ok()) return opened.status();
  MediaInput& in = *opened;
  const AVFormatContext* fmt = in.format();

  MediaInfo info;
  info.path = path;
  info.container = fmt->iformat->name;
  if (in.video_stream() >= 0) {
    const AVStream* st = in.stream(in.video_stream());
    const AVCodecParameters* par = st->codecpar;
    info.has_video = true;
    info.video_codec = avcodec_get_name(par->codec_id);
    info.width = par->width;
    info.height = par->height;
    const char* pix = av_get_pix_fmt_name(static_cast<AVPixelFormat>(par->format));
    info.pixel_format = pix ? pix : "";
    info.rotation_deg = DisplayRotationDegrees(st);
    const bool swap = info.rotation_deg == 90 || info.rotation_deg == 270;
    info.display_width = swap ? info.height : info.width;
    info.display_height = swap ? info.width : info.height;
    AVRational fr = av_guess_frame_rate(const_cast<AVFormatContext*>(fmt),
                                        const_cast<AVStream*>(st), nullptr);
    info.fps = fr.num > 0 && fr.den > 0 ? av_q2d(fr) : 0;
    info.duration_s = StreamDurationSeconds(fmt, st);
  }
  if (in.audio_stream() >= 0) {
    const AVStream* st = in.stream(in.audio_stream());
    info.has_audio = true;
    info.audio_codec = avcodec_get_name(st->codecpar->codec_id);
    info.sample_rate = st->codecpar->sample_rate;
    info.channels = st->codecpar->ch_layout.nb_channels;
    if (info.duration_s <= 0) info.duration_s = StreamDurationSeconds(fmt, st);
  }

  if (params.require_video && !info.has_video) {
    return Status::Unsupported(path + ": has no video stream");
  }
  if (info.has_video) {
    if (info.width <= 0 || info.height <= 0) {
      return Status::InvalidInput(path + ": video stream has no frame size");
    }
    if (static_cast<int64_t>(info.width) * info.height > params.max_pixels) {
      return Status::Unsupported(path + ": video is " + std::to_string(info.width) + "x" +
                                 std::to_string(info.height) + ", larger than supported");
    }
    if (!avcodec_find_decoder(in.stream(in.video_stream())->codecpar->codec_id)) {
      return Status::Unsupported(path + ": no decoder for video codec '" + info.video_codec + "'");
    }
    if (info.fps <= 0 || !std::isfinite(info.fps)) info.fps = 30;
  }
  const double own_duration_s = info.duration_s;  // the video's (an audio file's: its own)
  info.duration_s = TimelineSpanSeconds(in, own_duration_s);
  if (!(info.duration_s > 0)) return Status::InvalidInput(path + ": has no duration (empty?)");
  if (info.duration_s > params.max_duration_s) {
    return Status::Unsupported(path + ": is " + std::to_string(static_cast<int>(info.duration_s)) +
                               " s long; the limit is " +
                               std::to_string(static_cast<int>(params.max_duration_s)) + " s");
  }
  if (params.check_tail && info.has_video) {
    PRESGEN_RETURN_IF_ERROR(CheckTailReadable(in, own_duration_s));
  }
  return info;
}

}  // namespace presgen
