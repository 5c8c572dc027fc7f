#include "pipeline/speech_stage.h"

#include "asr/engine_select.h"
#include "asr/whisper_transcriber.h"
#include "pipeline/circuit_breaker.h"

namespace presgen {

Status ValidateAsrChoice(const std::string& asr, const std::string& asr_model) {
  auto engine = ParseAsrEngine(asr);
  if (!engine.ok()) return engine.status();
  if (*engine == AsrEngine::kPocketSphinx && !asr_model.empty()) {
    return Status::InvalidInput(
        "--asr-model is a Whisper model; it cannot be used with --asr pocketsphinx");
  }
  if (*engine == AsrEngine::kWhisper || !asr_model.empty()) {
    // An engine or model the user named must be there: say so before any work.
    const std::string model = FindWhisperModel(asr_model, nullptr);
    if (model.empty()) {
      return Status::NotFound("--asr whisper: no Whisper model found (run scripts/fetch-model.sh "
                              "base.en, or pass --asr-model PATH)");
    }
    auto info = ReadWhisperModelInfo(model);
    if (!info.ok()) return info.status();
  }
  return Status::Ok();
}

SpeechResult TranscribeWithFallback(const PcmAudio& audio, const std::string& asr,
                                    const std::string& asr_model, int threads, JobContext& ctx) {
  SpeechResult out;
  out.transcript.duration_s = audio.duration_s();
  StageTimer timer(ctx, "transcribe");
  auto engine_kind = ParseAsrEngine(asr);
  if (!engine_kind.ok()) {
    ctx.Degrade("transcribe", engine_kind.status().message(), "title-only deck");
    return out;
  }
  AsrRequest request;
  request.engine = *engine_kind;
  request.whisper_model = asr_model;
  if (std::string refused = ctx.BreakerRefusal(kBreakerTranscription);
      !refused.empty() && request.engine != AsrEngine::kPocketSphinx) {
    ctx.Degrade("transcribe", "whisper: " + refused, "pocketsphinx");
    request.engine = AsrEngine::kPocketSphinx;
  }
  auto choice = CreateTranscriber(request);
  if (!choice.ok()) {
    ctx.Degrade("transcribe", choice.status().message(), "title-only deck");
    return out;
  }
  if (!choice->fallback_reason.empty()) {
    ctx.Degrade("transcribe", choice->fallback_reason, "pocketsphinx");
  }
  std::unique_ptr<Transcriber> engine = std::move(choice->transcriber);
  TranscribeParams params;
  params.n_threads = threads;
  auto transcript =
      ctx.Explain("transcribe", engine->Transcribe(audio, params, ctx.CallbacksFor("transcribe")));
  if (engine->Name() != "pocketsphinx" &&
      (transcript.ok() || transcript.status().code() != StatusCode::kCancelled)) {
    ctx.RecordEngineOutcome(kBreakerTranscription, transcript.ok());
  }
  if (!transcript.ok() && transcript.status().code() != StatusCode::kCancelled &&
      engine->Name() != "pocketsphinx") {
    // Whisper failed mid-job: PocketSphinx still gives the talk its slides.
    ctx.Degrade("transcribe", engine->Name() + ": " + transcript.status().message(),
                "pocketsphinx");
    auto fallback = CreateFallbackTranscriber();
    if (fallback.ok()) {
      engine = std::move(fallback).value();
      transcript = ctx.Explain("transcribe",
                               engine->Transcribe(audio, params, ctx.CallbacksFor("transcribe")));
    }
  }
  if (!transcript.ok()) {
    ctx.Degrade("transcribe", transcript.status().message(), "title-only deck");
    return out;
  }
  out.transcript = std::move(transcript).value();
  out.engine = engine->Name();
  return out;
}

}  // namespace presgen
