// whisper.cpp (1.9.1, CPU) behind the Transcriber seam: the quality engine.
#pragma once

#include <memory>
#include <string>

#include "asr/transcriber.h"
#include "core/status.h"

namespace presgen {

struct WhisperConfig {
  std::string model_path;      // a ggml Whisper model (scripts/fetch-model.sh)
  // Word starts from DTW over the model's alignment heads (preset chosen from the
  // model's dimensions). Flash attention stays off: it disables DTW.
  bool dtw_word_times = true;
  int beam_size = 0;           // 0: greedy (DESIGN §11: ~3x faster than beam 5 here)
};

// The hyper-parameters in a ggml Whisper file's header, read without loading it.
struct WhisperModelInfo {
  int n_vocab = 0, n_audio_ctx = 0, n_audio_state = 0, n_audio_head = 0, n_audio_layer = 0;
  int n_text_ctx = 0, n_text_state = 0, n_text_head = 0, n_text_layer = 0, n_mels = 0;
  int ftype = 0;
  bool english_only() const { return n_vocab == 51864; }
  // "tiny.en", "base", ... when the dimensions match an official model, else "custom".
  std::string size_name() const;
};

// Errors: kNotFound (no file), kInvalidInput (not a ggml Whisper file).
Result<WhisperModelInfo> ReadWhisperModelInfo(const std::string& path);

// Loads the model (CPU only). Errors: kNotFound, kInvalidInput as above;
// kUnavailable when whisper.cpp rejects the file.
Result<std::unique_ptr<Transcriber>> CreateWhisperTranscriber(const WhisperConfig& config);

}  // namespace presgen
