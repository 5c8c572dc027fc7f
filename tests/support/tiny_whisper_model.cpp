#include "support/tiny_whisper_model.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <vector>

#include "ggml.h"

namespace presgen::test {
namespace {

// Layout reference (whisper.cpp 1.9.1, src/whisper.cpp whisper_model_load):
//   u32 magic, 11 x i32 hparams (last = ftype, + GGML_QNT_VERSION * 1000 when quantized),
//   i32 n_mel, i32 n_fft, n_mel * n_fft f32 filters,
//   i32 count, count x (u32 len, bytes) regular tokens,
//   tensors until EOF: i32 n_dims, i32 name_len, i32 ggml_type, i32 ne[n_dims] (ggml order,
//   ne[0] fastest), name bytes, raw data (no alignment padding).
constexpr int kSampleRate = 16000;
constexpr int kFftSize = 400;
constexpr int kFftBins = kFftSize / 2 + 1;  // 201
constexpr int kEnglishVocab = 51864;
constexpr int kGpt2RegularTokens = 50256;  // ids 0..50255; 50256 is <|endoftext|> in .en models

// splitmix64: tiny, portable, and identical everywhere (unlike std:: distributions).
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  float Uniform(float lo, float hi) {
    state_ += 0x9e3779b97f4a7c15ULL;
    uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return lo + (hi - lo) * static_cast<float>(z >> 40) / static_cast<float>(1 << 24);
  }

 private:
  uint64_t state_;
};

class FileWriter {
 public:
  explicit FileWriter(const std::string& path)
      : file_(std::fopen(path.c_str(), "wb"), &std::fclose) {}
  bool opened() const { return file_ != nullptr; }
  void Bytes(const void* data, size_t size) {
    if (ok_ && size > 0) ok_ = std::fwrite(data, 1, size, file_.get()) == size;
  }
  void I32(int32_t v) { Bytes(&v, sizeof v); }
  bool Close() {
    const bool closed = std::fclose(file_.release()) == 0;
    return ok_ && closed;
  }

