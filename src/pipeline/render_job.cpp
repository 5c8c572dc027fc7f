#include "pipeline/render_job.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <spdlog/spdlog.h>

#include "compose/compositor.h"
#include "core/json_io.h"
#include "core/sys.h"
#include "core/transcript_format.h"
#include "face/face_crop_tracker.h"
#include "pipeline/circuit_breaker.h"
#include "media/audio_extract.h"
#include "media/ffmpeg_log.h"
#include "media/probe.h"
#include "pipeline/deck_stage.h"
#include "pipeline/job_context.h"
#include "pipeline/speech_stage.h"
#include "pipeline/stage_deadlines.h"
#include "pipeline/stage_cache.h"

namespace fs = std::filesystem;

namespace presgen {
namespace {

// Relative cost of each stage, for the overall progress fraction.
const std::map<std::string, double> kStageWeights = {
    {"audio", 0.03}, {"transcribe", 0.25}, {"slides", 0.02}, {"compose", 0.70}};

// Less free space than this when a job fails: the disk is full (and the likely cause).
constexpr int64_t kDiskFullBytes = 256 * 1024;

std::string OutputFolder(const RenderOptions& opt) {
  const fs::path parent = fs::path(opt.output_path).parent_path();
  return parent.empty() ? "." : parent.string();
}

std::string FormatSeconds(double s) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", s);
  return text;
}

// audio -> transcript. Never fails the job: no audio or no speech is a degradation.
SpeechResult RunSpeechBranch(const RenderOptions& opt, const MediaInfo& info, int threads,
                             JobContext& ctx) {
  SpeechResult out;
  out.transcript.duration_s = info.duration_s;
  if (!info.has_audio) {
    ctx.Degrade("transcribe", "the input has no audio stream", "title-only deck");
    return out;
  }
  PcmAudio audio;
  if (std::string refused = ctx.BreakerRefusal(kBreakerAudioExtraction); !refused.empty()) {
    ctx.Degrade("audio", refused, "title-only deck");
    return out;
  }
  {
    StageTimer timer(ctx, "audio");
    AudioExtractParams ap;
    auto pcm = ctx.Explain("audio", ExtractAudio(opt.input_path, ap, ctx.CallbacksFor("audio")));
    if (!pcm.ok()) {
      // A damaged or odd file is that file's problem: only the decoder's own failures count
      // against the breaker, or three bad uploads would cost the next good ones their words.
      if (pcm.status().code() != StatusCode::kCancelled && !pcm.status().IsUserError()) {
        ctx.RecordEngineOutcome(kBreakerAudioExtraction, false);
      }
      ctx.Degrade("audio", pcm.status().message(), "title-only deck");
      return out;
    }
    ctx.RecordEngineOutcome(kBreakerAudioExtraction, true);
    audio = std::move(pcm).value();
  }
  out = TranscribeWithFallback(audio, opt.asr, opt.asr_model, threads, ctx);
  out.transcript.duration_s = info.duration_s;
  return out;
}

// The left panel's crop source: faces tracked on the compositor's own decode.
// Never fails the job: without a detector the crop is centred (a degradation).
std::unique_ptr<CropSource> MakeCropSource(const RenderOptions& opt, const MediaInfo& info,
                                           JobContext& ctx, FaceCropTracker** tracker) {
  FaceCropTrackerParams fp;
  fp.sampler.threads = 1;  // detection runs on the compose loop's thread
  fp.planner.panel_aspect = static_cast<double>(opt.width / 2) / opt.height;
  fp.planner.panel_height_px = opt.height;
  std::string refused = ctx.BreakerRefusal(kBreakerFaceDetection);
  auto created = refused.empty() ? FaceCropTracker::Create(info, fp)
                                 : Result<std::unique_ptr<FaceCropTracker>>(Status::Unavailable(refused));
  if (refused.empty()) ctx.RecordEngineOutcome(kBreakerFaceDetection, created.ok());
  if (!created.ok()) {
    ctx.Degrade("face", created.status().message(), "centred crop");
    *tracker = nullptr;
    return std::make_unique<FixedCropSource>(std::vector<CropKey>{});
  }
  *tracker = created->get();
  return std::move(created).value();
}

// The speech artifacts; face_track.json follows composition, which tracks the faces.
Status WriteArtifacts(const std::string& dir, const Transcript& t, const Deck& deck) {
  PRESGEN_RETURN_IF_ERROR(WriteJsonFile(dir + "/transcript.json", t));
  PRESGEN_RETURN_IF_ERROR(WriteFileAtomic(dir + "/transcript.srt", ToSrt(t)));
  PRESGEN_RETURN_IF_ERROR(WriteFileAtomic(dir + "/transcript.vtt", ToVtt(t)));
  return WriteJsonFile(dir + "/deck.json", deck);
}

// What each cached stage's result depends on besides the input's bytes.
std::string SpeechCacheParams(const RenderOptions& opt) {
  // v2: word confidences, PocketSphinx chunks as streams of their own.
  return "speech-v3 asr=" + opt.asr + " model=" + opt.asr_model;
}
std::string FaceCacheParams(const RenderOptions& opt) {
  return "face-v2 panel=" + std::to_string(opt.width / 2) + "x" + std::to_string(opt.height);
}

std::vector<Degradation> DegradedIn(const JobContext& ctx,
                                    std::initializer_list<const char*> stages) {
  std::vector<Degradation> out;
  for (const auto& d : ctx.degraded())
    for (const char* stage : stages)
      if (d.stage == stage) out.push_back(d);
  return out;
}

// The stage cache for this job: reads only for a re-render of an edited deck
// (--deck), where reusing the transcript and face track is the point; writes on
// every render so that the edit after it is fast.
StageCache OpenStageCache(const RenderOptions& opt, JobContext& ctx) {
  if (opt.cache_dir.empty()) return StageCache("", "");
  StageTimer timer(ctx, "hash");
  auto sha = Sha256OfFile(opt.input_path);
  if (!sha.ok()) {
    spdlog::warn("stage cache off: {}", sha.status().message());
    return StageCache("", "");
  }
  return StageCache(opt.cache_dir, *sha);
}

}  // namespace

