#include "media/audio_extract.h"

#include <spdlog/spdlog.h>

#include "media/media_input.h"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
}

namespace presgen {
namespace {

class MonoResampler {
 public:
  Status Init(const AVCodecContext* dec, int out_rate) {
    out_rate_ = out_rate;
    AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
    AVChannelLayout in_layout;
    if (dec->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC || dec->ch_layout.nb_channels <= 0) {
      av_channel_layout_default(&in_layout, std::max(1, dec->ch_layout.nb_channels));
    } else if (av_channel_layout_copy(&in_layout, &dec->ch_layout) < 0) {
      return Status::Internal("cannot copy channel layout");
    }
    SwrContext* raw = nullptr;
    int err = swr_alloc_set_opts2(&raw, &mono, AV_SAMPLE_FMT_FLT, out_rate, &in_layout,
                                  dec->sample_fmt, dec->sample_rate, 0, nullptr);
    av_channel_layout_uninit(&in_layout);
    swr_.reset(raw);
    if (err < 0 || !swr_) return Status::Internal("cannot set up the resampler");
    if ((err = swr_init(swr_.get())) < 0) {
      return Status::Internal("cannot start the resampler: " + AvErrorString(err));
    }
    return Status::Ok();
  }

  // frame == nullptr flushes.
  Status Convert(const AVFrame* frame, std::vector<float>& out) {
    const int in_samples = frame ? frame->nb_samples : 0;
    const int max_out = swr_get_out_samples(swr_.get(), in_samples);
    if (max_out <= 0) return Status::Ok();
    const size_t old = out.size();
    out.resize(old + max_out);
    uint8_t* dst = reinterpret_cast<uint8_t*>(out.data() + old);
    const int got = swr_convert(swr_.get(), &dst, max_out,
                                frame ? const_cast<const uint8_t**>(frame->extended_data) : nullptr,
                                in_samples);
    if (got < 0) {
      out.resize(old);
      return Status::Internal("resampling failed: " + AvErrorString(got));
    }
    out.resize(old + got);
    return Status::Ok();
  }

 private:
  SwrContextPtr swr_;
  int out_rate_ = 0;
};

}  // namespace

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

  MonoResampler resampler;
  PRESGEN_RETURN_IF_ERROR(resampler.Init(dec->get(), params.sample_rate));

  // Only the audio stream matters here: tell the demuxer to skip the rest.
  for (unsigned i = 0; i < in.format()->nb_streams; ++i) {
    if (static_cast<int>(i) != in.audio_stream()) in.format()->streams[i]->discard = AVDISCARD_ALL;
  }
  const double duration_s =
      in.format()->duration > 0 ? static_cast<double>(in.format()->duration) / AV_TIME_BASE : 0;

  PcmAudio audio;
  audio.sample_rate = params.sample_rate;
  if (duration_s > 0) audio.samples.reserve(static_cast<size_t>(duration_s * params.sample_rate));
  AvPacketPtr pkt = MakePacket();
  AvFramePtr frame = MakeFrame();
  int bad_packets = 0;
  auto drain = [&]() -> Status {
    while (true) {
      int err = avcodec_receive_frame(dec->get(), frame.get());
      if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return Status::Ok();
      if (err < 0) {
        ++bad_packets;
        return Status::Ok();
      }
      Status s = resampler.Convert(frame.get(), audio.samples);
      av_frame_unref(frame.get());
      if (!s.ok()) return s;
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
  PRESGEN_RETURN_IF_ERROR(resampler.Convert(nullptr, audio.samples));
  if (bad_packets > 0) SPDLOG_WARN("{}: skipped {} damaged audio packets", path, bad_packets);
  callbacks.Progress(1.0);
  return audio;
}

}  // namespace presgen
