// Turns a language model's deck answer into a valid Deck: parse the JSON it
// wrote, then validate and repair it against the transcript. Pure functions,
// no I/O; thread-safe (no shared state).
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "core/types.h"
#include "deck/summarizer.h"  // SummarizerParams

namespace presgen {

// The answer as the model wrote it. Sentence numbers index Transcript::segments
// (the prompt numbers every segment from 0); -1 means the model left one out
// (other out-of-range numbers are kept, for RepairDeck to clamp and report).
struct DraftBullet {
  std::string text;
  int sentence = -1;
};

struct DraftSlide {
  std::string title;
  int start_sentence = -1;
  std::vector<DraftBullet> bullets;
};

struct DraftDeck {
  std::vector<DraftSlide> slides;
};

// Parses the model's message content: a JSON object {"slides": [{"title",
// "start_sentence", "bullets": [{"text", "sentence"}]}]}, optionally inside a
// ```json fenced block or surrounded by prose. Numbers written as strings ("3")
// or floats (3.0) are accepted; a missing sentence number becomes -1.
// Errors: kInternal "LLM answer: ..." when the content is not JSON or "slides"
// is missing or has the wrong shape (the model's output is unusable — not the
// user's input).
Result<DraftDeck> ParseDraftDeck(const std::string& content);

struct RepairedDeck {
  Deck deck;
  std::vector<std::string> repairs;  // one line per change made to the answer
};

// Slides shorter than this are merged into the previous slide: a slide that
// shows for a moment is noise between two crossfades.
inline constexpr double kMinLlmSlideSeconds = 3.0;

// Validates the draft against the transcript and repairs what it can, noting
// every change in `repairs` (silent clean-ups — whitespace, "forty percent" ->
// "40%", a capital first letter — are not noted):
//  - sentence numbers outside [0, segments-1] are clamped to the nearest one;
//    a missing (-1) bullet sentence becomes its slide's start sentence, a
//    missing slide start its first bullet's sentence;
//  - slides are put in time order; a slide starting at the same sentence (or
//    time) as the previous one, within kMinLlmSlideSeconds of it, or at/after
//    the end of the video is merged into the previous one (bullets appended);
//  - more than params.max_slides slides: the shortest later slide is merged into
//    its predecessor until they fit;
//  - empty bullets and bullets over max_bullet_words * 1.5 words (or 200
//    characters) are dropped; at most max_bullets_per_slide are kept;
//  - titles are cut to max_title_words words (and 120 characters).
// Slide 0 starts at 0; slide i > 0 starts at its start sentence's first word;
// each slide ends where the next starts, the last at duration_s (or the end of
// speech if later). Each bullet's source is its whole sentence. The result
// always satisfies ParseDeck (core/json_io.h).
// Errors: kInvalidInput when the transcript has no sentences; kInternal "LLM
// answer: ..." when the draft has no slides or a slide has an empty title.
Result<RepairedDeck> RepairDeck(const DraftDeck& draft, const Transcript& transcript,
                                double duration_s, const SummarizerParams& params);

}  // namespace presgen
