#include "media/test_clip.h"

#include <algorithm>
#include <cmath>

#include "media/ffmpeg_ptr.h"
#include "media/mp4_writer.h"

namespace presgen {
namespace {

void PaintFrame(AVFrame* f, int index, const TestClipParams& p) {
  const int shift = index * 4;
  uint32_t seed = 2463534242u + static_cast<uint32_t>(index);  // xorshift32: the same clip every time
  const int noise = std::clamp(p.noise, 0, 32);
  for (int y = 0; y < p.height; ++y) {
    uint8_t* row = f->data[0] + static_cast<ptrdiff_t>(y) * f->linesize[0];
    for (int x = 0; x < p.width; ++x) {
      int v = 40 + ((x + y + shift) % 160);
      if (noise > 0) {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        v += static_cast<int>(seed % (2 * noise + 1)) - noise;
      }
      row[x] = static_cast<uint8_t>(v);
    }
  }
  for (int plane = 1; plane <= 2; ++plane) {
    for (int y = 0; y < p.height / 2; ++y) {
      std::fill_n(f->data[plane] + static_cast<ptrdiff_t>(y) * f->linesize[plane], p.width / 2,
                  uint8_t{128});
    }
  }
  if (p.overlay == nullptr) return;
  const int ow = std::min(p.overlay_width, p.width), oh = std::min(p.overlay_height, p.height);
  const int x0 = (p.width - ow) / 2, y0 = (p.height - oh) / 2;
  for (int y = 0; y < oh; ++y) {
    std::copy_n(p.overlay->data() + static_cast<size_t>(y) * p.overlay_width, ow,
                f->data[0] + static_cast<ptrdiff_t>(y0 + y) * f->linesize[0] + x0);
  }
}

Status EncodeTone(Mp4Writer& writer, const TestClipParams& p, int64_t* next_sample, bool flush) {
  AVCodecContext* enc = writer.audio_encoder();
  AvPacketPtr packet = MakePacket();
  const int64_t total = static_cast<int64_t>(p.seconds * p.sample_rate);
  if (!flush) {
    AvFramePtr frame = MakeFrame();
    frame->nb_samples = enc->frame_size > 0 ? enc->frame_size : 1024;
    frame->format = enc->sample_fmt;
    frame->sample_rate = enc->sample_rate;
    av_channel_layout_copy(&frame->ch_layout, &enc->ch_layout);
    if (av_frame_get_buffer(frame.get(), 0) < 0) return Status::Internal("out of memory");
    for (int i = 0; i < frame->nb_samples; ++i) {
      const int64_t n = *next_sample + i;
      const float v = n < total && p.tone_hz > 0
                          ? 0.2f * static_cast<float>(std::sin(2 * M_PI * p.tone_hz * n / p.sample_rate))
                          : 0.0f;
      for (int c = 0; c < enc->ch_layout.nb_channels; ++c) {
        reinterpret_cast<float*>(frame->extended_data[c])[i] = v;
      }
    }
    frame->pts = *next_sample;
    *next_sample += frame->nb_samples;
    if (avcodec_send_frame(enc, frame.get()) < 0) return Status::Internal("AAC encoder refused a frame");
  } else if (avcodec_send_frame(enc, nullptr) < 0) {
    return Status::Internal("AAC encoder cannot flush");
  }
  while (avcodec_receive_packet(enc, packet.get()) == 0) {
    PRESGEN_RETURN_IF_ERROR(writer.WriteEncodedAudio(packet.get()));
    av_packet_unref(packet.get());
  }
  return Status::Ok();
}

}  // namespace

Status WriteTestClip(const std::string& path, const TestClipParams& p) {
  if (p.width < 64 || p.height < 64 || p.width > 3840 || p.height > 2160 || p.width % 2 != 0 ||
      p.height % 2 != 0 || !(p.seconds >= 0.1 && p.seconds <= 60) || p.fps < 1 || p.fps > 120) {
    return Status::InvalidInput("test clip: size or duration out of range");
  }
  VideoEncoderParams video;
  video.width = p.width;
  video.height = p.height;
  video.frame_rate = {p.fps, 1};
  video.preset = "ultrafast";
  AudioOutputParams audio;
  audio.mode = AudioMode::kEncodeAac;
  audio.sample_rate = p.sample_rate;
  audio.channels = 1;
  auto writer = Mp4Writer::Open(path, video, audio);
  if (!writer.ok()) return writer.status();
  const int frames = static_cast<int>(std::lround(p.seconds * p.fps));
  int64_t next_sample = 0;
  for (int i = 0; i < frames; ++i) {
    auto frame = writer->NextVideoFrame();
    if (!frame.ok()) return frame.status();
    PaintFrame(*frame, i, p);
    PRESGEN_RETURN_IF_ERROR(writer->WriteVideoFrame(i));
    // Audio keeps up with the pictures, so the file interleaves as a camera's does.
    while (next_sample < static_cast<int64_t>((i + 1) * static_cast<double>(p.sample_rate) / p.fps)) {
      PRESGEN_RETURN_IF_ERROR(EncodeTone(*writer, p, &next_sample, false));
    }
  }
  PRESGEN_RETURN_IF_ERROR(EncodeTone(*writer, p, &next_sample, true));
  return writer->Finish();
}

}  // namespace presgen
