#include "asr/speech_chunker.h"

#include <algorithm>
#include <cmath>

namespace presgen {
namespace {

// Level of each 10 ms frame in dBFS.
std::vector<double> FrameLevels(const PcmAudio& audio, size_t frame) {
  std::vector<double> levels;
  levels.reserve(audio.samples.size() / frame + 1);
  for (size_t i = 0; i < audio.samples.size(); i += frame) {
    const size_t n = std::min(frame, audio.samples.size() - i);
    double sum = 0;
    for (size_t k = 0; k < n; ++k) sum += double(audio.samples[i + k]) * audio.samples[i + k];
    levels.push_back(10 * std::log10(sum / double(n) + 1e-10));
  }
  return levels;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  const size_t k = std::min(v.size() - 1, static_cast<size_t>(p * double(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<long>(k), v.end());
  return v[k];
}

}  // namespace

std::vector<AudioChunk> SplitAtSilences(const PcmAudio& audio, const ChunkParams& params) {
  std::vector<AudioChunk> chunks;
  if (audio.samples.empty() || audio.sample_rate <= 0) return chunks;
  const size_t frame = static_cast<size_t>(audio.sample_rate / 100);
  const auto levels = FrameLevels(audio, frame);
  // Silence: closer to the noise floor than to the speech level.
  const double floor_db = Percentile(levels, 0.10);
  const double speech_db = Percentile(levels, 0.90);
  const double threshold = floor_db + std::max(6.0, (speech_db - floor_db) * 0.35);

  const auto frames_of = [](double s) { return static_cast<size_t>(s * 100); };
  const size_t target = frames_of(params.target_s);
  const size_t max_len = std::max<size_t>(frames_of(params.max_s), target + 1);
  const size_t min_sil = std::max<size_t>(1, frames_of(params.min_silence_s));

  size_t start = 0;  // first frame of the current chunk
  size_t run = 0;    // length of the silence run ending at frame f
  for (size_t f = 0; f < levels.size(); ++f) {
    run = levels[f] < threshold ? run + 1 : 0;
    const size_t len = f + 1 - start;
    size_t cut = 0;
    if (len >= target && run >= min_sil && f + 1 < levels.size()) {
      cut = f + 1 - run / 2;  // the middle of the silence
    } else if (len >= max_len) {
      const auto quiet = std::min_element(levels.begin() + static_cast<long>(start + target / 2),
                                          levels.begin() + static_cast<long>(f + 1));
      cut = static_cast<size_t>(quiet - levels.begin());
    }
    if (cut > start) {
      chunks.push_back({start * frame, cut * frame});
      start = cut;
      run = 0;
    }
  }
  chunks.push_back({start * frame, audio.samples.size()});
  return chunks;
}

}  // namespace presgen
