// Extractive summariser: transcript sentences -> a deck of 3–5 slides in time order.
#pragma once

#include <string>

#include "core/status.h"
#include "core/types.h"

namespace presgen {

struct SummarizerParams {
  int max_slides = 5;             // upper bound; fewer for short talks
  int min_slides = 3;             // lower bound when there are enough sentences
  int max_bullets_per_slide = 3;
  int max_title_words = 6;
  int max_bullet_words = 12;
  std::string template_name = "professional_minimal";
};

inline SummarizerParams DefaultSummarizerParams() { return {}; }

// Builds a deck from the transcript's sentences. Slide 0 starts at 0 s; every
// later slide starts at the onset (first word start) of the first sentence it
// summarises. Returns kInvalidInput when the transcript has no words (the
// caller then uses TitleOnlyDeck and records a degradation).
Result<Deck> SummarizeExtractive(const Transcript& transcript, double duration_s,
                                 const SummarizerParams& params);

// A single-slide deck for talks without usable speech.
Deck TitleOnlyDeck(const std::string& title, double duration_s, const std::string& template_name);

}  // namespace presgen
