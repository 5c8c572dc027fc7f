#include "compose/compositor.h"

#include <cmath>

#include "compose/timeline.h"
#include "core/crop_path.h"
#include "media/audio_track.h"
#include "media/frame_ops.h"
#include "media/mp4_writer.h"
#include "media/video_decoder.h"

namespace presgen {

FrameRate OutputFrameRate(double input_fps, double max_fps) {
  if (!(input_fps > 0) || input_fps > max_fps + 0.01) {
    return {static_cast<int>(std::lround(max_fps)), 1};
  }
  const double ntsc = input_fps * 1.001;  // 23.976, 29.97, 59.94 ...
  if (std::fabs(ntsc - std::round(ntsc)) < 0.01 && std::fabs(input_fps - std::round(input_fps)) > 0.01) {
    return {static_cast<int>(std::lround(ntsc)) * 1000, 1001};
  }
  return {std::max(1, static_cast<int>(std::lround(input_fps))), 1};
}

namespace {

// Everything the loop needs per output frame, prepared once.
class FrameComposer {
 public:
  FrameComposer(const MediaInfo& info, const std::vector<CropKey>& crop_path,
                std::vector<Yuv420Image> slides, const Deck& deck, const ComposeParams& p)
      : info_(info), crop_path_(crop_path), slides_(std::move(slides)),
        timeline_(deck, p.crossfade_s), panel_w_(p.width / 2), height_(p.height) {}

  Status Compose(const AVFrame* src, int rotation_deg, double t_s, AVFrame* out) {
    // Left: the speaker.
    Box box = CropAt(crop_path_, t_s);
    if (box.w <= 0 || box.h <= 0) box = CentredBox();
    const CropRect crop = DisplayBoxToCoded(box, src->width, src->height, rotation_deg);
    PRESGEN_RETURN_IF_ERROR(
        scaler_.Run(src, crop, rotation_deg, FrameRegion(out, 0, 0, panel_w_, height_)));
    // Right: the slide, blended only during a transition.
    const PlaneRect right = FrameRegion(out, panel_w_, 0, panel_w_, height_);
    const SlideMix mix = timeline_.At(t_s);
    if (mix.blending()) {
      BlendImages(slides_[mix.from], slides_[mix.to], mix.alpha, right);
    } else {
      CopyImage(slides_[mix.from], right);
    }
    return Status::Ok();
  }

 private:
  Box CentredBox() const {
    const double aspect = static_cast<double>(panel_w_) / height_;
    Box b;
    b.h = info_.display_height;
    b.w = b.h * aspect;
    if (b.w > info_.display_width) {
      b.w = info_.display_width;
      b.h = b.w / aspect;
    }
    b.x = (info_.display_width - b.w) / 2;
    b.y = (info_.display_height - b.h) / 2;
    return b;
  }

  const MediaInfo& info_;
  const std::vector<CropKey>& crop_path_;
  std::vector<Yuv420Image> slides_;
  SlideTimeline timeline_;
  CropScaler scaler_;
  int panel_w_;
  int height_;
};

}  // namespace

Result<ComposeStats> Compose(const std::string& input_path, const MediaInfo& info,
                             const std::vector<CropKey>& crop_path, const Deck& deck,
                             const std::vector<BgraImage>& slides, const std::string& output_path,
                             const ComposeParams& params, const StageCallbacks& callbacks) {
  if (params.width < 64 || params.height < 64 || params.width % 4 || params.height % 2) {
    return Status::InvalidInput("output size must be at least 64x64, width a multiple of 4 and "
                                "height even");
  }
  if (slides.empty() || slides.size() != deck.slides.size()) {
    return Status::Internal("compose needs one slide image per deck slide");
  }
  std::vector<Yuv420Image> yuv_slides;
  for (const auto& s : slides) {
    if (s.width != params.width / 2 || s.height != params.height) {
      return Status::Internal("slide images must be half the output width");
    }
    auto y = BgraToYuv420(s);
    if (!y.ok()) return y.status();
    yuv_slides.push_back(std::move(y).value());
  }

  VideoDecoderParams vp;
  vp.threads = params.decode_threads;
  vp.should_abort = callbacks.should_abort;
  auto decoder = VideoDecoder::Open(input_path, vp);
  if (!decoder.ok()) return decoder.status();
  const AVStream* vst = decoder->stream();
  const double origin_s =
      vst->start_time != AV_NOPTS_VALUE ? vst->start_time * av_q2d(vst->time_base) : 0.0;

  const FrameRate fr = OutputFrameRate(info.fps, params.max_fps);
  const double fps = fr.value();
  const int64_t total_frames = std::max<int64_t>(1, std::llround(info.duration_s * fps));
  const double duration_s = total_frames / fps;

  auto audio = AudioTrack::Open(input_path, origin_s, duration_s);
  if (!audio.ok()) return audio.status();

  VideoEncoderParams ep;
  ep.width = params.width;
  ep.height = params.height;
  ep.frame_rate = {fr.num, fr.den};
  ep.preset = params.preset;
  ep.crf = params.crf;
  ep.threads = params.encode_threads;
  auto writer = Mp4Writer::Open(output_path, ep, audio->output_params());
  if (!writer.ok()) return writer.status();

  FrameComposer composer(info, crop_path, std::move(yuv_slides), deck, params);
  ComposeStats stats;
  stats.fps = fps;
  stats.has_audio = audio->output_params().mode != AudioMode::kNone;
  stats.audio_copied = audio->copying();

  AvFramePtr held = MakeFrame();  // the latest decoded frame, shown until a newer one is due
  double held_t = 0;
  bool have_held = false;
  int64_t k = 0;
  auto emit_until = [&](double limit_s) -> Status {
    for (; k < total_frames && k / fps < limit_s; ++k) {
      const double t = k / fps;
      PRESGEN_RETURN_IF_ERROR(audio->WriteUntil(*writer, t + 0.5));
      auto out = writer->NextVideoFrame();
      if (!out.ok()) return out.status();
      PRESGEN_RETURN_IF_ERROR(composer.Compose(held.get(), decoder->rotation_deg(), t, *out));
      PRESGEN_RETURN_IF_ERROR(writer->WriteVideoFrame(k));
      if ((k & 15) == 0) {
        callbacks.Progress(static_cast<double>(k) / total_frames);
        if (callbacks.Aborted()) return Status::Cancelled("composition cancelled");
      }
    }
    return Status::Ok();
  };

  AVFrame* frame = nullptr;
  double t_s = 0;
  while (k < total_frames) {
    auto more = decoder->Next(&frame, &t_s);
    if (!more.ok()) return more.status();
    if (!*more) break;
    if (have_held) {
      // Output frames closer to the held frame than to this one show the held frame.
      PRESGEN_RETURN_IF_ERROR(emit_until((held_t + t_s) / 2));
    }
    av_frame_unref(held.get());
    av_frame_move_ref(held.get(), frame);
    held_t = t_s;
    have_held = true;
  }
  if (!have_held) return Status::InvalidInput(input_path + ": no video frame could be decoded");
  PRESGEN_RETURN_IF_ERROR(emit_until(1e18));  // hold the last frame to the end
  PRESGEN_RETURN_IF_ERROR(audio->Finish(*writer));
  PRESGEN_RETURN_IF_ERROR(writer->Finish());
  stats.frames = k;
  stats.damaged_packets = decoder->damaged_packets();
  callbacks.Progress(1.0);
  return stats;
}

}  // namespace presgen
