#include "media/audio_extract.h"

#include <cmath>

#include <spdlog/spdlog.h>

#include "media/audio_resampler.h"
#include "media/media_input.h"

namespace presgen {

Result<PcmAudio> ExtractAudio(const std::string& path, const AudioExtractParams& params,
                              const StageCallbacks& callbacks) {
  MediaInputParams ip;
  ip.should_abort = callbacks.should_abort;
  auto opened = MediaInput::Open(path, ip);
  if (!opened.ok()) return opened.status();
  MediaInput& in = *opened;
  if (in.audio_stream() < 0) return Status::Unavailable(path + ": has no audio stream");
  const AVStream* st = in.stream(in.audio_stream());
  auto dec = OpenDecoder(st, params.threads);
  if (!dec.ok()) return Status(dec.status().code(), path + ": audio: " + dec.status().message());

  AudioResampler resampler({1, AV_SAMPLE_FMT_FLT, params.sample_rate});

  // Only the audio stream matters here: tell the demuxer to skip the rest.
  for (unsigned i = 0; i < in.format()->nb_streams; ++i) {
    if (static_cast<int>(i) != in.audio_stream()) in.format()->streams[i]->discard = AVDISCARD_ALL;
  }
  const double duration_s =
      in.format()->duration > 0 ? static_cast<double>(in.format()->duration) / AV_TIME_BASE : 0;
  // Samples go on the output timeline: 0 = the earlier of the video's and the audio's start
  // (the audio's own first sample when neither says), so word times match the picture
  // however the streams are offset, and audio before the first picture is kept.
  const double origin = in.TimelineOriginSeconds();
  const bool has_origin = !std::isnan(origin);
  double origin_s = has_origin ? origin : 0;
  bool first_frame = true;

  PcmAudio audio;
  audio.sample_rate = params.sample_rate;
  if (duration_s > 0) audio.samples.reserve(static_cast<size_t>(duration_s * params.sample_rate));
  AvPacketPtr pkt = MakePacket();
  AvFramePtr frame = MakeFrame();
  int bad_packets = 0;
  auto take_converted = [&] {
    const size_t old = audio.samples.size();
    audio.samples.resize(old + static_cast<size_t>(resampler.Buffered()));
    uint8_t* dst = reinterpret_cast<uint8_t*>(audio.samples.data() + old);
    audio.samples.resize(old + static_cast<size_t>(resampler.Read(&dst, resampler.Buffered())));
  };
  auto drain = [&]() -> Status {
    while (true) {
      int err = avcodec_receive_frame(dec->get(), frame.get());
      if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return Status::Ok();
      if (err < 0) {
        ++bad_packets;
        return Status::Ok();
      }
      int64_t ts = frame->best_effort_timestamp;
      if (ts == AV_NOPTS_VALUE) ts = frame->pts;
      double t_s = ts == AV_NOPTS_VALUE ? 0 : ts * av_q2d(st->time_base);
      if (first_frame && !has_origin) origin_s = t_s;  // no start time: the stream's own
      first_frame = false;
      t_s = ts == AV_NOPTS_VALUE ? 0 : t_s - origin_s;
      Status s = resampler.PushAt(frame.get(), t_s, std::max(0.0, duration_s));
      av_frame_unref(frame.get());
      if (!s.ok()) return s;
      take_converted();
    }
  };
  int64_t packets = 0;
  while (true) {
    int err = av_read_frame(in.format(), pkt.get());
    if (err == AVERROR_EOF) break;
    if (err < 0) {
      if (in.interrupt_reason() == StatusCode::kCancelled || callbacks.Aborted()) {
        return Status::Cancelled("audio extraction cancelled");
      }
      break;  // a damaged tail: keep what we decoded
    }
    if (pkt->stream_index == in.audio_stream()) {
      if (avcodec_send_packet(dec->get(), pkt.get()) < 0) ++bad_packets;
      PRESGEN_RETURN_IF_ERROR(drain());
      if (duration_s > 0 && (++packets % 64) == 0) {
        callbacks.Progress(std::min(1.0, audio.duration_s() / duration_s));
        if (callbacks.Aborted()) return Status::Cancelled("audio extraction cancelled");
      }
    }
    av_packet_unref(pkt.get());
  }
  avcodec_send_packet(dec->get(), nullptr);
  PRESGEN_RETURN_IF_ERROR(drain());
  PRESGEN_RETURN_IF_ERROR(resampler.Flush());
  take_converted();
  if (bad_packets > 0) SPDLOG_WARN("{}: skipped {} damaged audio packets", path, bad_packets);
  callbacks.Progress(1.0);
  return audio;
}

}  // namespace presgen
