#include "asr/whisper_transcriber.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <spdlog/spdlog.h>

#include <ggml.h>

#include "asr/sentences.h"
#include "asr/whisper_ptr.h"
#include "asr/word_timing.h"

namespace presgen {
namespace {

constexpr uint32_t kGgmlMagic = 0x67676d6c;  // "ggml"
constexpr double kTicksPerSecond = 100;       // whisper times are in 10 ms units

// whisper.cpp prints its loading chatter through this callback: keep it for
// --verbose only. Failures reach the user as a Status instead.
void LogFromWhisper(ggml_log_level, const char* text, void*) {
  std::string line = text ? text : "";
  while (!line.empty() && (line.back() == '\n' || line.back() == ' ')) line.pop_back();
  if (!line.empty()) spdlog::debug("whisper: {}", line);
}

whisper_alignment_heads_preset AheadsPreset(const WhisperModelInfo& m) {
  const bool en = m.english_only();
  switch (m.n_text_state) {
    case 384: return m.n_text_layer == 4 ? (en ? WHISPER_AHEADS_TINY_EN : WHISPER_AHEADS_TINY)
                                         : WHISPER_AHEADS_N_TOP_MOST;
    case 512: return m.n_text_layer == 6 ? (en ? WHISPER_AHEADS_BASE_EN : WHISPER_AHEADS_BASE)
                                         : WHISPER_AHEADS_N_TOP_MOST;
    case 768: return m.n_text_layer == 12 ? (en ? WHISPER_AHEADS_SMALL_EN : WHISPER_AHEADS_SMALL)
                                          : WHISPER_AHEADS_N_TOP_MOST;
    case 1024: return m.n_text_layer == 24 ? (en ? WHISPER_AHEADS_MEDIUM_EN : WHISPER_AHEADS_MEDIUM)
                                           : WHISPER_AHEADS_N_TOP_MOST;
    case 1280:
      if (m.n_text_layer == 4) return WHISPER_AHEADS_LARGE_V3_TURBO;
      if (m.n_text_layer == 32) return m.n_mels == 128 ? WHISPER_AHEADS_LARGE_V3 : WHISPER_AHEADS_LARGE_V2;
      return WHISPER_AHEADS_N_TOP_MOST;
    default: return WHISPER_AHEADS_N_TOP_MOST;
  }
}

// "[BLANK_AUDIO]", "(music)", "*laughs*": not words anyone said.
bool IsAnnotation(const std::string& w) {
  if (w.size() < 2) return false;
  const char a = w.front(), b = w.back();
  return (a == '[' && b == ']') || (a == '(' && b == ')') || (a == '*' && b == '*');
}

std::string Trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\n") - b + 1);
}

class WhisperTranscriber final : public Transcriber {
 public:
  WhisperTranscriber(WhisperContextPtr ctx, WhisperConfig config, WhisperModelInfo info)
      : ctx_(std::move(ctx)), config_(std::move(config)), info_(info) {}

  std::string Name() const override { return "whisper"; }

  Result<Transcript> Transcribe(const PcmAudio& audio, const TranscribeParams& params,
                                const StageCallbacks& callbacks) override {
    if (audio.sample_rate != WHISPER_SAMPLE_RATE) {
      return Status::InvalidInput("whisper needs 16 kHz audio, got " +
                                  std::to_string(audio.sample_rate) + " Hz");
    }
    Transcript transcript;
    transcript.engine = Name();
    transcript.language = info_.english_only() ? "en" : params.language;
    transcript.duration_s = audio.duration_s();
    // whisper pads to 30 s windows; under 0.1 s there is nothing to hear.
    if (audio.samples.size() < WHISPER_SAMPLE_RATE / 10) return transcript;

    whisper_full_params wp = whisper_full_default_params(
        config_.beam_size > 1 ? WHISPER_SAMPLING_BEAM_SEARCH : WHISPER_SAMPLING_GREEDY);
    wp.n_threads = std::max(1, params.n_threads);
    wp.language = transcript.language.c_str();
    wp.translate = false;
    wp.no_context = true;
    wp.print_progress = wp.print_realtime = wp.print_timestamps = wp.print_special = false;
    wp.token_timestamps = true;  // t0/t1 per token: the fallback when DTW has no time
    wp.suppress_blank = true;
    wp.suppress_nst = true;      // no "(music)" style tokens
    if (config_.beam_size > 1) wp.beam_search.beam_size = config_.beam_size;
    wp.abort_callback = [](void* data) {
      return static_cast<const StageCallbacks*>(data)->Aborted();
    };
    wp.abort_callback_user_data = const_cast<StageCallbacks*>(&callbacks);
    wp.progress_callback = [](whisper_context*, whisper_state*, int percent, void* data) {
      static_cast<const StageCallbacks*>(data)->Progress(std::clamp(percent, 0, 100) / 100.0);
    };
    wp.progress_callback_user_data = const_cast<StageCallbacks*>(&callbacks);

    const int rc = whisper_full(ctx_.get(), wp, audio.samples.data(),
                                static_cast<int>(audio.samples.size()));
    if (spdlog::should_log(spdlog::level::debug)) whisper_print_timings(ctx_.get());  // --verbose
    if (callbacks.Aborted()) return Status::Cancelled("transcription cancelled");
    if (rc != 0) return Status::Internal("whisper failed to transcribe (code " + std::to_string(rc) + ")");

    auto words = CollectWords();
    RepairWordTimes(words, transcript.duration_s);
    transcript.segments = SegmentSentences(words);
    callbacks.Progress(1.0);
    return transcript;
  }

