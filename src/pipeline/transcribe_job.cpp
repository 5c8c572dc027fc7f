#include "pipeline/transcribe_job.h"

#include "core/json_io.h"
#include "core/sys.h"
#include "core/transcript_format.h"
#include "media/audio_extract.h"
#include "pipeline/job_context.h"
#include "pipeline/speech_stage.h"

namespace presgen {

Result<TranscribeOutcome> RunTranscribeJob(const TranscribeOptions& opt,
                                           const JobProgressFn& progress,
                                           const std::function<bool()>& should_abort) {
  PRESGEN_RETURN_IF_ERROR(ValidateAsrChoice(opt.asr, opt.asr_model));
  Stopwatch total;
  JobContext ctx({{"audio", 0.1}, {"transcribe", 0.9}}, progress, should_abort);
  const int threads = opt.threads > 0 ? opt.threads : AvailableCores();

  PcmAudio audio;
  {
    StageTimer timer(ctx, "audio");
    auto pcm = ExtractAudio(opt.input_path, AudioExtractParams{}, ctx.CallbacksFor("audio"));
    if (!pcm.ok()) {
      // Here audio is the whole point: a file without it is bad input.
      if (pcm.status().code() == StatusCode::kUnavailable) {
        return Status::InvalidInput(opt.input_path + ": has no audio stream");
      }
      return pcm.status();
    }
    audio = std::move(pcm).value();
  }
  SpeechResult speech = TranscribeWithFallback(audio, opt.asr, opt.asr_model, threads, ctx);
  if (ctx.Aborted()) return Status::Cancelled("transcription cancelled");

  TranscribeOutcome out;
  out.transcript = std::move(speech.transcript);
  out.transcript.engine = speech.engine;
  if (!opt.json_path.empty()) PRESGEN_RETURN_IF_ERROR(WriteJsonFile(opt.json_path, out.transcript));
  if (!opt.srt_path.empty()) {
    PRESGEN_RETURN_IF_ERROR(WriteFileAtomic(opt.srt_path, ToSrt(out.transcript)));
  }
  if (!opt.vtt_path.empty()) {
    PRESGEN_RETURN_IF_ERROR(WriteFileAtomic(opt.vtt_path, ToVtt(out.transcript)));
  }
  out.degraded = ctx.degraded();
  out.timings = ctx.timings();
  out.timings["total"] = total.ElapsedSeconds();
  return out;
}

}  // namespace presgen
