// Turns one spoken sentence into a slide bullet: fillers and hedges out, numbers as
// figures ("$2M", "17% → 5%"), names capitalised, cut to its most informative phrase run
// when too long, never opening on a dangling word ("is", "to", "and" ...), and never showing
// a word the speech engine was unsure of — keeping which words of the sentence it came from.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "core/types.h"

namespace presgen {

// Lower-case words that are names in this talk ("anna", "green", "box").
using TalkNames = std::set<std::string>;

struct BulletParams {
  int max_words = 12;           // at least 3
  // Words at either end of the bullet heard with less confidence than this are left out;
  // a bullet that would still hold a content word below `reject_below` is not written.
  double trim_below = 0.5;
  double reject_below = 0.05;
};

struct Bullet {
  std::string text;  // empty when the sentence has no clean, certain content left
  // Words of the segment the text came from (indexes into Segment::words,
  // inclusive); -1 when the segment has no words.
  int first_word = -1;
  int last_word = -1;
  double confidence = 1;  // the lowest confidence of a word it shows
};

// Text tokens are matched to Segment::words one to one when their counts agree (the ASR
// engines write text that way), and proportionally otherwise (confidence is then unknown
// and taken as 1).
Bullet WriteBullet(const Segment& sentence, const BulletParams& params, const TalkNames& names);

// Words that share no content (stop words, fillers): how much a token list says.
int ContentWordCount(const std::vector<std::string>& tokens);

// Whether a bullet may not open with this (bare, lower-case) word: "is", "are", "to",
// "and", "of", "that", "which" ... a phrase starting there lost its subject.
bool IsDanglingOpener(const std::string& bare);

}  // namespace presgen