 private:
  // Tokens -> words: a token starting with a space opens a new word; the rest
  // ("$", "2", "M") join the word before, so figures stay one word.
  std::vector<Word> CollectWords() {
    whisper_context* ctx = ctx_.get();
    const whisper_token eot = whisper_token_eot(ctx);
    std::vector<Word> words;
    bool open = false;
    for (int s = 0; s < whisper_full_n_segments(ctx); ++s) {
      const int n = whisper_full_n_tokens(ctx, s);
      open = false;  // a segment never continues the previous one's word
      for (int t = 0; t < n; ++t) {
        const whisper_token_data d = whisper_full_get_token_data(ctx, s, t);
        if (d.id >= eot) continue;  // special and timestamp tokens
        const char* raw = whisper_full_get_token_text(ctx, s, t);
        const std::string text = raw ? raw : "";
        if (text.empty()) continue;
        const bool starts_word = !open || text[0] == ' ';
        const double t_token = (config_.dtw_word_times && d.t_dtw >= 0 ? d.t_dtw : d.t0) /
                               kTicksPerSecond;
        const double p = std::clamp(static_cast<double>(d.p), 0.0, 1.0);
        if (starts_word) {
          Word w;
          w.start_s = t_token;
          w.end_s = d.t1 / kTicksPerSecond;
          w.text = Trim(text);
          w.confidence = p;
          words.push_back(std::move(w));
          open = true;
        } else {
          words.back().text += text;
          words.back().end_s = std::max(words.back().end_s, d.t1 / kTicksPerSecond);
          words.back().confidence = std::min(words.back().confidence, p);  // its weakest part
        }
      }
    }
    std::vector<Word> kept;
    for (auto& w : words) {
      w.text = Trim(w.text);
      if (!w.text.empty() && !IsAnnotation(w.text)) kept.push_back(std::move(w));
    }
    return kept;
  }

  WhisperContextPtr ctx_;
  WhisperConfig config_;
  WhisperModelInfo info_;
};

}  // namespace

std::string WhisperModelInfo::size_name() const {
  const char* base = nullptr;
  if (n_text_state == 384 && n_text_layer == 4) base = "tiny";
  if (n_text_state == 512 && n_text_layer == 6) base = "base";
  if (n_text_state == 768 && n_text_layer == 12) base = "small";
  if (n_text_state == 1024 && n_text_layer == 24) base = "medium";
  if (n_text_state == 1280) base = n_text_layer == 4 ? "large-v3-turbo" : "large";
  if (!base) return "custom";
  return std::string(base) + (english_only() ? ".en" : "");
}

