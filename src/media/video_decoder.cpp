#include "media/video_decoder.h"

#include <cmath>

namespace presgen {

Result<VideoDecoder> VideoDecoder::Open(const std::string& path,
                                        const VideoDecoderParams& params) {
  MediaInputParams ip;
  ip.should_abort = params.should_abort;
  auto opened = MediaInput::Open(path, ip);
  if (!opened.ok()) return opened.status();
  if (opened->video_stream() < 0) return Status::InvalidInput(path + ": has no video stream");
  VideoDecoder d;
  d.input_ = std::move(opened).value();
  d.should_abort_ = params.should_abort;
  AVStream* st = d.input_.stream(d.input_.video_stream());
  for (unsigned i = 0; i < d.input_.format()->nb_streams; ++i) {
    if (static_cast<int>(i) != d.input_.video_stream()) {
      d.input_.format()->streams[i]->discard = AVDISCARD_ALL;
    }
  }
  auto dec = OpenDecoder(st, params.threads);
  if (!dec.ok()) return Status(dec.status().code(), path + ": video: " + dec.status().message());
  d.dec_ = std::move(dec).value();
  if (params.quality == DecodeQuality::kFast) {
    d.dec_->skip_loop_filter = AVDISCARD_ALL;
    d.dec_->flags2 |= AV_CODEC_FLAG2_FAST;
  }
  // Frame times on the output timeline: 0 is the earlier of the video's and the audio's
  // start (media_input.h), so a picture that starts late starts late in the output too.
  const double origin = d.input_.TimelineOriginSeconds();
  d.start_s_ = std::isnan(origin) ? 0.0 : origin;
  d.rotation_deg_ = DisplayRotationDegrees(st);
  return d;
}

void VideoDecoder::SkipNonReferenceFrames(bool skip) {
  dec_->skip_frame = skip ? AVDISCARD_NONREF : AVDISCARD_DEFAULT;
}

Result<bool> VideoDecoder::Next(AVFrame** frame, double* t_s) {
  av_frame_unref(frame_.get());
  while (!finished_) {
    int err = avcodec_receive_frame(dec_.get(), frame_.get());
    if (err == 0) {
      const AVStream* st = stream();
      int64_t ts = frame_->best_effort_timestamp;
      if (ts == AV_NOPTS_VALUE) ts = frame_->pts;
      *t_s = ts == AV_NOPTS_VALUE ? 0.0 : ts * av_q2d(st->time_base) - start_s_;
      *frame = frame_.get();
      return true;
    }
    if (err == AVERROR_EOF) {
      finished_ = true;
      break;
    }
    if (err != AVERROR(EAGAIN)) {
      ++damaged_packets_;  // a frame that failed to decode; carry on with the next
      continue;
    }
    if (flushing_) {
      finished_ = true;
      break;
    }
    err = av_read_frame(input_.format(), pkt_.get());
    if (err < 0) {
      if (input_.interrupt_reason() == StatusCode::kCancelled) {
        return Status::Cancelled("video decoding cancelled");
      }
      if (input_.interrupt_reason() == StatusCode::kTimeout) {
        return Status::Timeout(input_.path() + ": reading timed out");
      }
      avcodec_send_packet(dec_.get(), nullptr);  // EOF or damaged tail: drain
      flushing_ = true;
      continue;
    }
    if (pkt_->stream_index == input_.video_stream()) {
      if (avcodec_send_packet(dec_.get(), pkt_.get()) < 0) ++damaged_packets_;
    }
    av_packet_unref(pkt_.get());
    if (should_abort_ && should_abort_()) return Status::Cancelled("video decoding cancelled");
  }
  return false;
}

}  // namespace presgen
