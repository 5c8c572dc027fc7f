#include "compose/timeline.h"

#include <algorithm>

namespace presgen {

SlideTimeline::SlideTimeline(const Deck& deck, double crossfade_s) {
  const auto& s = deck.slides;
  fades_.resize(s.size(), Fade{0, 0});
  for (size_t i = 1; i < s.size(); ++i) {
    double half = crossfade_s / 2;
    // Never overlap the neighbours' transitions.
    half = std::min(half, (s[i].start_s - s[i - 1].start_s) / 2);
    if (i + 1 < s.size()) half = std::min(half, (s[i + 1].start_s - s[i].start_s) / 2);
    half = std::max(half, 0.0);
    fades_[i] = {s[i].start_s - half, s[i].start_s + half};
  }
}

SlideMix SlideTimeline::At(double t_s) const {
  SlideMix mix;
  for (size_t i = 1; i < fades_.size(); ++i) {
    const Fade& f = fades_[i];
    if (t_s >= f.end_s) {
      mix.from = mix.to = static_cast<int>(i);
      mix.alpha = 0;
    } else if (t_s > f.begin_s) {
      mix.from = static_cast<int>(i) - 1;
      mix.to = static_cast<int>(i);
      mix.alpha = (t_s - f.begin_s) / (f.end_s - f.begin_s);
      return mix;
    } else {
      break;
    }
  }
  return mix;
}

}  // namespace presgen