Status ValidateRenderOptions(const RenderOptions& opt) {
  if (opt.width < 320 || opt.height < 180 || opt.width > 3840 || opt.height > 2160 ||
      opt.width % 4 != 0 || opt.height % 2 != 0) {
    return Status::InvalidInput("--size must be between 320x180 and 3840x2160, width a multiple "
                                "of 4 and height even");
  }
  if (opt.max_slides < 1 || opt.max_slides > 8) {
    return Status::InvalidInput("--slides must be 1 to 8");
  }
  if (opt.max_bullets < 0 || opt.max_bullets > 6) {
    return Status::InvalidInput("--max-bullets must be 0 to 6");
  }
  PRESGEN_RETURN_IF_ERROR(ValidateAsrChoice(opt.asr, opt.asr_model));
  PRESGEN_RETURN_IF_ERROR(ValidateDeckOptions(opt));
  if (opt.output_path.empty()) return Status::InvalidInput("no output path given (-o)");
  std::error_code ec;
  if (fs::exists(opt.input_path, ec) && fs::exists(opt.output_path, ec) &&
      fs::equivalent(opt.input_path, opt.output_path, ec)) {
    return Status::InvalidInput(opt.output_path + ": output would overwrite the input");
  }
  const fs::path parent = fs::absolute(opt.output_path).parent_path();
  if (!fs::is_directory(parent, ec)) {
    return Status::InvalidInput(opt.output_path + ": folder " + parent.string() +
                                " does not exist");
  }
  return Status::Ok();
}

void InitLibraries(bool verbose) { RouteFfmpegLogs(verbose); }

