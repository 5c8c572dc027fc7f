// Ranks the sentences of a talk by how central they are to it: TextRank over
// TF-IDF cosine similarity, and picks non-repeating sentences by maximal
// marginal relevance (MMR).
//
// Terms are crude stems (first six letters) of content words plus figures
// ("$2M", "40%"), so "restaurants" and "restaurant" match and a repeated
// figure counts as shared content. Pure computation; thread-compatible.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/types.h"

namespace presgen {

struct RankerParams {
  double damping = 0.85;   // PageRank's damping factor
  int max_iterations = 100;
  double tolerance = 1e-6;  // stop when no score moves more than this
};

inline RankerParams DefaultRankerParams() { return {}; }

class SentenceRanker {
 public:
  // Builds the TF-IDF vectors and runs TextRank over `sentences` (any number,
  // including zero).
  explicit SentenceRanker(const std::vector<Segment>& sentences,
                          const RankerParams& params = DefaultRankerParams());

  size_t size() const { return centrality_.size(); }
  // TextRank score scaled so the most central sentence has 1; a sentence that
  // shares no terms with any other gets the floor (1 - damping) / max.
  double Centrality(size_t i) const { return centrality_[i]; }
  // Cosine similarity of two sentences' TF-IDF vectors, in [0, 1].
  double Similarity(size_t i, size_t j) const;
  // The talk's terms by total TF-IDF weight, heaviest first (at most `n`).
  std::vector<std::string> TopTerms(size_t n) const;
  // Whether sentence i contains term (as returned by TopTerms).
  bool Contains(size_t i, const std::string& term) const;

 private:
  struct Term {
    std::string stem;
    double weight;
  };
  std::vector<std::vector<Term>> vectors_;  // per sentence, sorted by stem, L2-normalised
  std::vector<double> centrality_;
};

// The terms of a text as the ranker sees them (for tests and titles).
std::vector<std::string> RankerTerms(const std::string& text);

// Maximal marginal relevance: picks up to `count` of `candidates`, each time
// the one maximising  lambda * score[c] - (1 - lambda) * max similarity to any
// sentence in *chosen (which already holds picks from earlier slides), and
// appends each pick to *chosen. Candidates whose similarity to a chosen
// sentence reaches `max_similarity` are never picked (repeats). Returns the
// picks in the order they were made. `score` is indexed by sentence.
std::vector<size_t> PickByMmr(const SentenceRanker& ranker, const std::vector<double>& score,
                              const std::vector<size_t>& candidates, size_t count,
                              std::vector<size_t>* chosen, double lambda = 0.7,
                              double max_similarity = 0.8);

}  // namespace presgen
