// Which slide shows on the right half at a given time, and the crossfade mix.
#pragma once

#include <vector>

#include "core/types.h"

namespace presgen {

struct SlideMix {
  int from = 0;       // slide index fully or partly visible
  int to = 0;         // slide fading in (== from when not in a transition)
  double alpha = 0;   // weight of `to` in [0, 1]
  bool blending() const { return from != to; }
};

// Slide i (i >= 1) fades in over crossfade_s centred on its start; slide 0 is
// shown from the first frame. Transitions are shortened if slides are closer
// together than crossfade_s.
class SlideTimeline {
 public:
  SlideTimeline(const Deck& deck, double crossfade_s);
  SlideMix At(double t_s) const;

 private:
  struct Fade {
    double begin_s, end_s;
  };
  std::vector<Fade> fades_;  // fades_[i] brings in slide i (fades_[0] unused)
};

}  // namespace presgen
