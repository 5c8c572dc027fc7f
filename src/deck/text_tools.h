// Word-level text helpers for summarising spoken English: tokens, stop words,
// fillers, and spoken numbers turned into figures.
#pragma once

#include <string>
#include <vector>

#include "core/text_case.h"  // CapitalizeFirst

namespace presgen {

// Splits on whitespace; tokens keep their punctuation ("dollars.").
std::vector<std::string> SplitTokens(const std::string& text);
std::string JoinTokens(const std::vector<std::string>& tokens);

// Lower-case letters/digits/apostrophes of a token: "Dollars." -> "dollars".
std::string BareWord(const std::string& token);

bool IsStopWord(const std::string& bare);

// A token that remembers which source tokens it was made from: tokens
// [first, last] (inclusive) of the sentence it was split from. Rewrites that
// merge tokens ("forty percent" -> "40%") merge the ranges.
struct SourcedToken {
  std::string text;
  int first = 0;
  int last = 0;
};

// SplitTokens, each token sourced from itself.
std::vector<SourcedToken> SplitSourcedTokens(const std::string& text);
std::vector<std::string> TokenTexts(const std::vector<SourcedToken>& tokens);

// Drops openers that carry no content: "so", "and", "um", "you know",
// "hello", "hi everyone", "I think" ... at the start of a sentence.
std::vector<std::string> StripLeadingFillers(std::vector<std::string> tokens);
std::vector<SourcedToken> StripLeadingFillers(std::vector<SourcedToken> tokens);

// Drops hesitations anywhere in a sentence: "um", "uh", "er", "erm", "you
// know", "I mean". (Openers are StripLeadingFillers' job.)
std::vector<SourcedToken> DropFillers(std::vector<SourcedToken> tokens);

// Spoken numbers become figures: "forty percent" -> "40%", "two million
// dollars" -> "$2M", "ninety nine dollars" -> "$99", "ten thousand dollars" ->
// "$10K", "half a million dollars" -> "$500K", "twelve" -> "12", "one hundred
// and twenty" -> "120", "three point five million users" -> "3.5M users",
// "twenty twenty four" -> "2024". Words one..nine stay words unless a scale,
// "percent" or "dollars" follows ("one of us" stays). Punctuation after the
// last number word is kept.
std::vector<std::string> NumbersToFigures(const std::vector<std::string>& tokens);
std::vector<SourcedToken> NumbersToFigures(const std::vector<SourcedToken>& tokens);

// Capitalises every word except short function words (not the first one).
std::string TitleCase(const std::string& s);
// Removes trailing ".,;:!?" and spaces.
std::string TrimTrailingPunctuation(std::string s);

}  // namespace presgen
