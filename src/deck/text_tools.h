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

// Drops openers that carry no content: "so", "and", "um", "you know",
// "hello", "hi everyone", "I think" ... at the start of a sentence.
std::vector<std::string> StripLeadingFillers(std::vector<std::string> tokens);

// Spoken numbers become figures: "forty percent" -> "40%", "two million
// dollars" -> "$2M", "ten thousand dollars" -> "$10K", "twelve" -> "12",
// "three point five million users" -> "3.5M users". Words one..nine stay words
// unless a scale, "percent" or "dollars" follows ("one of us" stays).
// Punctuation after the last number word is kept.
std::vector<std::string> NumbersToFigures(const std::vector<std::string>& tokens);

// Capitalises every word except short function words (not the first one).
std::string TitleCase(const std::string& s);
// Removes trailing ".,;:!?" and spaces.
std::string TrimTrailingPunctuation(std::string s);

}  // namespace presgen
