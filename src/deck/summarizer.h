// Extractive summariser: transcript sentences -> a deck of 3–5 slides in time order.
//
// How: an optional title slide for the speaker's introduction; the rest of the
// talk split into contiguous topics (lexical cohesion, pauses and pitch
// sections, topic_segmenter.h), one slide each; sentences ranked by TextRank
// centrality over TF-IDF similarity plus boosts for figures, pitch-section cues
// and the talk's keywords (sentence_ranker.h); each slide's bullets picked by
// MMR so no point is repeated anywhere in the deck; each bullet rewritten
// compactly (bullet_writer.h) and linked to the words it came from.
#pragma once

#include <string>

#include "core/status.h"
#include "core/types.h"

namespace presgen {

enum class TitleSlide {
  kAuto,    // when the talk opens by naming the company
  kAlways,  // always (the title falls back to the talk's keywords)
  kNever,
};

// "auto" | "on" | "off" -> TitleSlide. Errors: kInvalidInput naming the value.
Result<TitleSlide> ParseTitleSlide(const std::string& name);

struct SummarizerParams {
  int max_slides = 5;             // upper bound, the title slide included; fewer for short talks
  int min_slides = 3;             // lower bound when there are enough sentences
  int max_bullets_per_slide = 3;
  int max_title_words = 6;
  int max_bullet_words = 14;
  TitleSlide title_slide = TitleSlide::kAuto;
  std::string template_name = "professional_minimal";
};

inline SummarizerParams DefaultSummarizerParams() { return {}; }

// Builds a deck from the transcript's sentences. Slide 0 starts at 0 s; every
// later slide starts at the onset (first word start) of the first sentence it
// summarises. Every bullet has a BulletSource (Slide::sources) naming its
// transcript segment and words. Returns kInvalidInput when the transcript has
// no words (the caller then uses TitleOnlyDeck and records a degradation) or
// a limit is not positive (max_bullet_words must be at least 3).
Result<Deck> SummarizeExtractive(const Transcript& transcript, double duration_s,
                                 const SummarizerParams& params);

// A single-slide deck for talks without usable speech.
Deck TitleOnlyDeck(const std::string& title, double duration_s, const std::string& template_name);

}  // namespace presgen
