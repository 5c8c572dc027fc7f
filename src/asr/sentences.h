// Sentence segmentation shared by every ASR engine: timed words in, readable
// sentence segments out.
#pragma once

#include <vector>

#include "core/types.h"

namespace presgen {

struct SentenceParams {
  // A silence at least this long between two words ends a sentence, once the
  // sentence has min_words. Engines without punctuation (PocketSphinx) rely on it.
  double pause_split_s = 0.45;
  int min_words = 3;
  // A sentence that runs on without punctuation or pause is cut here, at its
  // longest inner pause.
  int max_words = 28;
};

inline SentenceParams DefaultSentenceParams() { return {}; }

// Groups words (in time order, text without surrounding spaces) into sentences.
// A word ending in '.', '?' or '!' ends a sentence. Each segment's text is the
// words joined by spaces, first letter capitalised, "i" -> "I", and a final
// '.' added when the sentence has no terminal punctuation. Segment times span
// its words. Words with empty text are dropped.
std::vector<Segment> SegmentSentences(const std::vector<Word>& words,
                                      const SentenceParams& params = DefaultSentenceParams());

// The transcript's words in order, across segments.
std::vector<Word> AllWords(const Transcript& transcript);

}  // namespace presgen
