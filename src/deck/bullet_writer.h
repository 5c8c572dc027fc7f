// Turns one spoken sentence into a slide bullet: fillers and hedges out,
// numbers as figures, names capitalised, cut to its most informative phrase
// run when too long — keeping which words of the sentence it came from.
#pragma once

#include <set>
#include <string>

#include "core/types.h"

namespace presgen {

// Lower-case words that are names in this talk ("anna", "green", "box").
using TalkNames = std::set<std::string>;

struct Bullet {
  std::string text;  // empty when the sentence has no content left
  // Words of the segment the text came from (indexes into Segment::words,
  // inclusive); -1 when the segment has no words.
  int first_word = -1;
  int last_word = -1;
};

// Requires max_words >= 3. Text tokens are matched to Segment::words one to
// one when their counts agree (the ASR engines write text that way), and
// proportionally otherwise.
Bullet WriteBullet(const Segment& sentence, int max_words, const TalkNames& names);

// Words that share no content (stop words, fillers): how much a token list says.
int ContentWordCount(const std::vector<std::string>& tokens);

}  // namespace presgen
