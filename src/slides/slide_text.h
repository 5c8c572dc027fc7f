// Text clean-up for slides: deck text is user-editable (deck.json), so it may hold anything:
// invalid UTF-8, control characters, megabytes of one word. Pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace presgen {

// "…" (U+2026) in UTF-8.
inline constexpr char kEllipsis[] = "\u2026";

// Valid UTF-8 (invalid bytes become U+FFFD) with every run of whitespace or control
// characters collapsed to one space and trimmed, cut to at most `max_chars` characters:
// then it ends in an ellipsis and *truncated is set (never cleared). Words longer than any
// line (URLs, garbage) get invisible break opportunities (U+200B) every few dozen
// characters: Pango breaking inside one long word reshapes the rest of it for every line,
// which is quadratic.
std::string CleanSlideText(const std::string& raw, size_t max_chars, bool* truncated);

// The ways to cut `text` (clean, single-spaced) after a whole word: each prefix that ends
// at a word boundary, trailing punctuation dropped, followed by an ellipsis; shortest
// first, the whole text last. Empty for empty text.
std::vector<std::string> EllipsizedWordPrefixes(const std::string& text);

}  // namespace presgen
