// The speech stage shared by `render` and `transcribe`: engine choice (with
// honest fallbacks), transcription, and the PocketSphinx rescue when Whisper
// fails mid-job.
#pragma once

#include <string>

#include "core/status.h"
#include "core/types.h"
#include "pipeline/job_context.h"

namespace presgen {

struct SpeechResult {
  Transcript transcript;
  std::string engine = "none";  // "whisper", "pocketsphinx", or "none" when nothing ran
};

// Checks --asr / --asr-model before any work: an unknown engine, --asr-model
// with pocketsphinx, or a named Whisper model that is missing or not a ggml
// Whisper file are user errors (kInvalidInput / kNotFound).
Status ValidateAsrChoice(const std::string& asr, const std::string& asr_model);

// Transcribes `audio` with the engine `asr` asks for ("auto", "whisper",
// "pocketsphinx"; validated) using `threads` threads. Never fails: every
// fallback (no Whisper model, Whisper failing, no engine at all) is recorded in
// ctx as a degradation of stage "transcribe", and the result then holds
// PocketSphinx's transcript or an empty one. Times itself as "transcribe".
SpeechResult TranscribeWithFallback(const PcmAudio& audio, const std::string& asr,
                                    const std::string& asr_model, int threads, JobContext& ctx);

}  // namespace presgen
