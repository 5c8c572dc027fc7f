#include "asr/pocketsphinx_transcriber.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <mutex>
#include <thread>

#include "asr/pocketsphinx_confidence.h"
#include "asr/pocketsphinx_ptr.h"
#include "asr/sentences.h"
#include "asr/speech_chunker.h"

namespace presgen {
namespace {

constexpr int kFramesPerSecond = 100;  // PocketSphinx's default -frate
// A chunk whose loudest 10 ms is below -60 dBFS holds no speech. Decoding it
// anyway makes the model hallucinate words out of digital silence.
constexpr float kSilentRms = 0.001f;

bool IsSilent(const PcmAudio& audio, size_t begin, size_t end) {
  const size_t frame = static_cast<size_t>(audio.sample_rate / kFramesPerSecond);
  for (size_t i = begin; i < end; i += frame) {
    const size_t n = std::min(frame, end - i);
    double sum = 0;
    for (size_t k = 0; k < n; ++k) sum += double(audio.samples[i + k]) * audio.samples[i + k];
    if (std::sqrt(sum / double(n)) >= kSilentRms) return false;
  }
  return true;
}

struct ModelFiles {
  std::string hmm, lm, dict;
};

Result<ModelFiles> LocateModel(const PocketSphinxConfig& config) {
  const std::filesystem::path dir =
      config.model_dir.empty() ? PRESGEN_POCKETSPHINX_MODEL_DIR : config.model_dir;
  ModelFiles files{(dir / "en-us").string(), (dir / "en-us.lm.bin").string(),
                   (dir / "cmudict-en-us.dict").string()};
  for (const auto& p : {files.hmm + "/mdef", files.lm, files.dict}) {
    if (!std::filesystem::exists(p)) {
      return Status::Unavailable("PocketSphinx model file " + p +
                                 " is missing (install pocketsphinx-en-us)");
    }
  }
  return files;
}

// The decoder's settings: presgen's defaults, then the config's overrides.
std::vector<std::string> DecoderArgs(const ModelFiles& files, const PocketSphinxConfig& config) {
  std::vector<std::pair<std::string, std::string>> args = {
      {"-hmm", files.hmm}, {"-lm", files.lm}, {"-dict", files.dict},
      // Keep every frame: word times must map back to samples.
      {"-remove_silence", "no"},
      // Normalise each chunk on its own (with ps_start_stream per chunk): results must not
      // depend on which chunks a decoder saw before (parallel = serial).
      {"-cmn", "batch"},
      // Caps the search per frame: on noise or band-limited speech the default (30000)
      // makes decoding 2x slower at the same accuracy.
      {"-maxhmmpf", "3000"},
      {"-logfn", "/dev/null"},
  };
  for (const auto& [name, value] : config.decoder_args) {
    auto it = std::find_if(args.begin(), args.end(), [&](const auto& a) { return a.first == name; });
    if (it != args.end()) {
      it->second = value;
    } else {
      args.emplace_back(name, value);
    }
  }
  std::vector<std::string> argv = {"presgen"};
  for (const auto& [name, value] : args) {
    argv.push_back(name);
    argv.push_back(value);
  }
  return argv;
}

Result<PsDecoderPtr> NewDecoder(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  CmdLnPtr config(
      cmd_ln_parse_r(nullptr, ps_args(), static_cast<int32>(argv.size()), argv.data(), TRUE));
  if (!config) return Status::Unavailable("PocketSphinx rejected its configuration");
  PsDecoderPtr ps(ps_init(config.get()));  // takes its own reference to config
  if (!ps) return Status::Unavailable("PocketSphinx could not load its model");
  return ps;
}

// "<s>", "</s>", "<sil>", "[NOISE]", "++UH++" are not words.
bool IsFiller(const char* w) { return !w || !*w || w[0] == '<' || w[0] == '[' || w[0] == '+'; }

// "read(2)" -> "read": alternate pronunciations carry a suffix.
std::string StripVariant(std::string w) {
  const auto paren = w.find('(');
  if (paren != std::string::npos && paren > 0) w.resize(paren);
  return w;
}

class PocketSphinxTranscriber final : public Transcriber {
 public:
  PocketSphinxTranscriber(std::vector<std::string> args, ChunkParams chunking, PsDecoderPtr first)
      : args_(std::move(args)), chunking_(chunking) {
    decoders_.push_back(std::move(first));
  }

  std::string Name() const override { return "pocketsphinx"; }