Result<WhisperModelInfo> ReadWhisperModelInfo(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Status::NotFound("whisper model " + path + ": no such file");
  }
  const auto size = std::filesystem::file_size(path, ec);
  std::ifstream in(path, std::ios::binary);
  const auto bad = [&](const std::string& why) {
    return Status::InvalidInput("whisper model " + path + ": " + why);
  };
  uint32_t magic = 0;
  int32_t h[11] = {};
  in.read(reinterpret_cast<char*>(&magic), sizeof magic);
  in.read(reinterpret_cast<char*>(h), sizeof h);
  if (!in || magic != kGgmlMagic) return bad("not a ggml Whisper model file");
  WhisperModelInfo m{h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9], h[10]};
  if (m.n_vocab <= 0 || m.n_text_state <= 0 || m.n_text_layer <= 0 || m.n_mels <= 0 ||
      m.n_audio_state <= 0 || m.n_audio_layer <= 0) {
    return bad("implausible hyper-parameters");
  }
  // whisper.cpp aborts the process on some damaged files and accepts others as
  // "empty test models": walk the whole layout first so a damaged or truncated
  // file is a clear error instead. Layout: mel filters, vocabulary, tensors to EOF.
  const auto read_i32 = [&](int32_t* v) {
    return static_cast<bool>(in.read(reinterpret_cast<char*>(v), sizeof *v));
  };
  const auto skip = [&](uint64_t n) {
    in.seekg(static_cast<std::streamoff>(n), std::ios::cur);
    return static_cast<bool>(in) && static_cast<uint64_t>(in.tellg()) <= size;
  };
  int32_t n_mel = 0, n_fft = 0, n_vocab = 0;
  if (!read_i32(&n_mel) || !read_i32(&n_fft) || n_mel <= 0 || n_fft <= 0 ||
      !skip(uint64_t(n_mel) * uint64_t(n_fft) * sizeof(float))) {
    return bad("damaged mel filters");
  }
  if (!read_i32(&n_vocab) || n_vocab < 0 || n_vocab > m.n_vocab) return bad("damaged vocabulary");
  for (int32_t i = 0; i < n_vocab; ++i) {
    int32_t len = 0;
    if (!read_i32(&len) || len < 0 || len > 1024 || !skip(uint64_t(len))) {
      return bad("damaged vocabulary");
    }
  }
  int tensors = 0;
  while (static_cast<uint64_t>(in.tellg()) < size) {
    int32_t n_dims = 0, name_len = 0, type = 0;
    if (!read_i32(&n_dims) || !read_i32(&name_len) || !read_i32(&type) || n_dims < 1 ||
        n_dims > 4 || name_len <= 0 || name_len > 256 || type < 0 || type >= GGML_TYPE_COUNT ||
        ggml_type_size(static_cast<ggml_type>(type)) == 0) {
      return bad("damaged tensor header (truncated or not a Whisper model)");
    }
    int64_t ne[4] = {1, 1, 1, 1};
    for (int d = 0; d < n_dims; ++d) {
      int32_t v = 0;
      if (!read_i32(&v) || v <= 0) return bad("damaged tensor shape");
      ne[d] = v;
    }
    const auto t = static_cast<ggml_type>(type);
    if (ne[0] % ggml_blck_size(t) != 0) return bad("damaged tensor shape");
    const uint64_t bytes = ggml_row_size(t, ne[0]) * uint64_t(ne[1] * ne[2] * ne[3]);
    std::string name(static_cast<size_t>(name_len), '\0');
    if (!in.read(name.data(), name_len)) return bad("damaged tensor header");
    if (name == "encoder.conv1.weight" && t != GGML_TYPE_F16) {
      // whisper.cpp 1.9.1's CPU convolution asserts on anything but f16 weights.
      return Status::Unsupported("whisper model " + path +
                                 ": f32 models cannot run on the CPU backend; use an f16 or "
                                 "quantized model (scripts/fetch-model.sh)");
    }
    if (!skip(bytes)) return bad("truncated (a tensor is cut short)");
    ++tensors;
  }
  if (tensors == 0) return bad("has no weights");
  return m;
}

Result<std::unique_ptr<Transcriber>> CreateWhisperTranscriber(const WhisperConfig& config) {
  auto info = ReadWhisperModelInfo(config.model_path);
  if (!info.ok()) return info.status();
  whisper_log_set(LogFromWhisper, nullptr);

  whisper_context_params cp = whisper_context_default_params();
  cp.use_gpu = false;
  cp.flash_attn = false;  // flash attention disables DTW
  cp.dtw_token_timestamps = config.dtw_word_times;
  cp.dtw_aheads_preset = AheadsPreset(*info);
  cp.dtw_n_top = std::max(1, info->n_text_layer / 2);  // used by N_TOP_MOST only
  WhisperContextPtr ctx(whisper_init_from_file_with_params(config.model_path.c_str(), cp));
  if (!ctx) {
    return Status::Unavailable("whisper could not load " + config.model_path +
                               " (damaged or unsupported model file)");
  }
  return std::unique_ptr<Transcriber>(
      new WhisperTranscriber(std::move(ctx), config, std::move(info).value()));
}

}  // namespace presgen
