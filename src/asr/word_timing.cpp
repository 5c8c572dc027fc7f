#include "asr/word_timing.h"

#include <algorithm>

namespace presgen {

void RepairWordTimes(std::vector<Word>& words, double duration_s) {
  const size_t n = words.size();
  if (n == 0) return;
  duration_s = std::max(duration_s, 0.0);
  std::vector<bool> ok(n, false);
  double last = 0;
  for (size_t i = 0; i < n; ++i) {
    const double s = words[i].start_s;
    ok[i] = s >= last && s >= 0 && s <= duration_s;
    if (ok[i]) last = s;
  }
  // Interpolate runs of unusable starts between usable anchors (or the audio's ends).
  for (size_t i = 0; i < n;) {
    if (ok[i]) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < n && !ok[j]) ++j;
    const double from = i > 0 ? words[i - 1].start_s : 0.0;
    const double to = j < n ? words[j].start_s : std::max(from, duration_s);
    for (size_t k = i; k < j; ++k) {
      const double frac = double(k - i + 1) / double(j - i + 1);
      words[k].start_s = from + (to - from) * frac;
    }
    i = j;
  }
  for (size_t i = 0; i < n; ++i) {
    const double limit = i + 1 < n ? words[i + 1].start_s : duration_s;
    double end = std::clamp(words[i].end_s, words[i].start_s + 0.01, std::max(limit, words[i].start_s + 0.01));
    if (i + 1 == n) end = std::min(end, std::max(duration_s, words[i].start_s));
    words[i].end_s = std::max(end, words[i].start_s);
  }
}

}  // namespace presgen
