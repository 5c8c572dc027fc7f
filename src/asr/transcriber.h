// The speech-to-text seam. Engines (PocketSphinx now, whisper.cpp next) implement
// Transcriber; the pipeline picks one and records its name in result.json.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "core/types.h"

namespace presgen {

struct TranscribeParams {
  int n_threads = 1;          // CPU share granted by the orchestrator
  std::string language = "en";
};

inline TranscribeParams DefaultTranscribeParams() { return {}; }

// Thread-safety: one Transcribe() call at a time per instance.
class Transcriber {
 public:
  virtual ~Transcriber() = default;
  // Engine name as recorded in transcript.json / result.json ("pocketsphinx", "whisper").
  virtual std::string Name() const = 0;
  // Transcribes 16 kHz mono audio. Returns sentence segments with word times
  // (seconds from the start of `audio`). Silence or noise gives an empty,
  // valid transcript. Errors: kCancelled when callbacks.should_abort() fires,
  // kInternal when the engine fails.
  virtual Result<Transcript> Transcribe(const PcmAudio& audio, const TranscribeParams& params,
                                        const StageCallbacks& callbacks) = 0;
};

}  // namespace presgen
