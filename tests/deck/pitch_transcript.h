// A small pitch-like transcript for the LLM summariser's tests.
#pragma once

#include <string>
#include <vector>

#include "core/types.h"
#include "deck/text_tools.h"

namespace presgen::testing {

// Sentences spoken one after another: 0.35 s per word, pause_s between
// sentences, the first word at lead_s.
inline Transcript Speak(const std::vector<std::string>& sentences, double pause_s = 0.7,
                        double lead_s = 0.5) {
  Transcript t;
  t.engine = "test";
  double time = lead_s;
  for (const auto& s : sentences) {
    Segment seg;
    seg.text = s;
    for (const auto& tok : SplitTokens(s)) {
      seg.words.push_back({time, time + 0.3, tok});
      time += 0.35;
    }
    seg.start_s = seg.words.front().start_s;
    seg.end_s = seg.words.back().end_s;
    t.segments.push_back(seg);
    time += pause_s;
  }
  t.duration_s = time;
  return t;
}

inline const std::vector<std::string> kPitchSentences = {
    "Hello, my name is Anna and I am the founder of Green Box.",
    "Every year restaurants throw away forty percent of the food they buy.",
    "That waste is a huge problem for margins and for the planet.",
    "Our software predicts the demand for each dish and tells the kitchen what to cook.",
    "It plugs into the point of sale system in ten minutes.",
    "In our first pilot, food waste went down by half in just three months.",
    "We now work with twelve restaurants and make ten thousand dollars a month.",
    "The market for kitchen software is worth two billion dollars.",
    "We are raising one million dollars to grow our sales team.",
    "Thank you for your time.",
};

inline double OnsetOf(const Transcript& t, int sentence) {
  return t.segments[sentence].words.front().start_s;
}

}  // namespace presgen::testing