  Result<Transcript> Transcribe(const PcmAudio& audio, const TranscribeParams& params,
                                const StageCallbacks& callbacks) override {
    if (audio.sample_rate != 16000) {
      return Status::InvalidInput("PocketSphinx needs 16 kHz audio, got " +
                                  std::to_string(audio.sample_rate) + " Hz");
    }
    Transcript transcript;
    transcript.engine = Name();
    transcript.language = "en";
    transcript.duration_s = audio.duration_s();
    const auto chunks = SplitAtSilences(audio, chunking_);
    if (chunks.empty()) return transcript;

    const int workers = std::clamp(params.n_threads, 1, static_cast<int>(chunks.size()));
    while (static_cast<int>(decoders_.size()) < workers) {
      auto ps = NewDecoder(args_);
      if (!ps.ok()) return ps.status();
      decoders_.push_back(std::move(ps).value());
    }

    std::vector<std::vector<Word>> words(chunks.size());
    std::atomic<size_t> next{0}, done_samples{0};
    std::atomic<bool> stop{false};
    Status first_error;
    std::mutex error_mu;
    std::mutex progress_mu;
    auto work = [&](ps_decoder_t* ps) {
      for (size_t i; !stop && (i = next++) < chunks.size();) {
        Status st = DecodeChunk(ps, audio, chunks[i], chunking_.context_s, callbacks, &words[i],
                                &stop);
        if (!st.ok()) {
          std::lock_guard lock(error_mu);
          MergeStatus(first_error, st);
          stop = true;
        }
        done_samples += chunks[i].end - chunks[i].begin;
        std::lock_guard lock(progress_mu);  // callbacks are not required to be thread-safe
        callbacks.Progress(double(done_samples) / double(audio.samples.size()));
      }
    };
    std::vector<std::thread> threads;
    for (int t = 1; t < workers; ++t) threads.emplace_back(work, decoders_[t].get());
    work(decoders_[0].get());
    for (auto& th : threads) th.join();
    if (!first_error.ok()) return first_error;

    std::vector<Word> all;
    for (auto& w : words) all.insert(all.end(), w.begin(), w.end());
    transcript.segments = SegmentSentences(all);
    return transcript;
  }

 private:
  static Status DecodeChunk(ps_decoder_t* ps, const PcmAudio& audio, const AudioChunk& own,
                            double context_s, const StageCallbacks& callbacks,
                            std::vector<Word>* out, std::atomic<bool>* stop) {
    // Cancellation is checked between chunks: a chunk (<= ChunkParams::max_s of
    // audio) decodes in about a tenth of its duration.
    if (*stop || callbacks.Aborted()) {
      *stop = true;
      return Status::Cancelled("transcription cancelled");
    }
    if (IsSilent(audio, own.begin, own.end)) return Status::Ok();
    // Decode the chunk with its context; keep the words whose middle is its own.
    const size_t context = static_cast<size_t>(context_s * audio.sample_rate);
    const AudioChunk chunk{own.begin > context ? own.begin - context : 0,
                           std::min(audio.samples.size(), own.end + context)};
    const double own_begin_s = double(own.begin) / audio.sample_rate;
    const double own_end_s = double(own.end) / audio.sample_rate;
    // A new stream for every chunk: the front end's noise estimate (-remove_noise) and
    // other channel state otherwise carry over from whichever chunk this decoder saw
    // before, so the words would depend on the thread count and on scheduling.
    if (ps_start_stream(ps) < 0 || ps_start_utt(ps) < 0) {
      return Status::Internal("PocketSphinx could not start decoding");
    }
    std::vector<int16> pcm(chunk.end - chunk.begin);
    for (size_t k = 0; k < pcm.size(); ++k) {
      const float s = std::clamp(audio.samples[chunk.begin + k], -1.0f, 1.0f);
      pcm[k] = static_cast<int16>(std::lrint(s * 32767.0f));
    }
    // One call with the whole chunk (full_utt) so batch CMN sees all of it.
    if (ps_process_raw(ps, pcm.data(), pcm.size(), FALSE, TRUE) < 0) {
      ps_end_utt(ps);
      return Status::Internal("PocketSphinx failed while decoding audio");
    }
    if (ps_end_utt(ps) < 0) return Status::Internal("PocketSphinx failed to finish decoding");
    ps_get_prob(ps);  // computes the lattice's posteriors
    const LatticeConfidence confidence(ps);

    // Segment frames count from the start of the stream, which is this chunk's first
    // sample; the best path opens at frame 0, but take its first segment's start as the
    // origin anyway in case a build counts frames across streams.
    const double offset_s = double(chunk.begin) / audio.sample_rate;
    bool first = true;
    int base = 0;
    for (PsSegPtr seg(ps_seg_iter(ps)); seg;) {
      int sf = 0, ef = 0;
      ps_seg_frames(seg.get(), &sf, &ef);
      if (first) base = sf;
      first = false;
      const char* w = ps_seg_word(seg.get());
      const double start_s = offset_s + double(sf - base) / kFramesPerSecond;
      const double end_s = offset_s + double(ef + 1 - base) / kFramesPerSecond;
      const double middle_s = (start_s + end_s) / 2;
      if (!IsFiller(w) && middle_s >= own_begin_s && middle_s < own_end_s) {
        const std::string word = StripVariant(w);
        out->push_back({start_s, end_s, word, confidence.Of(word, sf, ef)});
      }
      // ps_seg_next frees the iterator at the end and returns null.
      seg.reset(ps_seg_next(seg.release()));
    }
    return Status::Ok();
  }

  std::vector<std::string> args_;  // outlives the decoders, whose configs point into it
  ChunkParams chunking_;
  std::vector<PsDecoderPtr> decoders_;  // one per worker thread, loaded on demand
};

}  // namespace

Result<std::unique_ptr<Transcriber>> CreatePocketSphinxTranscriber(
    const PocketSphinxConfig& config) {
  auto files = LocateModel(config);
  if (!files.ok()) return files.status();
  std::vector<std::string> args = DecoderArgs(*files, config);
  auto ps = NewDecoder(args);
  if (!ps.ok()) return Status(ps.status().code(), ps.status().message() + " in " + files->hmm);
  return std::unique_ptr<Transcriber>(
      new PocketSphinxTranscriber(std::move(args), config.chunking, std::move(ps).value()));
}

}  // namespace presgen