 private:
  std::unique_ptr<FILE, int (*)(FILE*)> file_;
  bool ok_ = true;
};

// Slaney mel scale as used by librosa.filters.mel (Whisper's mel_filters.npz).
double HzToMel(double hz) {
  return hz < 1000.0 ? hz * 3.0 / 200.0 : 15.0 + 27.0 * std::log(hz / 1000.0) / std::log(6.4);
}
double MelToHz(double mel) {
  return mel < 15.0 ? mel * 200.0 / 3.0 : 1000.0 * std::exp((mel - 15.0) * std::log(6.4) / 27.0);
}

// Triangular, area-normalized ("slaney") filterbank: n_mels rows of kFftBins weights.
std::vector<float> MelFilterbank(int n_mels) {
  std::vector<double> edges(n_mels + 2);
  const double mel_max = HzToMel(kSampleRate / 2.0);
  for (int i = 0; i < n_mels + 2; ++i) edges[i] = MelToHz(mel_max * i / (n_mels + 1));
  std::vector<float> out(static_cast<size_t>(n_mels) * kFftBins, 0.0f);
  for (int m = 0; m < n_mels; ++m) {
    const double lo = edges[m], mid = edges[m + 1], hi = edges[m + 2];
    for (int k = 0; k < kFftBins; ++k) {
      const double hz = static_cast<double>(k) * kSampleRate / kFftSize;
      const double w = std::max(0.0, std::min((hz - lo) / (mid - lo), (hi - hz) / (hi - mid)));
      out[static_cast<size_t>(m) * kFftBins + k] = static_cast<float>(w * 2.0 / (hi - lo));
    }
  }
  return out;
}

// Regular (non-special) tokens as raw bytes, in id order. Ids 0..255 follow GPT-2's
// bytes_to_unicode order (printable bytes first), so id 220 is " " as whisper.cpp expects.
std::vector<std::string> Vocabulary(int count) {
  std::vector<std::string> tokens;
  tokens.reserve(count);
  const auto printable = [](int b) { return (b >= '!' && b <= '~') || (b >= 0xA1 && b != 0xAD); };
  for (const bool first_pass : {true, false}) {
    for (int b = 0; b < 256; ++b) {
      if (printable(b) == first_pass) tokens.emplace_back(1, static_cast<char>(b));
    }
  }
  // Made-up words: bijective base-75 numerals over consonant-vowel syllables are unique, and every
  // other one gets GPT-2's leading-space form (" ba", "ba", " be", ..., " kato", ...).
  static constexpr char kCons[] = "bdfghjklmnprstv";
  static constexpr char kVowels[] = "aeiou";
  constexpr int kSyllables = (sizeof kCons - 1) * (sizeof kVowels - 1);
  for (int j = 0; static_cast<int>(tokens.size()) < count; ++j) {
    std::string word;
    for (int n = j / 2 + 1; n > 0; n = (n - 1) / kSyllables) {
      const int s = (n - 1) % kSyllables;
      word += kCons[s / 5];
      word += kVowels[s % 5];
    }
    tokens.push_back(j % 2 == 0 ? " " + word : word);
  }
  tokens.resize(count);
  return tokens;
}

enum class Init { kUniform, kOnes, kBias, kSinusoid };

struct TensorSpec {
  std::string name;
  std::vector<int> ne;  // ggml order: ne[0] is the contiguous (row) dimension
  Init init;
};

// Tensors in the order convert-pt-to-ggml.py emits them (the PyTorch state_dict order).
std::vector<TensorSpec> TensorList(const TinyWhisperSpec& s, int n_vocab) {
  std::vector<TensorSpec> t;
  const auto block = [&t](const std::string& prefix, bool cross, int n) {
    for (const std::string attn : {"attn", "cross_attn"}) {
      if (attn == "cross_attn" && !cross) continue;
      t.push_back({prefix + attn + ".query.weight", {n, n}, Init::kUniform});
      t.push_back({prefix + attn + ".query.bias", {n}, Init::kBias});
      t.push_back({prefix + attn + ".key.weight", {n, n}, Init::kUniform});
      t.push_back({prefix + attn + ".value.weight", {n, n}, Init::kUniform});
      t.push_back({prefix + attn + ".value.bias", {n}, Init::kBias});
      t.push_back({prefix + attn + ".out.weight", {n, n}, Init::kUniform});
      t.push_back({prefix + attn + ".out.bias", {n}, Init::kBias});
      t.push_back({prefix + attn + "_ln.weight", {n}, Init::kOnes});
      t.push_back({prefix + attn + "_ln.bias", {n}, Init::kBias});
    }
    t.push_back({prefix + "mlp.0.weight", {n, 4 * n}, Init::kUniform});
    t.push_back({prefix + "mlp.0.bias", {4 * n}, Init::kBias});
    t.push_back({prefix + "mlp.2.weight", {4 * n, n}, Init::kUniform});
    t.push_back({prefix + "mlp.2.bias", {n}, Init::kBias});
    t.push_back({prefix + "mlp_ln.weight", {n}, Init::kOnes});
    t.push_back({prefix + "mlp_ln.bias", {n}, Init::kBias});
  };
  const int a = s.n_audio_state, d = s.n_text_state;
  t.push_back({"encoder.positional_embedding", {a, s.n_audio_ctx}, Init::kSinusoid});
  t.push_back({"encoder.conv1.weight", {3, s.n_mels, a}, Init::kUniform});
  t.push_back({"encoder.conv1.bias", {1, a}, Init::kBias});
  t.push_back({"encoder.conv2.weight", {3, a, a}, Init::kUniform});
  t.push_back({"encoder.conv2.bias", {1, a}, Init::kBias});
  for (int i = 0; i < s.n_audio_layer; ++i)
    block("encoder.blocks." + std::to_string(i) + ".", false, a);
  t.push_back({"encoder.ln_post.weight", {a}, Init::kOnes});
  t.push_back({"encoder.ln_post.bias", {a}, Init::kBias});
  t.push_back({"decoder.positional_embedding", {d, s.n_text_ctx}, Init::kUniform});
  t.push_back({"decoder.token_embedding.weight", {d, n_vocab}, Init::kUniform});
  for (int i = 0; i < s.n_text_layer; ++i)
    block("decoder.blocks." + std::to_string(i) + ".", true, d);
  t.push_back({"decoder.ln.weight", {d}, Init::kOnes});
  t.push_back({"decoder.ln.bias", {d}, Init::kBias});
  return t;
}

// Storage type per tensor, following convert-pt-to-ggml.py (f16 for n_dims >= 2 except conv
// biases and positional embeddings) and examples/quantize (then quantize the 2-D f16 ones).
ggml_type StorageType(const TensorSpec& t, ggml_type wtype) {
  const bool keep_f32 = t.ne.size() < 2 || t.name == "encoder.conv1.bias" ||
                        t.name == "encoder.conv2.bias" || t.name.ends_with("positional_embedding");
  if (wtype == GGML_TYPE_F32 || keep_f32) return GGML_TYPE_F32;
  if (wtype != GGML_TYPE_F16 && t.ne.size() == 2) return wtype;
  return GGML_TYPE_F16;
}

void Fill(Init init, float scale, int64_t row0, int ne0, Rng& rng, std::vector<float>& v) {
  for (size_t i = 0; i < v.size(); ++i) {
    switch (init) {
      case Init::kUniform:
        v[i] = rng.Uniform(-scale, scale);
        break;
      case Init::kBias:
        v[i] = rng.Uniform(-scale / 10, scale / 10);
        break;
      case Init::kOnes:
        v[i] = 1.0f;
        break;
      case Init::kSinusoid: {  // whisper.model.sinusoids(): [sin | cos] halves per position
        const int half = ne0 / 2, c = static_cast<int>(i % ne0);
        const double pos = static_cast<double>(row0 + static_cast<int64_t>(i / ne0));
        const double rate = std::exp(-std::log(10000.0) / std::max(half - 1, 1) * (c % half));
        v[i] = static_cast<float>(c < half ? std::sin(pos * rate) : std::cos(pos * rate));
        break;
      }
    }
  }
}

bool Fail(std::string* error, const std::string& message) {
  if (error != nullptr) *error = message;
  return false;
}

}  // namespace

