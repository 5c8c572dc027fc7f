// Test-only writer for tiny ggml Whisper model files with random weights.
//
// Contract: WriteTinyWhisperModel() writes a file in the legacy ggml Whisper format (the one
// models/convert-pt-to-ggml.py emits and examples/quantize rewrites) that whisper.cpp 1.9.1's
// whisper_init_from_file_with_params() loads, and for kF16/kQ5_1/kQ8_0 whisper_full() runs.
// Weights are pseudo-random values derived from `seed` only: the same spec gives the same file
// (own splitmix64, no std:: distributions; only the filterbank and sinusoids go through libm).
// The transcripts they produce are meaningless. The mel filterbank is a real Slaney-style
// triangular bank; token ids 0..255 are the GPT-2 byte tokens stored as raw bytes like the
// converter does (so id 220 is " "), the other regular tokens are distinct made-up words
// (" ba", "ba", ..., " kato"). Special tokens (<|endoftext|> and up) are not stored: whisper.cpp
// adds them itself from n_vocab.
//
// Caveats of whisper.cpp 1.9.1 itself (not of this writer):
//  - kF32 files load, but whisper_full() aborts in the CPU im2col (GGML_ASSERT
//    src0->type == GGML_TYPE_F16; upstream issue #2557). Only load them.
//  - A truncated file makes whisper_init_* return NULL only if the cut lands in the tensor
//    section before the last tensor. A cut in the header, filters or vocabulary yields an
//    "empty model" context or a GGML_ASSERT abort; a cut inside the last tensor
//    (decoder.ln.bias, 4 * n_text_state bytes) goes unnoticed. Cut at about half the file.
//  - n_text_layer == 2 makes whisper_full() treat the model as distil-whisper and force
//    no_timestamps.
#pragma once

#include <cstdint>
#include <string>

namespace presgen::test {

struct TinyWhisperSpec {
  int n_audio_state = 64, n_audio_head = 1, n_audio_layer = 1;
  int n_text_state = 64, n_text_head = 1, n_text_layer = 1;
  int n_text_ctx = 448, n_audio_ctx = 1500, n_mels = 80;
  bool english_only = true;  // n_vocab 51864 (.en); false -> 51865 multilingual
  // kF32: every tensor f32 (see caveat above). kF16: 2-D/3-D weights f16,
  // biases, norms and positional embeddings f32 (convert-pt-to-ggml.py).
  // kQ5_1/kQ8_0: that f16 layout with every 2-D f16 tensor quantized, as
  // examples/quantize does; n_audio_state must be a multiple of 32.
  enum class Type { kF32, kF16, kQ5_1, kQ8_0 } type = Type::kF16;
  uint32_t seed = 1;
  float weight_scale = 0.05f;  // uniform random weights in [-scale, scale]; layer-norm weights 1,
                               // biases uniform in [-scale/10, scale/10], encoder positional
                               // embedding the real sinusoids
};

// Writes a ggml Whisper model file with random weights that
// whisper_init_from_file_with_params accepts. Returns false and fills *error
// (if non-null) on an invalid spec or an I/O failure; a partial file may then
// remain at `path`.
bool WriteTinyWhisperModel(const std::string& path, const TinyWhisperSpec& spec,
                           std::string* error);

// A spec with base.en's real dimensions (n_audio_state/n_text_state 512,
// 8 heads, 6 layers each), f16, for benchmarks. The file is 148 MB, the size
// of the real ggml-base.en.bin.
TinyWhisperSpec BaseEnDimensions();

}  // namespace presgen::test
