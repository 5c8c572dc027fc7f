// Audio extraction: decode the input's main audio stream to mono float PCM.
#pragma once

#include <string>

#include "core/status.h"
#include "core/types.h"

namespace presgen {

struct AudioExtractParams {
  int sample_rate = 16000;  // what the ASR engines want
  int threads = 1;
};

inline AudioExtractParams DefaultAudioExtractParams() { return {}; }

// Decodes and resamples (any channel count/rate/format, also changing mid-stream) to mono
// float at params.sample_rate, on the output timeline: sample 0 is at the video stream's
// first frame (an audio-only file's own start), audio before it is dropped and a late
// start is filled with silence. Damaged packets are skipped. Errors: kUnavailable when
// the file has no audio stream, kCancelled, plus MediaInput::Open's errors.
Result<PcmAudio> ExtractAudio(const std::string& path, const AudioExtractParams& params,
                              const StageCallbacks& callbacks = {});

}  // namespace presgen
