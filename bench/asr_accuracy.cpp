// Word error rate of the PocketSphinx engine as presgen runs it (audio extraction from the
// media file, chunking, decoding) over a set of recordings with reference texts, with
// decoder settings and chunking to try. A tuning and benchmark tool, not a test.
//
//   asr_accuracy [--set -name=value]... [--chunk key=value]... [--threads N] [--show]
//                MEDIA=REFERENCE.txt...
//
//   --set -lw=8           a decoder setting on top of presgen's (repeatable)
//   --chunk target=8      ChunkParams: target, max, min_silence, context (seconds)
//   --show                print each hypothesis
//   --write DIR           write DIR/<media name>/transcript.json (for deck_quality)
// Prints one line per recording and the total: WER over all reference words.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "asr/pocketsphinx_transcriber.h"
#include "asr/wer.h"
#include "core/json_io.h"
#include "core/sys.h"
#include "media/audio_extract.h"
#include "media/ffmpeg_log.h"

namespace {

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool SetChunk(presgen::ChunkParams& c, const std::string& kv) {
  const size_t eq = kv.find('=');
  if (eq == std::string::npos) return false;
  const std::string key = kv.substr(0, eq);
  const double value = std::atof(kv.c_str() + eq + 1);
  if (key == "target") c.target_s = value;
  else if (key == "max") c.max_s = value;
  else if (key == "min_silence") c.min_silence_s = value;
  else if (key == "context") c.context_s = value;
  else return false;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  presgen::RouteFfmpegLogs(false);
  presgen::PocketSphinxConfig config;
  int threads = 2;
  bool show = false;
  std::string write_dir;
  std::vector<std::pair<std::string, std::string>> items;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--set" && i + 1 < argc) {
      const std::string kv = argv[++i];
      const size_t eq = kv.find('=');
      if (eq == std::string::npos) return std::fprintf(stderr, "bad --set %s\n", kv.c_str()), 2;
      config.decoder_args.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
    } else if (a == "--chunk" && i + 1 < argc) {
      if (!SetChunk(config.chunking, argv[++i])) return std::fprintf(stderr, "bad --chunk\n"), 2;
    } else if (a == "--threads" && i + 1 < argc) {
      threads = std::atoi(argv[++i]);
    } else if (a == "--write" && i + 1 < argc) {
      write_dir = argv[++i];
    } else if (a == "--show") {
      show = true;
    } else if (a.find('=') != std::string::npos) {
      items.emplace_back(a.substr(0, a.find('=')), a.substr(a.find('=') + 1));
    } else {
      std::fprintf(stderr, "usage: asr_accuracy [--set -name=value]... [--chunk k=v]... "
                           "[--threads N] [--show] MEDIA=REFERENCE.txt...\n");
      return 2;
    }
  }
  auto engine = presgen::CreatePocketSphinxTranscriber(config);
  if (!engine.ok()) return std::fprintf(stderr, "%s\n", engine.status().ToString().c_str()), 1;
  double errors = 0, ref_words = 0, audio_s = 0, decode_s = 0;
  for (const auto& [media, reference] : items) {
    auto audio = presgen::ExtractAudio(media, presgen::DefaultAudioExtractParams());
    if (!audio.ok()) return std::fprintf(stderr, "%s\n", audio.status().ToString().c_str()), 1;
    presgen::TranscribeParams params;
    params.n_threads = threads;
    presgen::Stopwatch watch;
    auto transcript = (*engine)->Transcribe(*audio, params, {});
    const double took = watch.ElapsedSeconds();
    if (!transcript.ok()) return std::fprintf(stderr, "%s\n", transcript.status().ToString().c_str()), 1;
    std::string hypothesis;
    for (const auto& seg : transcript->segments) {
      for (const auto& w : seg.words) hypothesis += w.text + " ";
    }
    const std::string ref = ReadText(reference);
    const double n = static_cast<double>(presgen::NormalizeWords(ref).size());
    const double wer = presgen::WordErrorRate(ref, hypothesis);
    errors += wer * n;
    ref_words += n;
    audio_s += audio->duration_s();
    decode_s += took;
    std::printf("%6.1f%%  %5.0f words  %s\n", 100 * wer, n, media.c_str());
    if (show) std::printf("        %s\n", hypothesis.c_str());
    if (!write_dir.empty()) {
      std::string name = media.substr(media.find_last_of('/') + 1);
      name = name.substr(0, name.find_last_of('.'));
      const std::string dir = write_dir + "/" + name;
      std::filesystem::create_directories(dir);
      (void)presgen::WriteJsonFile(dir + "/transcript.json", *transcript);
    }
  }
  std::printf("%6.1f%%  %5.0f words  total (RTF %.3f)\n", ref_words > 0 ? 100 * errors / ref_words : 0,
              ref_words, audio_s > 0 ? decode_s / audio_s : 0);
  return 0;
}
