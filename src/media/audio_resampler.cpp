#include "media/audio_resampler.h"

#include <algorithm>
#include <cmath>
#include <vector>

extern "C" {
#include <libavutil/samplefmt.h>
}

namespace presgen {

Status AudioResampler::Reconfigure(const AVFrame& frame) {
  if (swr_) PRESGEN_RETURN_IF_ERROR(Flush());  // keep what the old set-up still holds
  // Until this set-up succeeds, no converter: a failed one is never used again.
  swr_.reset();
  in_format_ = -1;
  if (!in_layout_.CopyOrDefault(frame.ch_layout)) return Status::Internal("out of memory");
  ChannelLayout out_layout;
  out_layout.SetDefault(out_.channels);
  SwrContext* raw = nullptr;
  const int err = swr_alloc_set_opts2(&raw, out_layout.get(), out_.sample_format,
                                      out_.sample_rate, in_layout_.get(),
                                      static_cast<AVSampleFormat>(frame.format),
                                      frame.sample_rate, 0, nullptr);
  SwrContextPtr swr(raw);
  if (err < 0 || !swr) return Status::Internal("cannot set up the audio resampler");
  if (swr_init(swr.get()) < 0) {
    return Status::Internal("cannot start the audio resampler for " +
                            std::to_string(frame.ch_layout.nb_channels) + " channels at " +
                            std::to_string(frame.sample_rate) + " Hz");
  }
  if (!fifo_) {
    fifo_.reset(av_audio_fifo_alloc(out_.sample_format, out_.channels, 4096));
    if (!fifo_) return Status::Internal("out of memory");
  }
  swr_ = std::move(swr);
  in_format_ = frame.format;
  in_rate_ = frame.sample_rate;
  return Status::Ok();
}

// Returns how many samples it wrote to the FIFO (a flush may need several calls).
Result<int> AudioResampler::ConvertInto(const uint8_t* const* in, int in_samples) {
  const int room = swr_get_out_samples(swr_.get(), in_samples);
  if (room < 0) return Status::Internal("audio resampling failed: " + AvErrorString(room));
  if (room == 0) return 0;
  av_frame_unref(scratch_.get());
  scratch_->format = out_.sample_format;
  scratch_->nb_samples = room;
  av_channel_layout_default(&scratch_->ch_layout, out_.channels);
  if (av_frame_get_buffer(scratch_.get(), 0) < 0) return Status::Internal("out of memory");
  const int got = swr_convert(swr_.get(), scratch_->extended_data, room,
                              const_cast<const uint8_t**>(in), in_samples);
  if (got < 0) return Status::Internal("audio resampling failed: " + AvErrorString(got));
  if (got > 0 &&
      av_audio_fifo_write(fifo_.get(), reinterpret_cast<void**>(scratch_->extended_data), got) <
          got) {
    return Status::Internal("out of memory");
  }
  return got;
}

Status AudioResampler::Push(const AVFrame* frame, int skip) {
  if (!frame || frame->nb_samples <= 0 || frame->sample_rate <= 0 ||
      frame->ch_layout.nb_channels <= 0) {
    return Status::Ok();  // nothing decodable in it
  }
  const bool same = swr_ && frame->format == in_format_ && frame->sample_rate == in_rate_ &&
                    frame->ch_layout.nb_channels == in_layout_.get()->nb_channels &&
                    (frame->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC ||
                     av_channel_layout_compare(&frame->ch_layout, in_layout_.get()) == 0);
  if (!same) PRESGEN_RETURN_IF_ERROR(Reconfigure(*frame));
  skip = std::clamp(skip, 0, frame->nb_samples);
  if (skip == frame->nb_samples) return Status::Ok();
  const auto fmt = static_cast<AVSampleFormat>(frame->format);
  const int nch = frame->ch_layout.nb_channels;
  const bool planar = av_sample_fmt_is_planar(fmt);
  const int step = av_get_bytes_per_sample(fmt) * (planar ? 1 : nch);
  const int planes = planar ? nch : 1;
  std::vector<const uint8_t*> in(static_cast<size_t>(planes));
  for (int p = 0; p < planes; ++p) {
    in[p] = frame->extended_data[p] + static_cast<ptrdiff_t>(skip) * step;
  }
  auto converted = ConvertInto(in.data(), frame->nb_samples - skip);
  return converted.ok() ? Status::Ok() : converted.status();
}

Status AudioResampler::PushAt(const AVFrame* frame, double t_s, double max_gap_s) {
  if (!frame || frame->sample_rate <= 0) return Status::Ok();
  // Less than this late is the codecs' own jitter (AAC priming), not a gap.
  constexpr double kLateStartS = 0.025;
  if (!pushed_at_ && t_s > kLateStartS) {
    PRESGEN_RETURN_IF_ERROR(PushSilence(
        static_cast<int>(std::lround(std::min(t_s, std::max(0.0, max_gap_s)) * out_.sample_rate))));
  }
  pushed_at_ = true;
  int skip = 0;
  if (t_s < 0) {
    skip = static_cast<int>(std::min<double>(frame->nb_samples, std::lround(-t_s * frame->sample_rate)));
  }
  return Push(frame, skip);
}

Status AudioResampler::PushSilence(int samples) {
  if (samples <= 0) return Status::Ok();
  if (!fifo_) {
    fifo_.reset(av_audio_fifo_alloc(out_.sample_format, out_.channels, samples));
    if (!fifo_) return Status::Internal("out of memory");
  }
  av_frame_unref(scratch_.get());
  scratch_->format = out_.sample_format;
  scratch_->nb_samples = samples;
  av_channel_layout_default(&scratch_->ch_layout, out_.channels);
  if (av_frame_get_buffer(scratch_.get(), 0) < 0) return Status::Internal("out of memory");
  av_samples_set_silence(scratch_->extended_data, 0, samples, out_.channels, out_.sample_format);
  if (av_audio_fifo_write(fifo_.get(), reinterpret_cast<void**>(scratch_->extended_data),
                          samples) < samples) {
    return Status::Internal("out of memory");
  }
  return Status::Ok();
}

Status AudioResampler::Flush() {
  if (!swr_) return Status::Ok();
  for (;;) {  // until the converter holds nothing more
    auto converted = ConvertInto(nullptr, 0);
    if (!converted.ok()) return converted.status();
    if (*converted == 0) return Status::Ok();
  }
}

int AudioResampler::Buffered() const { return fifo_ ? av_audio_fifo_size(fifo_.get()) : 0; }

int AudioResampler::Read(uint8_t** planes, int max_samples) {
  if (!fifo_ || max_samples <= 0) return 0;
  const int got = av_audio_fifo_read(fifo_.get(), reinterpret_cast<void**>(planes),
                                     max_samples);
  return std::max(0, got);
}

}  // namespace presgen
