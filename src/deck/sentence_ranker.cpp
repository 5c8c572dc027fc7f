#include "deck/sentence_ranker.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <map>

#include "deck/text_tools.h"

namespace presgen {
namespace {

bool IsFigure(const std::string& token) {
  return std::any_of(token.begin(), token.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

// Dot product of two stem-sorted sparse vectors.
template <typename Terms>
double Dot(const Terms& a, const Terms& b) {
  double dot = 0;
  for (size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    if (a[i].stem < b[j].stem) {
      ++i;
    } else if (b[j].stem < a[i].stem) {
      ++j;
    } else {
      dot += a[i++].weight * b[j++].weight;
    }
  }
  return dot;
}

}  // namespace

std::vector<std::string> RankerTerms(const std::string& text) {
  std::vector<std::string> terms;
  for (const auto& token : NumbersToFigures(SplitTokens(text))) {
    if (IsFigure(token)) {
      terms.push_back(TrimTrailingPunctuation(token));
      continue;
    }
    const auto bare = BareWord(token);
    if (!IsStopWord(bare) && bare.size() > 2) terms.push_back(bare.substr(0, 6));
  }
  return terms;
}

SentenceRanker::SentenceRanker(const std::vector<Segment>& sentences, const RankerParams& params) {
  const size_t n = sentences.size();
  std::vector<std::map<std::string, double>> tf(n);
  std::map<std::string, int> df;
  for (size_t i = 0; i < n; ++i) {
    for (const auto& term : RankerTerms(sentences[i].text)) tf[i][term] += 1;
    for (const auto& [term, count] : tf[i]) df[term] += 1;
  }
  vectors_.resize(n);
  for (size_t i = 0; i < n; ++i) {
    double norm = 0;
    for (const auto& [term, count] : tf[i]) {
      // Smoothed IDF: a term in every sentence still weighs a little.
      const double idf = std::log((1.0 + double(n)) / (1.0 + df[term])) + 1.0;
      const double w = (1.0 + std::log(count)) * idf;
      vectors_[i].push_back({term, w});
      norm += w * w;
    }
    for (auto& t : vectors_[i]) t.weight /= std::sqrt(norm);
  }

  // TextRank: PageRank over the similarity graph, edges weighted by cosine.
  std::vector<std::vector<double>> sim(n, std::vector<double>(n, 0));
  std::vector<double> out_weight(n, 0);
  for (size_t i = 0; i < n; ++i)
    for (size_t j = i + 1; j < n; ++j) {
      sim[i][j] = sim[j][i] = Dot(vectors_[i], vectors_[j]);
      out_weight[i] += sim[i][j];
      out_weight[j] += sim[i][j];
    }
  const double d = params.damping;
  std::vector<double> score(n, 1.0), next(n);
  for (int it = 0; it < params.max_iterations; ++it) {
    double moved = 0;
    for (size_t i = 0; i < n; ++i) {
      double in = 0;
      for (size_t j = 0; j < n; ++j)
        if (sim[j][i] > 0) in += sim[j][i] / out_weight[j] * score[j];
      next[i] = (1 - d) + d * in;
      moved = std::max(moved, std::abs(next[i] - score[i]));
    }
    score.swap(next);
    if (moved < params.tolerance) break;
  }
  const double top = n ? *std::max_element(score.begin(), score.end()) : 1.0;
  centrality_.resize(n);
  for (size_t i = 0; i < n; ++i) centrality_[i] = top > 0 ? score[i] / top : 0;
}

double SentenceRanker::Similarity(size_t i, size_t j) const {
  return i == j ? 1.0 : std::clamp(Dot(vectors_[i], vectors_[j]), 0.0, 1.0);
}

std::vector<std::string> SentenceRanker::TopTerms(size_t n) const {
  std::map<std::string, double> total;
  for (const auto& v : vectors_)
    for (const auto& t : v) total[t.stem] += t.weight;
  std::vector<std::pair<double, std::string>> ranked;
  for (const auto& [stem, w] : total) ranked.push_back({-w, stem});
  std::sort(ranked.begin(), ranked.end());
  std::vector<std::string> out;
  for (size_t i = 0; i < ranked.size() && i < n; ++i) out.push_back(ranked[i].second);
  return out;
}

bool SentenceRanker::Contains(size_t i, const std::string& term) const {
  const auto& v = vectors_[i];
  return std::any_of(v.begin(), v.end(), [&](const Term& t) { return t.stem == term; });
}

std::vector<size_t> PickByMmr(const SentenceRanker& ranker, const std::vector<double>& score,
                              const std::vector<size_t>& candidates, size_t count,
                              std::vector<size_t>* chosen, double lambda, double max_similarity) {
  std::vector<size_t> picks;
  std::vector<size_t> left = candidates;
  while (picks.size() < count && !left.empty()) {
    double best = -std::numeric_limits<double>::infinity();
    size_t best_k = left.size();
    for (size_t k = 0; k < left.size(); ++k) {
      double redundancy = 0;
      for (size_t c : *chosen) redundancy = std::max(redundancy, ranker.Similarity(left[k], c));
      if (redundancy >= max_similarity) continue;
      const double mmr = lambda * score[left[k]] - (1 - lambda) * redundancy;
      if (mmr > best) {
        best = mmr;
        best_k = k;
      }
    }
    if (best_k == left.size()) break;  // only repeats remain
    picks.push_back(left[best_k]);
    chosen->push_back(left[best_k]);
    left.erase(left.begin() + static_cast<long>(best_k));
  }
  return picks;
}

}  // namespace presgen
