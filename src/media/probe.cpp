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

// Where the packets of the video and audio streams really end, in input seconds (NaN for a
// stream with no whole packet), reading from the current position until the file ends or
// `max_packets` were read. Damaged packets are skipped: only whole ones count.
struct PacketEnds {
  double video = std::nan("");
  double audio = std::nan("");
  int video_packets = 0;
};

PacketEnds ScanPacketEnds(const MediaInput& in, int max_packets) {
  PacketEnds ends;
  AvPacketPtr pkt = MakePacket();
  for (int i = 0; i < max_packets && av_read_frame(in.format(), pkt.get()) >= 0; ++i) {
    const int index = pkt->stream_index;
    const bool counted = index == in.video_stream() || index == in.audio_stream();
    const int64_t ts = pkt->pts != AV_NOPTS_VALUE ? pkt->pts : pkt->dts;
    if (counted && !(pkt->flags & AV_PKT_FLAG_CORRUPT) && ts != AV_NOPTS_VALUE) {
      const double tb = av_q2d(in.stream(index)->time_base);
      const double end = (ts + std::max<int64_t>(pkt->duration, 0)) * tb;
      double& slot = index == in.video_stream() ? ends.video : ends.audio;
      slot = std::isnan(slot) ? end : std::max(slot, end);
      if (index == in.video_stream()) ++ends.video_packets;
    }
    av_packet_unref(pkt.get());
  }
  return ends;
}

// Where the packets of the whole file end, read from its first packet by an input of its
// own (a cut file cannot always seek back to its start), within `params`' deadline.
Result<PacketEnds> ScanWholeFile(const std::string& path, const MediaInputParams& params) {
  auto opened = MediaInput::Open(path, params);
  if (!opened.ok()) return opened.status();
  PacketEnds all = ScanPacketEnds(*opened, 4 << 20);
  if (opened->interrupt_reason() != StatusCode::kOk) {
    return Status::Timeout(path + ": reading the file took too long");
  }
  return all;
}

// Neither the sound's stream nor the container says where the sound ends (an AVI of PCM
// whose header lies about its frame rate, a raw capture).
bool SoundEndUnknown(const MediaInput& in) {
  const AVFormatContext* fmt = in.format();
  return in.audio_stream() >= 0 && std::isnan(in.StreamEndSeconds(in.audio_stream())) &&
         (fmt->duration == AV_NOPTS_VALUE || fmt->duration <= 0);
}

// A cut recording usually keeps a valid header that announces more than the file holds.
// Reads the last seconds the header announces; when they are not there, reads the whole
// file to find where its media really ends, and returns that (input seconds). NaN: the
// video is whole.
Result<double> ReadableEndSeconds(const MediaInput& in, const MediaInputParams& params,
                                  double video_end_s) {
  AVFormatContext* fmt = in.format();
  const int vs = in.video_stream();
  const AVStream* st = in.stream(vs);
  const int64_t near_end =
      static_cast<int64_t>(std::max(0.0, video_end_s - 2.0) / av_q2d(st->time_base));
  if (av_seek_frame(fmt, vs, near_end, AVSEEK_FLAG_BACKWARD) >= 0) {
    const PacketEnds tail = ScanPacketEnds(in, 4096);
    if (tail.video_packets > 0 && tail.video >= video_end_s - 1.0) return std::nan("");
  }
  auto all = ScanWholeFile(in.path(), params);
  if (!all.ok()) return all.status();
  if (all->video_packets == 0 || std::isnan(all->video)) {
    return Status::InvalidInput(in.path() + ": the file is truncated: no picture can be read");
  }
  const double end = std::isnan(all->audio) ? all->video : std::max(all->video, all->audio);
  if (end >= video_end_s - 1.0) return std::nan("");
  return end;
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
  if (SoundEndUnknown(in)) {
    // Measured from the packets, so the output is as long as the speech.
    auto all = ScanWholeFile(path, ip);
    if (!all.ok()) return all.status();
    const double origin = in.TimelineOriginSeconds();
    const double zero = std::isnan(origin) ? 0.0 : origin;
    for (const double end : {all->video, all->audio}) {
      if (!std::isnan(end)) info.duration_s = std::max(info.duration_s, end - zero);
    }
  }
  if (!(info.duration_s > 0)) return Status::InvalidInput(path + ": has no duration (empty?)");
  if (info.duration_s > params.max_duration_s) {
    return Status::Unsupported(path + ": is " + std::to_string(static_cast<int>(info.duration_s)) +
                               " s long; the limit is " +
                               std::to_string(static_cast<int>(params.max_duration_s)) + " s");
  }
  if (params.check_tail && info.has_video) {
    const double video_start = in.StreamStartSeconds(in.video_stream());
    const double origin = in.TimelineOriginSeconds();
    const double start = std::isnan(video_start) ? 0.0 : video_start;
    auto readable_end = ReadableEndSeconds(in, ip, start + own_duration_s);
    if (!readable_end.ok()) return readable_end.status();
    if (!std::isnan(*readable_end)) {
      // A cut recording: the part that is there is the input (the job says so, degraded).
      info.announced_duration_s = info.duration_s;
      info.duration_s = *readable_end - (std::isnan(origin) ? start : origin);
      if (info.duration_s < 0.5) {
        return Status::InvalidInput(path +
                                    ": the file is truncated: less than half a second is readable");
      }
    }
  }
  return info;
}

}  // namespace presgen
