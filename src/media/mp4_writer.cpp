#include "media/mp4_writer.h"

#include <cstdio>
#include <filesystem>
#include <unistd.h>

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
}

namespace presgen {

Status CheckEncoders() {
  if (!avcodec_find_encoder_by_name("libx264")) {
    return Status::Unavailable("FFmpeg was built without libx264");
  }
  if (!avcodec_find_encoder(AV_CODEC_ID_AAC)) return Status::Unavailable("no AAC encoder");
  return Status::Ok();
}


Mp4Writer::~Mp4Writer() {
  if (!finished_ && !temp_path_.empty()) {
    out_.reset();  // close the file before removing it
    std::remove(temp_path_.c_str());
  }
}

Result<Mp4Writer> Mp4Writer::Open(const std::string& path, const VideoEncoderParams& video,
                                  const AudioOutputParams& audio) {
  Mp4Writer w;
  w.path_ = path;
  const std::filesystem::path p(path);
  std::string temp_name = ".";  // hidden, beside the target (same filesystem for rename)
  temp_name += p.filename().string();
  temp_name += ".part" + std::to_string(::getpid()) + ".mp4";
  w.temp_path_ = (p.parent_path() / temp_name).string();

  AVFormatContext* raw = nullptr;
  int err = avformat_alloc_output_context2(&raw, nullptr, "mp4", w.temp_path_.c_str());
  if (err < 0 || !raw) return Status::Internal("cannot create an MP4 muxer");
  w.out_.reset(raw);

  // Video: libx264, High profile, yuv420p, BT.709 limited range.
  const AVCodec* x264 = avcodec_find_encoder_by_name("libx264");
  if (!x264) return Status::Internal("FFmpeg was built without libx264");
  w.video_enc_.reset(avcodec_alloc_context3(x264));
  AVCodecContext* v = w.video_enc_.get();
  v->width = video.width;
  v->height = video.height;
  v->pix_fmt = AV_PIX_FMT_YUV420P;
  v->time_base = av_inv_q(video.frame_rate);
  v->framerate = video.frame_rate;
  v->sample_aspect_ratio = {1, 1};
  v->gop_size = static_cast<int>(av_q2d(video.frame_rate) * 4);
  v->thread_count = video.threads;
  v->color_primaries = AVCOL_PRI_BT709;
  v->color_trc = AVCOL_TRC_BT709;
  v->colorspace = AVCOL_SPC_BT709;
  v->color_range = AVCOL_RANGE_MPEG;
  if (w.out_->oformat->flags & AVFMT_GLOBALHEADER) v->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  AVDictionary* opts = nullptr;
  av_dict_set(&opts, "preset", video.preset.c_str(), 0);
  av_dict_set(&opts, "crf", std::to_string(video.crf).c_str(), 0);
  av_dict_set(&opts, "profile", "high", 0);
  err = avcodec_open2(v, x264, &opts);
  av_dict_free(&opts);
  if (err < 0) return Status::Internal("cannot open the H.264 encoder: " + AvErrorString(err));
  w.video_stream_ = avformat_new_stream(raw, nullptr);
  avcodec_parameters_from_context(w.video_stream_->codecpar, v);
  w.video_stream_->time_base = v->time_base;
  w.video_stream_->avg_frame_rate = video.frame_rate;

  if (audio.mode == AudioMode::kCopy) {
    w.audio_stream_ = avformat_new_stream(raw, nullptr);
    avcodec_parameters_copy(w.audio_stream_->codecpar, audio.copy_from);
    w.audio_stream_->codecpar->codec_tag = 0;
    w.audio_stream_->time_base = audio.copy_time_base;
    w.audio_in_tb_ = audio.copy_time_base;
  } else if (audio.mode == AudioMode::kEncodeAac) {
    const AVCodec* aac = avcodec_find_encoder(AV_CODEC_ID_AAC);
    if (!aac) return Status::Internal("FFmpeg has no AAC encoder");
    w.audio_enc_.reset(avcodec_alloc_context3(aac));
    AVCodecContext* a = w.audio_enc_.get();
    a->sample_fmt = AV_SAMPLE_FMT_FLTP;
    a->sample_rate = audio.sample_rate;
    av_channel_layout_default(&a->ch_layout, audio.channels);
    a->bit_rate = audio.bit_rate;
    a->time_base = {1, audio.sample_rate};
    if (w.out_->oformat->flags & AVFMT_GLOBALHEADER) a->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    err = avcodec_open2(a, aac, nullptr);
    if (err < 0) return Status::Internal("cannot open the AAC encoder: " + AvErrorString(err));
    w.audio_stream_ = avformat_new_stream(raw, nullptr);
    avcodec_parameters_from_context(w.audio_stream_->codecpar, a);
    w.audio_stream_->time_base = a->time_base;
    w.audio_in_tb_ = a->time_base;
  }

  err = avio_open(&w.out_->pb, w.temp_path_.c_str(), AVIO_FLAG_WRITE);
  if (err < 0) {
    return Status::Internal("cannot create " + w.temp_path_ + ": " + AvErrorString(err));
  }
  opts = nullptr;
  av_dict_set(&opts, "movflags", "+faststart", 0);
  err = avformat_write_header(w.out_.get(), &opts);
  av_dict_free(&opts);
  if (err < 0) return Status::Internal("cannot write the MP4 header: " + AvErrorString(err));

  w.frame_ = MakeFrame();
  w.frame_->format = v->pix_fmt;
  w.frame_->width = v->width;
  w.frame_->height = v->height;
  if (av_frame_get_buffer(w.frame_.get(), 0) < 0) return Status::Internal("out of memory");
  return w;
}

Result<AVFrame*> Mp4Writer::NextVideoFrame() {
  // The encoder may still reference the previous buffer; this copies only then.
  if (av_frame_make_writable(frame_.get()) < 0) return Status::Internal("out of memory");
  return frame_.get();
}

Status Mp4Writer::WriteVideoFrame(int64_t index) {
  frame_->pts = index;
  const int err = avcodec_send_frame(video_enc_.get(), frame_.get());
  if (err < 0) return Status::Internal("H.264 encoding failed: " + AvErrorString(err));
  return DrainVideo(false);
}

Status Mp4Writer::DrainVideo(bool flush) {
  if (flush) avcodec_send_frame(video_enc_.get(), nullptr);
  while (true) {
    int err = avcodec_receive_packet(video_enc_.get(), packet_.get());
    if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return Status::Ok();
    if (err < 0) return Status::Internal("H.264 encoding failed: " + AvErrorString(err));
    av_packet_rescale_ts(packet_.get(), video_enc_->time_base, video_stream_->time_base);
    packet_->stream_index = video_stream_->index;
    err = av_interleaved_write_frame(out_.get(), packet_.get());
    if (err < 0) return Status::Internal("writing video failed: " + AvErrorString(err));
  }
}

Status Mp4Writer::WriteAudioPacket(AVPacket* packet) {
  if (!audio_stream_) return Status::Internal("no audio stream in this output");
  av_packet_rescale_ts(packet, audio_in_tb_, audio_stream_->time_base);
  packet->stream_index = audio_stream_->index;
  packet->pos = -1;
  const int err = av_interleaved_write_frame(out_.get(), packet);
  if (err < 0) return Status::Internal("writing audio failed: " + AvErrorString(err));
  return Status::Ok();
}

Status Mp4Writer::WriteEncodedAudio(AVPacket* packet) { return WriteAudioPacket(packet); }

Status Mp4Writer::Finish() {
  PRESGEN_RETURN_IF_ERROR(DrainVideo(true));
  int err = av_write_trailer(out_.get());
  if (err < 0) return Status::Internal("cannot finish the MP4: " + AvErrorString(err));
  out_.reset();  // closes the file
  std::error_code ec;
  std::filesystem::rename(temp_path_, path_, ec);
  if (ec) return Status::Internal("cannot move the output to " + path_ + ": " + ec.message());
  finished_ = true;
  return Status::Ok();
}

}  // namespace presgen