TinyWhisperSpec BaseEnDimensions() {
  TinyWhisperSpec spec;
  spec.n_audio_state = spec.n_text_state = 512;
  spec.n_audio_head = spec.n_text_head = 8;
  spec.n_audio_layer = spec.n_text_layer = 6;
  return spec;
}

bool WriteTinyWhisperModel(const std::string& path, const TinyWhisperSpec& spec,
                           std::string* error) {
  using Type = TinyWhisperSpec::Type;
  const ggml_type wtype = spec.type == Type::kF32    ? GGML_TYPE_F32
                          : spec.type == Type::kF16  ? GGML_TYPE_F16
                          : spec.type == Type::kQ5_1 ? GGML_TYPE_Q5_1
                                                     : GGML_TYPE_Q8_0;
  int32_t ftype = spec.type == Type::kF32    ? GGML_FTYPE_ALL_F32
                  : spec.type == Type::kF16  ? GGML_FTYPE_MOSTLY_F16
                  : spec.type == Type::kQ5_1 ? GGML_FTYPE_MOSTLY_Q5_1
                                             : GGML_FTYPE_MOSTLY_Q8_0;
  if (ggml_is_quantized(wtype)) ftype += GGML_QNT_VERSION * GGML_QNT_VERSION_FACTOR;

  if (std::min({spec.n_audio_state, spec.n_audio_head, spec.n_audio_layer, spec.n_text_state,
                spec.n_text_head, spec.n_text_layer, spec.n_text_ctx, spec.n_audio_ctx,
                spec.n_mels}) <= 0) {
    return Fail(error, "TinyWhisperSpec: all dimensions must be positive");
  }
  if (spec.n_audio_state != spec.n_text_state) {
    return Fail(error, "TinyWhisperSpec: whisper.cpp requires n_audio_state == n_text_state");
  }
  if (spec.n_audio_state % spec.n_audio_head != 0 || spec.n_text_state % spec.n_text_head != 0) {
    return Fail(error, "TinyWhisperSpec: state size must be divisible by the head count");
  }
  if (ggml_is_quantized(wtype) &&
      (spec.n_audio_state % ggml_blck_size(wtype) != 0 || ggml_quantize_requires_imatrix(wtype))) {
    return Fail(error, "TinyWhisperSpec: quantized types need n_audio_state to be a multiple of " +
                           std::to_string(ggml_blck_size(wtype)));
  }

  FileWriter out(path);
  if (!out.opened()) return Fail(error, "cannot open '" + path + "' for writing");

  const int n_vocab = spec.english_only ? kEnglishVocab : kEnglishVocab + 1;
  out.I32(static_cast<int32_t>(GGML_FILE_MAGIC));
  for (int v :
       {n_vocab, spec.n_audio_ctx, spec.n_audio_state, spec.n_audio_head, spec.n_audio_layer,
        spec.n_text_ctx, spec.n_text_state, spec.n_text_head, spec.n_text_layer, spec.n_mels}) {
    out.I32(v);
  }
  out.I32(ftype);

  const std::vector<float> filters = MelFilterbank(spec.n_mels);
  out.I32(spec.n_mels);
  out.I32(kFftBins);
  out.Bytes(filters.data(), filters.size() * sizeof(float));

  // Multilingual files also store id 50256 as a regular token; their specials start at 50257.
  const std::vector<std::string> tokens =
      Vocabulary(kGpt2RegularTokens + (spec.english_only ? 0 : 1));
  out.I32(static_cast<int32_t>(tokens.size()));
  for (const std::string& token : tokens) {
    out.I32(static_cast<int32_t>(token.size()));
    out.Bytes(token.data(), token.size());
  }

  Rng rng(0x5eed0000ULL ^ spec.seed);
  std::vector<float> f32;
  std::vector<uint8_t> converted;
  for (const TensorSpec& t : TensorList(spec, n_vocab)) {
    const ggml_type type = StorageType(t, wtype);
    out.I32(static_cast<int32_t>(t.ne.size()));
    out.I32(static_cast<int32_t>(t.name.size()));
    out.I32(type);
    int64_t n_rows = 1;
    for (size_t i = 0; i < t.ne.size(); ++i) {
      out.I32(t.ne[i]);
      if (i > 0) n_rows *= t.ne[i];
    }
    out.Bytes(t.name.data(), t.name.size());

    // Generate and convert in chunks of whole rows to bound memory for base-sized embeddings.
    const int ne0 = t.ne[0];
    const int64_t rows_per_chunk = std::max<int64_t>(1, (1 << 20) / ne0);
    for (int64_t row = 0; row < n_rows; row += rows_per_chunk) {
      const int64_t rows = std::min(rows_per_chunk, n_rows - row);
      f32.resize(static_cast<size_t>(rows * ne0));
      Fill(t.init, spec.weight_scale, row, ne0, rng, f32);
      if (type == GGML_TYPE_F32) {
        out.Bytes(f32.data(), f32.size() * sizeof(float));
        continue;
      }
      converted.resize(ggml_row_size(type, ne0) * rows);
      if (type == GGML_TYPE_F16) {
        ggml_fp32_to_fp16_row(f32.data(), reinterpret_cast<ggml_fp16_t*>(converted.data()),
                              static_cast<int64_t>(f32.size()));
      } else {
        ggml_quantize_chunk(type, f32.data(), converted.data(), 0, rows, ne0, nullptr);
      }
      out.Bytes(converted.data(), converted.size());
    }
  }
  if (!out.Close()) return Fail(error, "I/O error while writing '" + path + "'");
  return true;
}

}  // namespace presgen::test
