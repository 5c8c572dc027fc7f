#include "compose/compositor.h"

#include <cmath>
#include <deque>

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
  FrameComposer(const MediaInfo& info, CropSource& crops, std::vector<Yuv420Image> slides,
                const Deck& deck, const ComposeParams& p)
      : info_(info), crops_(crops), slides_(std::move(slides)),
        timeline_(deck, p.crossfade_s), panel_w_(p.width / 2), height_(p.height) {}

  Status Compose(const AVFrame* src, int rotation_deg, double t_s, AVFrame* out) {
    // Left: the speaker.
    Box box = crops_.CropAt(t_s);
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
  CropSource& crops_;
  std::vector<Yuv420Image> slides_;
  SlideTimeline timeline_;
  CropScaler scaler_;
  int panel_w_;
  int height_;
};

// A decoded frame waiting for its crop to become final.
struct Held {
  AvFramePtr frame;
  double t_s;
};

// How many decoded frames may wait for their crops: about max_bytes of them.
size_t MaxHeldFrames(const MediaInfo& info, size_t max_bytes) {
  const size_t frame_bytes =
      std::max<size_t>(1, static_cast<size_t>(info.width) * info.height * 3 / 2);
  return std::max<size_t>(8, max_bytes / frame_bytes);
}

// Drops the second-newest held frame when no output frame from k on is nearer
// to it than to its neighbours (60 fps in, 30 fps out: every other frame).
void DropUnneededFrame(std::deque<Held>& held, int64_t k, double fps) {
  const size_t n = held.size();
  if (n < 3) return;
  const double lo = (held[n - 3].t_s + held[n - 2].t_s) / 2;
  const double hi = (held[n - 2].t_s + held[n - 1].t_s) / 2;
  const int64_t first = std::max<int64_t>(k, static_cast<int64_t>(std::ceil(lo * fps - 1e-9)));
  if (first / fps >= hi) held.erase(held.begin() + static_cast<long>(n - 2));
}

}  // namespace

Result<ComposeStats> Compose(const std::string& input_path, const MediaInfo& info,
                             const std::vector<CropKey>& crop_path, const Deck& deck,
                             const std::vector<BgraImage>& slides, const std::string& output_path,
                             const ComposeParams& params, const StageCallbacks& callbacks) {
  FixedCropSource crops(crop_path);
  return Compose(input_path, info, crops, deck, slides, output_path, params, callbacks);
}

Result<ComposeStats> Compose(const std::string& input_path, const MediaInfo& info,
                             CropSource& crops, const Deck& deck,
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
  // The output covers the union of the picture's and the sound's time ranges (the probe's
  // duration): where the picture is missing, its first or last frame is held.
  const double origin = decoder->input().TimelineOriginSeconds();
  const double origin_s = std::isnan(origin) ? 0.0 : origin;

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

  FrameComposer composer(info, crops, std::move(yuv_slides), deck, params);
  ComposeStats stats;
  stats.fps = fps;
  stats.has_audio = audio->output_params().mode != AudioMode::kNone;
  stats.audio_copied = audio->copying();

  // Decoded frames wait here until the crop source has made their crops final.
  // Output frame k (time k / fps) shows the decoded frame nearest to it: frame i
  // serves [(t[i-1] + t[i]) / 2, (t[i] + t[i+1]) / 2).
  std::deque<Held> held;
  const size_t max_held = MaxHeldFrames(info, params.max_held_bytes);
  int64_t k = 0;
  // Emits every output frame whose crop is final and whose source frame is known.
  auto emit = [&](bool input_ended) -> Status {
    while (k < total_frames && !held.empty()) {
      const double t = k / fps;
      if (held.size() >= 2 && t >= (held[0].t_s + held[1].t_s) / 2) {
        held.pop_front();  // later output frames are nearer to a later decoded frame
        continue;
      }
      if (held.size() < 2 && !input_ended) break;  // the next decoded frame may be nearer
      if (t > crops.FinalUntil()) break;
      PRESGEN_RETURN_IF_ERROR(audio->WriteUntil(*writer, t + 0.5));
      auto out = writer->NextVideoFrame();
      if (!out.ok()) return out.status();
      PRESGEN_RETURN_IF_ERROR(
          composer.Compose(held.front().frame.get(), decoder->rotation_deg(), t, *out));
      PRESGEN_RETURN_IF_ERROR(writer->WriteVideoFrame(k));
      if ((k & 15) == 0) {
        callbacks.Progress(static_cast<double>(k) / total_frames);
        if (callbacks.Aborted()) return Status::Cancelled("composition cancelled");
      }
      ++k;
    }
    return Status::Ok();
  };

  AVFrame* frame = nullptr;
  double t_s = 0;
  bool any = false;
  while (k < total_frames) {
    auto more = decoder->Next(&frame, &t_s);
    if (!more.ok()) return more.status();
    if (!*more) break;
    any = true;
    PRESGEN_RETURN_IF_ERROR(crops.Observe(frame, decoder->rotation_deg(), t_s));
    Held h{MakeFrame(), t_s};
    av_frame_move_ref(h.frame.get(), frame);
    held.push_back(std::move(h));
    DropUnneededFrame(held, k, fps);
    PRESGEN_RETURN_IF_ERROR(emit(false));
    if (held.size() > max_held) {
      // Memory first: the crop source must decide now for the oldest frames.
      crops.ForceFinal(held[held.size() / 2].t_s);
      PRESGEN_RETURN_IF_ERROR(emit(false));
    }
  }
  if (!any) return Status::InvalidInput(input_path + ": no video frame could be decoded");
  crops.Finish();
  PRESGEN_RETURN_IF_ERROR(emit(true));  // the last frame holds to the end
  PRESGEN_RETURN_IF_ERROR(audio->Finish(*writer));
  PRESGEN_RETURN_IF_ERROR(writer->Finish());
  stats.frames = k;
  stats.damaged_packets = decoder->damaged_packets();
  callbacks.Progress(1.0);
  return stats;
}

}  // namespace presgen
