#include "media/audio_resampler.h"

#include <algorithm>
#include <vector>

extern "C" {
#include <libavutil/samplefmt.h>
}

namespace presgen {

Status AudioResampler::Reconfigure(const AVFrame& frame) {
  if (swr_) PRESGEN_RETURN_IF_ERROR(Flush());  // keep what the old set-up still holds
  if (!in_layout_.CopyOrDefault(frame.ch_layout)) return Status::Internal("out of memory");
  in_format_ = frame.format;
  in_rate_ = frame.sample_rate;
  ChannelLayout out_layout;
  out_layout.SetDefault(out_.channels);
  SwrContext* raw = nullptr;
  const int err = swr_alloc_set_opts2(&raw, out_layout.get(), out_.sample_format,
                                      out_.sample_rate, in_layout_.get(),
                                      static_cast<AVSampleFormat>(frame.format),
                                      frame.sample_rate, 0, nullptr);
  swr_.reset(raw);
  if (err < 0 || !swr_) return Status::Internal("cannot set up the audio resampler");
  if (swr_init(swr_.get()) < 0) {
    return Status::Internal("cannot start the audio resampler for " +
                            std::to_string(frame.ch_layout.nb_channels) + " channels at " +
                            std::to_string(frame.sample_rate) + " Hz");
  }
  if (!fifo_) {
    fifo_.reset(av_audio_fifo_alloc(out_.sample_format, out_.channels, 4096));
    if (!fifo_) return Status::Internal("out of memory");
  }
  return Status::Ok();
}

Status AudioResampler::ConvertInto(const uint8_t* const* in, int in_samples) {
  const int room = swr_get_out_samples(swr_.get(), in_samples);
  if (room <= 0) return Status::Ok();
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
  return Status::Ok();
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
  return ConvertInto(in.data(), frame->nb_samples - skip);
}

Status AudioResampler::Flush() {
  if (!swr_) return Status::Ok();
  return ConvertInto(nullptr, 0);
}

int AudioResampler::Buffered() const { return fifo_ ? av_audio_fifo_size(fifo_.get()) : 0; }

int AudioResampler::Read(uint8_t** planes, int max_samples) {
  if (!fifo_ || max_samples <= 0) return 0;
  const int got = av_audio_fifo_read(fifo_.get(), reinterpret_cast<void**>(planes),
                                     max_samples);
  return std::max(0, got);
}

}  // namespace presgen
