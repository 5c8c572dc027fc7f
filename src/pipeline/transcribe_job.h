// The transcribe job: any audio or video file in, transcript.json (+ SRT/VTT)
// out, with the same engine choice and fallbacks as a render.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/types.h"
#include "pipeline/render_job.h"

namespace presgen {

struct TranscribeOptions {
  std::string input_path;
  std::string json_path;   // transcript.json to write; empty = none (the CLI prints it)
  std::string srt_path;    // optional subtitles
  std::string vtt_path;
  std::string asr = "auto";
  std::string asr_model;
  int threads = 0;         // 0 = all cores
};

struct TranscribeOutcome {
  Transcript transcript;
  std::vector<Degradation> degraded;
  std::map<std::string, double> timings;  // "audio", "transcribe", "total"
};

// Errors: kNotFound / kInvalidInput / kUnsupported for a missing, unreadable
// or audio-less input and bad options (nothing is written then); kCancelled.
// Files are written atomically.
Result<TranscribeOutcome> RunTranscribeJob(const TranscribeOptions& options,
                                           const JobProgressFn& progress,
                                           const std::function<bool()>& should_abort = {});

}  // namespace presgen
