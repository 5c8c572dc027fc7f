// PocketSphinx (5prealpha, Debian's en-us model) behind the Transcriber seam.
// Offline, CPU-light, no punctuation: sentences come from pauses (sentences.h).
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "asr/speech_chunker.h"
#include "asr/transcriber.h"
#include "core/status.h"

namespace presgen {

struct PocketSphinxConfig {
  // Folder holding the acoustic model folder "en-us", "en-us.lm.bin" and
  // "cmudict-en-us.dict". Empty: the folder the build was configured with.
  std::string model_dir;
  // Decoder settings on top of presgen's own ({"-lw", "8"}, ...), for tuning tools and
  // benchmarks; the product leaves it empty.
  std::vector<std::pair<std::string, std::string>> decoder_args;
  ChunkParams chunking;
};

// Loads the model once (about a second). Errors: kUnavailable when the model
// files are missing or the decoder cannot start.
Result<std::unique_ptr<Transcriber>> CreatePocketSphinxTranscriber(
    const PocketSphinxConfig& config);

}  // namespace presgen
