#include "deck/topic_segmenter.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>

#include "deck/text_tools.h"

namespace presgen {
namespace {

using Bag = std::map<std::string, double>;

Bag ContentWords(const std::vector<Segment>& s, size_t from, size_t to) {
  Bag bag;
  for (size_t i = from; i < to && i < s.size(); ++i) {
    for (const auto& t : SplitTokens(s[i].text)) {
      const auto b = BareWord(t);
      if (!IsStopWord(b) && b.size() > 2) bag[b.substr(0, 6)] += 1;  // crude stem
    }
  }
  return bag;
}

double Cosine(const Bag& a, const Bag& b) {
  double dot = 0, na = 0, nb = 0;
  for (const auto& [w, v] : a) {
    na += v * v;
    if (auto it = b.find(w); it != b.end()) dot += v * it->second;
  }
  for (const auto& [w, v] : b) nb += v * v;
  return (na > 0 && nb > 0) ? dot / std::sqrt(na * nb) : 0;
}

double Onset(const Segment& s) { return s.words.empty() ? s.start_s : s.words.front().start_s; }

}  // namespace

std::vector<size_t> SegmentTopics(const std::vector<Segment>& s, const TopicParams& params) {
  const size_t n = s.size();
  const size_t k = std::min<size_t>(std::max(1, params.topics), n);
  if (k <= 1) return {0};

  // Cost of starting a topic at sentence i (1..n-1): similar neighbours and
  // short pauses make a poor boundary.
  std::vector<double> cut_cost(n, 0);
  for (size_t i = 1; i < n; ++i) {
    const double sim = Cosine(ContentWords(s, i >= 2 ? i - 2 : 0, i), ContentWords(s, i, i + 2));
    const double pause = std::clamp(Onset(s[i]) - s[i - 1].end_s, 0.0, 1.5) / 1.5;
    cut_cost[i] = sim - 0.3 * pause;
  }
  const double total = std::max(1e-6, s.back().end_s - Onset(s.front()));
  const double ideal = total / double(k);
  // Topic [a, b): time from its first onset to the next topic's onset.
  auto span_cost = [&](size_t a, size_t b) {
    const double start = a == 0 ? Onset(s.front()) : Onset(s[a]);
    const double end = b < n ? Onset(s[b]) : s.back().end_s;
    const double len = end - start;
    const double dev = (len - ideal) / ideal;
    return 0.5 * dev * dev + (len < params.min_topic_s ? 10.0 : 0.0);
  };

  // dp[j][i]: best cost of splitting sentences [0, i) into j topics.
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<std::vector<double>> dp(k + 1, std::vector<double>(n + 1, inf));
  std::vector<std::vector<size_t>> from(k + 1, std::vector<size_t>(n + 1, 0));
  dp[0][0] = 0;
  for (size_t j = 1; j <= k; ++j) {
    for (size_t i = j; i <= n; ++i) {
      for (size_t a = j - 1; a < i; ++a) {
        if (dp[j - 1][a] == inf) continue;
        const double c = dp[j - 1][a] + span_cost(a, i) + (a > 0 ? cut_cost[a] : 0);
        if (c < dp[j][i]) {
          dp[j][i] = c;
          from[j][i] = a;
        }
      }
    }
  }
  std::vector<size_t> starts(k);
  for (size_t j = k, i = n; j >= 1; --j) {
    starts[j - 1] = from[j][i];
    i = from[j][i];
  }
  return starts;
}

}  // namespace presgen
