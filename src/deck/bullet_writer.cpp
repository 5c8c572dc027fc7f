#include "deck/bullet_writer.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "deck/text_tools.h"

namespace presgen {
namespace {

using Tokens = std::vector<SourcedToken>;

bool HasFigure(const Tokens& tokens) {
  for (const auto& t : tokens)
    for (char c : t.text)
      if (std::isdigit(static_cast<unsigned char>(c))) return true;
  return false;
}

int ContentCount(const Tokens& tokens) { return ContentWordCount(TokenTexts(tokens)); }

void CapitalizeNames(Tokens& tokens, const TalkNames& names) {
  for (auto& t : tokens) {
    const auto b = BareWord(t.text);
    if (names.count(b) || b == "i" || b.rfind("i'", 0) == 0) t.text = CapitalizeFirst(t.text);
  }
}

// Words a bullet can lose without losing its point, dropped only when too long.
void DropHedges(Tokens& tokens, size_t max_words) {
  static const std::set<std::string> kHedges = {"just",   "really", "very",  "actually",
                                                "basically", "now", "also",  "quite",
                                                "literally", "still", "even", "currently"};
  for (size_t i = tokens.size(); i-- > 0 && tokens.size() > max_words;) {
    const auto& t = tokens[i].text;
    if (kHedges.count(BareWord(t)) && TrimTrailingPunctuation(t) == t) {
      tokens.erase(tokens.begin() + static_cast<long>(i));
    }
  }
}

// The most informative run of whole phrases that fits in max_words. Phrases
// break at punctuation, conjunctions and prepositions, so "in our first pilot
// food waste went down by half in three months" keeps "In our first pilot food
// waste went down by half". A single phrase longer than max_words is cut with "…".
Tokens RichestSpan(const Tokens& tokens, int max_words) {
  static const std::set<std::string> kBreakBefore = {
      "and", "but", "because", "which", "so", "while", "where", "since", "although", "that",
      "in", "on", "at", "for", "with", "by", "to", "from", "into", "after", "before", "during"};
  static const std::set<std::string> kBadOpen = {"and", "but", "which", "that", "so",
                                                 "because", "while", "where"};
  std::vector<Tokens> phrases(1);
  for (const auto& t : tokens) {
    if (!phrases.back().empty() && kBreakBefore.count(BareWord(t.text))) phrases.emplace_back();
    phrases.back().push_back(t);
    const char last = t.text.back();
    if (last == ',' || last == ';' || last == ':') phrases.emplace_back();
  }
  if (phrases.back().empty()) phrases.pop_back();
  Tokens best;
  int best_score = -1;
  for (size_t a = 0; a < phrases.size(); ++a) {
    Tokens span;
    for (size_t b = a; b < phrases.size(); ++b) {
      if (span.size() + phrases[b].size() > static_cast<size_t>(max_words)) break;
      span.insert(span.end(), phrases[b].begin(), phrases[b].end());
      auto trimmed = StripLeadingFillers(span);
      // A span may not open with a conjunction ("and we grew").
      while (trimmed.size() > 1 && kBadOpen.count(BareWord(trimmed.front().text)))
        trimmed.erase(trimmed.begin());
      if (trimmed.size() < 3) continue;
      // The sentence's opening usually names its subject: prefer keeping it.
      const bool opens = a == 0;
      const bool dangling = !opens && kBreakBefore.count(BareWord(trimmed.front().text));
      const int score = 2 * ContentCount(trimmed) + (HasFigure(trimmed) ? 3 : 0) +
                        static_cast<int>(trimmed.size()) / 4 + (opens ? 4 : 0) -
                        (dangling ? 2 : 0);
      if (score > best_score) {
        best_score = score;
        best = trimmed;
      }
    }
  }
  if (best.empty()) {
    best.assign(tokens.begin(), tokens.begin() + max_words);
    best.back().text = TrimTrailingPunctuation(best.back().text) + "…";
  }
  return best;
}

// Index of the Segment::words entry text token `token` (of `count`) stands for.
int WordIndex(int token, int count, int words) {
  if (words <= 0) return -1;
  if (count == words) return token;
  if (count <= 1) return 0;
  return static_cast<int>(std::lround(double(token) * (words - 1) / (count - 1)));
}

}  // namespace

int ContentWordCount(const std::vector<std::string>& tokens) {
  int n = 0;
  for (const auto& t : tokens) n += !IsStopWord(BareWord(t)) && BareWord(t).size() > 1;
  return n;
}

Bullet WriteBullet(const Segment& sentence, int max_words, const TalkNames& names) {
  const auto source = SplitSourcedTokens(sentence.text);
  auto tokens = NumbersToFigures(DropFillers(StripLeadingFillers(source)));
  if (tokens.empty()) return {};
  CapitalizeNames(tokens, names);
  DropHedges(tokens, static_cast<size_t>(max_words));
  if (static_cast<int>(tokens.size()) > max_words) tokens = RichestSpan(tokens, max_words);
  Bullet bullet;
  bullet.text = CapitalizeFirst(TrimTrailingPunctuation(JoinTokens(TokenTexts(tokens))));
  int first = tokens.front().first, last = tokens.front().last;
  for (const auto& t : tokens) {
    first = std::min(first, t.first);
    last = std::max(last, t.last);
  }
  const int count = static_cast<int>(source.size());
  const int words = static_cast<int>(sentence.words.size());
  bullet.first_word = WordIndex(first, count, words);
  bullet.last_word = WordIndex(last, count, words);
  return bullet;
}

}  // namespace presgen
