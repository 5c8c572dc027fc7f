// Scores a render of a benchmark pitch against its truth (bench/deck_quality/): how well
// the transcript heard it and whether the deck says what a founder would put on slides.
// Shared by the benchmark tool (deck_quality) and the CTest threshold test.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "core/types.h"

namespace presgen::bench {

struct TruthSentence {
  std::string text;
  std::string section;  // intro, problem, solution, how_it_works, traction, ...
  double start_s = 0;
  double end_s = 0;
};

struct TruthFact {
  std::string name;
  std::string said;
  std::string pattern;  // ECMAScript regex, matched case-insensitively on the slides' text
};

struct PitchTruth {
  std::string id;
  std::string company, speaker;
  std::vector<TruthSentence> sentences;
  std::vector<TruthFact> facts;
  bool has_intro() const;
  std::string Text() const;  // every sentence, in order
};

// Reads bench/deck_quality/make_corpus.py's NAME.json. Errors: kInvalidInput.
Result<PitchTruth> ReadPitchTruth(const std::string& path);

struct DeckScore {
  // Speech.
  double wer = 0;              // word error rate of the transcript
  int ref_words = 0;
  int initial_words = 0;       // sentences after a pause, whose first word was...
  int initial_words_lost = 0;  // ...not heard (deleted or substituted)
  // Slides.
  int facts = 0, facts_found = 0;
  std::vector<std::string> facts_missed;
  int slides = 0, titles_right = 0;
  std::vector<std::string> titles_wrong;  // "3: 'Traction' for market"
  int slide_words = 0, unsaid_words = 0;  // bullet and subtitle words; those never said
  std::vector<std::string> unsaid;
  int bullets = 0, dangling_bullets = 0;
  std::vector<std::string> dangling;
  int starts = 0, starts_late_or_early = 0;  // content slides after the first; off by > 0.5 s
  double worst_start_offset_s = 0;
  std::vector<std::string> bad_starts;

  nlohmann::json ToJson() const;
};

DeckScore ScoreDeck(const PitchTruth& truth, const Transcript& transcript, const Deck& deck);

// The titles that name a section ("The Problem", "Problem", ...) for the score; the
// solution also accepts the company's name.
bool TitleNamesSection(const std::string& title, const std::string& section,
                       const std::string& company);

}  // namespace presgen::bench
