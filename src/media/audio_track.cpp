#include "media/audio_track.h"

#include <cmath>

namespace presgen {

Result<AudioTrack> AudioTrack::Open(const std::string& path, double origin_s, double end_s) {
  AudioTrack t;
  t.origin_s_ = origin_s;
  t.end_s_ = end_s;
  auto opened = MediaInput::Open(path);
  if (!opened.ok()) return opened.status();
  t.input_ = std::move(opened).value();
  if (t.input_.audio_stream() < 0) {
    t.input_done_ = true;
    return t;
  }
  t.stream_ = t.input_.stream(t.input_.audio_stream());
  for (unsigned i = 0; i < t.input_.format()->nb_streams; ++i) {
    if (static_cast<int>(i) != t.input_.audio_stream()) {
      t.input_.format()->streams[i]->discard = AVDISCARD_ALL;
    }
  }
  if (t.stream_->codecpar->codec_id == AV_CODEC_ID_AAC) {
    t.mode_ = AudioMode::kCopy;
    return t;
  }
  auto dec = OpenDecoder(t.stream_, 1);
  if (!dec.ok()) return Status(dec.status().code(), path + ": audio: " + dec.status().message());
  t.decoder_ = std::move(dec).value();
  t.mode_ = AudioMode::kEncodeAac;
  const int in_rate = t.decoder_->sample_rate;
  t.out_rate_ = (in_rate == 44100 || in_rate == 48000 || in_rate == 32000 || in_rate == 24000 ||
                 in_rate == 22050 || in_rate == 16000)
                    ? in_rate
                    : 48000;
  t.out_channels_ = t.decoder_->ch_layout.nb_channels == 1 ? 1 : 2;
  return t;
}

AudioOutputParams AudioTrack::output_params() const {
  AudioOutputParams p;
  p.mode = mode_;
  if (mode_ == AudioMode::kCopy) {
    p.copy_from = stream_->codecpar;
    p.copy_time_base = stream_->time_base;
  } else if (mode_ == AudioMode::kEncodeAac) {
    p.sample_rate = out_rate_;
    p.channels = out_channels_;
  }
  return p;
}

Status AudioTrack::WriteUntil(Mp4Writer& writer, double t_s) {
  while (!input_done_) {
    // Peek-free pacing: read one packet, write it, stop once we are past t_s.
    const int err = av_read_frame(input_.format(), packet_.get());
    if (err < 0) {
      input_done_ = true;  // EOF or a damaged tail: keep what we have
      break;
    }
    if (packet_->stream_index != input_.audio_stream()) {
      av_packet_unref(packet_.get());
      continue;
    }
    const int64_t pts = packet_->pts != AV_NOPTS_VALUE ? packet_->pts : packet_->dts;
    const double out_s = pts == AV_NOPTS_VALUE ? 0 : pts * av_q2d(stream_->time_base) - origin_s_;
    Status st = HandlePacket(writer, packet_.get());
    av_packet_unref(packet_.get());
    PRESGEN_RETURN_IF_ERROR(st);
    if (out_s >= t_s) break;
  }
  return Status::Ok();
}

Status AudioTrack::HandlePacket(Mp4Writer& writer, AVPacket* pkt) {
  const AVRational tb = stream_->time_base;
  const int64_t origin_ts = static_cast<int64_t>(std::llround(origin_s_ / av_q2d(tb)));
  if (mode_ == AudioMode::kCopy) {
    if (pkt->pts != AV_NOPTS_VALUE) {
      const double out_s = (pkt->pts - origin_ts) * av_q2d(tb);
      const double dur_s = pkt->duration * av_q2d(tb);
      if (out_s + dur_s <= 0 || out_s >= end_s_) return Status::Ok();  // outside the video
      pkt->pts -= origin_ts;
    }
    if (pkt->dts != AV_NOPTS_VALUE) pkt->dts -= origin_ts;
    return writer.WriteAudioPacket(pkt);
  }
  if (avcodec_send_packet(decoder_.get(), pkt) < 0) return Status::Ok();  // skip damage
  return EncodePending(writer, false);
}

Status AudioTrack::EncodePending(Mp4Writer& writer, bool flush) {
  AVCodecContext* enc = writer.audio_encoder();
  if (!resampler_) {
    resampler_ = std::make_unique<AudioResampler>(
        AudioFormat{out_channels_, enc->sample_fmt, out_rate_});
  }
  // Whole encoder frames out of the resampler's buffer; at the end, the short rest too.
  auto encode_ready = [&](bool final) -> Status {
    const int frame_size = enc->frame_size > 0 ? enc->frame_size : 1024;
    while (resampler_->Buffered() >= frame_size || (final && resampler_->Buffered() > 0)) {
      if (samples_written_ / static_cast<double>(out_rate_) >= end_s_) break;
      av_frame_unref(enc_frame_.get());
      enc_frame_->format = enc->sample_fmt;
      enc_frame_->sample_rate = out_rate_;
      if (av_channel_layout_copy(&enc_frame_->ch_layout, &enc->ch_layout) < 0) {
        return Status::Internal("out of memory");
      }
      enc_frame_->nb_samples = frame_size;
      if (av_frame_get_buffer(enc_frame_.get(), 0) < 0) return Status::Internal("out of memory");
      const int got = resampler_->Read(enc_frame_->extended_data, frame_size);
      if (got <= 0) break;
      enc_frame_->nb_samples = got;
      enc_frame_->pts = samples_written_;
      samples_written_ += got;
      if (avcodec_send_frame(enc, enc_frame_.get()) < 0) return Status::Internal("AAC encode");
      while (avcodec_receive_packet(enc, enc_packet_.get()) == 0) {
        PRESGEN_RETURN_IF_ERROR(writer.WriteEncodedAudio(enc_packet_.get()));
      }
    }
    return Status::Ok();
  };
  if (flush) avcodec_send_packet(decoder_.get(), nullptr);
  while (avcodec_receive_frame(decoder_.get(), decoded_.get()) == 0) {
    const int64_t ts = decoded_->best_effort_timestamp;
    const double t_s = ts == AV_NOPTS_VALUE ? 0 : ts * av_q2d(stream_->time_base) - origin_s_;
    // Audio before the picture is dropped; audio that starts after it gets silence first.
    Status pushed = resampler_->PushAt(decoded_.get(), t_s, end_s_);
    av_frame_unref(decoded_.get());
    PRESGEN_RETURN_IF_ERROR(pushed);
    PRESGEN_RETURN_IF_ERROR(encode_ready(false));
  }
  if (flush) {
    PRESGEN_RETURN_IF_ERROR(resampler_->Flush());
    PRESGEN_RETURN_IF_ERROR(encode_ready(true));
    avcodec_send_frame(enc, nullptr);
    while (avcodec_receive_packet(enc, enc_packet_.get()) == 0) {
      PRESGEN_RETURN_IF_ERROR(writer.WriteEncodedAudio(enc_packet_.get()));
    }
  }
  return Status::Ok();
}

Status AudioTrack::Finish(Mp4Writer& writer) {
  if (mode_ == AudioMode::kNone) return Status::Ok();
  PRESGEN_RETURN_IF_ERROR(WriteUntil(writer, end_s_ + 1.0));
  if (mode_ == AudioMode::kEncodeAac) return EncodePending(writer, true);
  return Status::Ok();
}

}  // namespace presgen
