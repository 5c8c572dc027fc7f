// Word error rate: how far a hypothesis transcript is from a reference text.
#pragma once

#include <string>
#include <vector>

namespace presgen {

// Lower-cases, keeps letters, digits and inner apostrophes, splits on the rest.
// "Hello, world's 40%!" -> {"hello", "world's", "40"}.
std::vector<std::string> NormalizeWords(const std::string& text);

// (substitutions + deletions + insertions) / reference words, after
// NormalizeWords on both sides. An empty reference gives 0 for an empty
// hypothesis and 1 otherwise.
double WordErrorRate(const std::string& reference, const std::string& hypothesis);

}  // namespace presgen