std::string DefaultWorkdir(const std::string& output_path) {
  fs::path p(output_path);
  return (p.parent_path() / (p.stem().string() + ".presgen")).string();
}

Result<JobResult> RunRenderJob(const RenderOptions& options, const JobProgressFn& progress,
                               const std::function<bool()>& should_abort,
                               const JobHooks& hooks) {
  Stopwatch total;
  RenderOptions opt = options;
  if (opt.workdir.empty()) opt.workdir = DefaultWorkdir(opt.output_path);
  PRESGEN_RETURN_IF_ERROR(ValidateRenderOptions(opt));
  const int threads = opt.threads > 0 ? opt.threads : AvailableCores();
  JobContext ctx(kStageWeights, progress, should_abort, hooks);
  ctx.SetOpenBreakers(opt.open_breakers);

  JobResult result;
  result.output = opt.output_path;
  MediaInfo info;
  {
    StageTimer timer(ctx, "probe");
    auto probed = Probe(opt.input_path);
    if (!probed.ok()) {
      ctx.FailRunningStages();
      return probed.status();
    }
    info = std::move(probed).value();
    if (info.truncated()) {
      ctx.Degrade("probe",
                  "the file is cut off: " + FormatSeconds(info.duration_s) + " of the " +
                      FormatSeconds(info.announced_duration_s) + " its header announces can be read",
                  "the part that is there");
    }
  }
  result.input = info;
  ctx.SetDeadlines(StageDeadlinesFor(info.duration_s, opt.stage_deadline_scale));
  std::error_code ec;
  fs::create_directories(opt.workdir + "/slides", ec);
  if (ec) return Status::InvalidInput(opt.workdir + ": cannot create workdir: " + ec.message());

  auto fail = [&](Status st) -> Status {
    // A write that failed on a full disk says so, whichever library reported it.
    for (const std::string& dir : {opt.workdir, OutputFolder(opt)}) {
      const int64_t free_bytes = FreeBytes(dir);
      if (free_bytes >= 0 && free_bytes < kDiskFullBytes) {
        st = Status(StatusCode::kResourceExhausted,
                    st.message() + " (the disk is full: no space left in " + dir + ")")
                 .WithReason("storage");
        break;
      }
    }
    ctx.FailRunningStages();
    result.success = false;
    result.error = st.message();
    result.degraded = ctx.degraded();
    result.engine_outcomes = ctx.engine_outcomes();
    result.timings = ctx.timings();
    result.timings["total"] = total.ElapsedSeconds();
    result.resources = ctx.resources();
    result.peak_rss_mb = PeakRssMb();
    (void)WriteJsonFile(opt.workdir + "/result.json", result);
    return st;
  };

  auto finish = [&]() -> Result<JobResult> {
    result.success = true;
    result.degraded = ctx.degraded();
    result.engine_outcomes = ctx.engine_outcomes();
    result.timings = ctx.timings();
    result.timings["total"] = total.ElapsedSeconds();
    result.resources = ctx.resources();
    result.peak_rss_mb = PeakRssMb();
    if (Status st = WriteJsonFile(opt.workdir + "/result.json", result); !st.ok()) {
      if (!opt.deck_only) std::remove(opt.output_path.c_str());  // output only with its result
      return fail(st);
    }
    return result;
  };

  // Speech first, with the whole CPU budget; faces are tracked during composition,
  // on the one decode of the video (DESIGN §5).
  const StageCache cache = OpenStageCache(opt, ctx);
  const bool reuse = !opt.deck_path.empty();
  SpeechResult speech;
  auto hit = reuse ? cache.LoadSpeech(SpeechCacheParams(opt)) : std::nullopt;
  if (reuse) result.cache["transcribe"] = hit ? "hit" : "miss";
  if (hit) {
    speech.transcript = std::move(hit->transcript);
    speech.engine = hit->engine;
    for (const auto& d : hit->degraded) ctx.Degrade(d.stage, d.reason, d.fallback);
    result.reused.push_back("transcribe");
  } else {
    speech = RunSpeechBranch(opt, info, threads, ctx);
    if (ctx.Aborted()) return fail(Status::Cancelled("render cancelled"));
    cache.StoreSpeech(SpeechCacheParams(opt),
                      {speech.transcript, speech.engine, DegradedIn(ctx, {"audio", "transcribe"})});
  }
  result.engines.asr = speech.engine;

  std::vector<BgraImage> slide_images;
  Deck deck;
  {
    StageTimer timer(ctx, "slides");
    auto made = MakeDeck(opt, info, speech.transcript, ctx);
    if (!made.ok()) return fail(made.status());
    deck = std::move(made->deck);
    deck.template_name = opt.template_name;
    result.engines.summarizer = made->summarizer;
    result.cost_usd = made->cost_usd;
    auto slides = RenderDeckSlides(opt, deck, ctx);
    if (!slides.ok()) return fail(slides.status());
    slide_images = std::move(slides->images);
    result.engines.slides = slides->engine;
  }
  if (Status st = WriteArtifacts(opt.workdir, speech.transcript, deck); !st.ok()) {
    return fail(st);
  }
  if (opt.deck_only) {
    result.output.clear();
    return finish();
  }

  {
    StageTimer timer(ctx, "compose");
    ComposeParams cp;
    cp.width = opt.width;
    cp.height = opt.height;
    cp.preset = opt.preset;
    cp.crf = opt.crf;
    cp.decode_threads = threads;
    cp.encode_threads = threads;
    FaceCropTracker* tracker = nullptr;
    std::unique_ptr<CropSource> crops;
    const auto cached_face = reuse ? cache.LoadFaceTrack(FaceCacheParams(opt)) : std::nullopt;
    if (reuse) result.cache["face"] = cached_face ? "hit" : "miss";
    if (cached_face) {
      crops = std::make_unique<FixedCropSource>(cached_face->track.crop_path);
      result.reused.push_back("face");
    } else {
      crops = MakeCropSource(opt, info, ctx, &tracker);
    }
    auto composed = ctx.Explain("compose", Compose(opt.input_path, info, *crops, deck,
                                                   slide_images, opt.output_path, cp,
                                                   ctx.CallbacksFor("compose")));
    if (!composed.ok()) return fail(composed.status());
    FaceTrack track;
    track.frame_width = info.display_width;
    track.frame_height = info.display_height;
    result.engines.face = "none";
    if (cached_face) {
      track = cached_face->track;
      result.engines.face = track.detector;
      for (const auto& d : cached_face->degraded) ctx.Degrade(d.stage, d.reason, d.fallback);
    } else if (tracker) {
      ctx.RecordTiming("face", tracker->analysis_seconds());  // part of compose's time
      const bool found = tracker->found_face();
      track = tracker->TakeTrack();
      result.engines.face = track.detector;
      if (!found) {
        ctx.Degrade("face", "no face found in " + std::to_string(track.samples.size()) +
                                " sampled frames", "centred crop");
      }
      cache.StoreFaceTrack(FaceCacheParams(opt), {track, DegradedIn(ctx, {"face"})});
    }
    if (Status st = WriteJsonFile(opt.workdir + "/face_track.json", track); !st.ok()) {
      std::remove(opt.output_path.c_str());
      return fail(st);
    }
    if (composed->damaged_packets > 0) {
      ctx.Degrade("compose", std::to_string(composed->damaged_packets) +
                                 " damaged video packets in the input", "skipped");
    }
  }

  return finish();
}

Result<std::vector<Degradation>> RedrawDeckFiles(const RenderOptions& options, const Deck& deck) {
  JobContext ctx({}, {}, {});
  auto slides = RenderDeckSlides(options, deck, ctx);
  if (!slides.ok()) return slides.status();
  return ctx.degraded();
}

Result<MediaInfo> ProbeInput(const std::string& path) { return Probe(path); }

}  // namespace presgen
