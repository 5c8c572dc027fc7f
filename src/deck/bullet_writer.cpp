#include "deck/bullet_writer.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "deck/text_tools.h"

namespace presgen {
namespace {

using Tokens = std::vector<SourcedToken>;

bool HasDigit(const std::string& text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return std::isdigit((unsigned char)c); });
}

int FigureCount(const Tokens& tokens) {
  return static_cast<int>(std::count_if(tokens.begin(), tokens.end(),
                                        [](const SourcedToken& t) { return HasDigit(t.text); }));
}

int ContentCount(const Tokens& tokens) { return ContentWordCount(TokenTexts(tokens)); }

bool IsContent(const SourcedToken& t) {
  const std::string b = BareWord(t.text);
  return HasDigit(t.text) || (!IsStopWord(b) && b.size() > 1);
}

// A figure that counts something ("19", "1,200"), not money or a share.
bool IsCount(const std::string& text) {
  return HasDigit(text) && text.find('$') == std::string::npos &&
         text.find('%') == std::string::npos;
}

// Confidence of each source token (the sentence's words, when they line up one to one).
class Certainty {
 public:
  Certainty(const Segment& sentence, size_t source_tokens) {
    if (sentence.words.size() == source_tokens) {
      for (const auto& w : sentence.words) {
        per_token_.push_back(w.confidence);
        function_word_.push_back(IsStopWord(BareWord(w.text)));
      }
    }
  }
  // The least certain source token behind a (possibly merged) token; inside a merged
  // figure the little words do not count ("two and a half million": "and", "a").
  double Of(const SourcedToken& t) const {
    if (per_token_.empty()) return 1;
    double c = 1;
    const bool merged = t.last > t.first;
    for (int i = std::max(0, t.first); i <= t.last && i < static_cast<int>(per_token_.size()); ++i)
      if (!merged || !function_word_[size_t(i)]) c = std::min(c, per_token_[size_t(i)]);
    return c;
  }

 private:
  std::vector<double> per_token_;
  std::vector<bool> function_word_;
};

void CapitalizeNames(Tokens& tokens, const TalkNames& names) {
  for (auto& t : tokens) {
    const auto b = BareWord(t.text);
    if (names.count(b) || b == "i" || b.rfind("i'", 0) == 0) t.text = CapitalizeFirst(t.text);
  }
}

// Words a bullet can lose without losing its point, dropped only when too long.
void DropHedges(Tokens& tokens, size_t max_words) {
  static const std::set<std::string> kHedges = {
      "just",      "really", "very", "actually",  "basically", "now",   "also",  "quite",
      "literally", "still",  "even", "currently", "roughly",   "about", "simply"};
  for (size_t i = tokens.size(); i-- > 0 && tokens.size() > max_words;) {
    const auto& t = tokens[i].text;
    const bool hedge = kHedges.count(BareWord(t)) || (BareWord(t) == "single" && i > 0 &&
                                                      BareWord(tokens[i - 1].text) == "every");
    if (hedge && TrimTrailingPunctuation(t) == t)
      tokens.erase(tokens.begin() + static_cast<long>(i));
  }
}

// "from 17% to 5%" -> "17% → 5%", "$2 to $3" -> "$2 → $3": a change, as slides write it.
void ChangesAsArrows(Tokens& tokens) {
  auto unit = [](const std::string& f) {
    const std::string t = TrimTrailingPunctuation(f);
    if (t.empty() || !HasDigit(t)) return std::string();
    if (t.front() == '$') return std::string("$");
    if (t.back() == '%') return std::string("%");
    return std::string("#");
  };
  for (size_t i = 0; i + 2 < tokens.size(); ++i) {
    const std::string u = unit(tokens[i].text);
    const bool ends_phrase = TrimTrailingPunctuation(tokens[i].text) != tokens[i].text;  // "17%,"
    if (u.empty() || ends_phrase || BareWord(tokens[i + 1].text) != "to" ||
        unit(tokens[i + 2].text) != u) {
      continue;
    }
    SourcedToken merged{tokens[i].text + " \xE2\x86\x92 " + tokens[i + 2].text, tokens[i].first,
                        tokens[i + 2].last};
    size_t from = i;
    if (i > 0 && BareWord(tokens[i - 1].text) == "from") {
      from = i - 1;
      merged.first = tokens[i - 1].first;
    }
    tokens.erase(tokens.begin() + static_cast<long>(from),
                 tokens.begin() + static_cast<long>(i) + 3);
    tokens.insert(tokens.begin() + static_cast<long>(from), merged);
    i = from;
  }
}

// Cuts what a bullet must not show at its edges: dangling openers, and at the end words it
// was unsure of and function words left hanging ("... down by half in"). Words are never
// cut from inside a figure or at the start for doubt: that would change what is said.
Tokens TrimEdges(Tokens tokens, const Certainty& certainty, double trim_below,
                 double reject_below) {
  static const std::set<std::string> kBadEnd = {
      "the",   "a",     "an",     "and",     "or",     "but",   "of",    "to",   "in",   "on",
      "at",    "for",   "with",   "by",      "from",   "our",   "their", "its",  "your", "my",
      "that",  "which", "is",     "are",     "was",    "were",  "be",    "so",   "than", "as",
      "into",  "per",   "every",  "each",    "this",   "these", "we",    "they", "over", "about",
      "under", "after", "before", "through", "across", "around"};
  while (!tokens.empty() && IsDanglingOpener(BareWord(tokens.front().text)))
    tokens.erase(tokens.begin());
  while (!tokens.empty()) {
    const SourcedToken& back = tokens.back();
    // A count's unit ("19 depots") goes only with real doubt: without it the count says
    // nothing. (Money and percentages need none: "$600 first" loses the guess.)
    const bool unit =
        tokens.size() > 1 && IsCount(tokens[tokens.size() - 2].text) && IsContent(back);
    const bool unsure =
        !HasDigit(back.text) && certainty.Of(back) < (unit ? reject_below : trim_below);
    if (!kBadEnd.count(BareWord(back.text)) && !unsure) break;
    tokens.pop_back();
  }
  return tokens;
}

// Words a phrase of a bullet may not open with unless the sentence does: prepositions
// ("for a regional grocery chain" is a fragment) and dangling openers.
bool CleanStart(const SourcedToken& t) {
  static const std::set<std::string> kPrepositions = {
      "in",   "on",    "at",      "for",    "with",   "by",   "to",
      "from", "into",  "after",   "before", "during", "of",   "about",
      "over", "under", "through", "across", "per",    "than", "like"};
  const std::string b = BareWord(t.text);
  return !kPrepositions.count(b) && !IsDanglingOpener(b);
}

// The best span of the sentence for a bullet, at most max_words: the whole sentence when it
// fits and the engine doubted none of its words, else a run of whole clauses with a clean
// start (clauses break at punctuation, conjunctions, "that" and a subject "we"/"they"),
// else the sentence's opening cut at a phrase boundary. A span holding a doubted word
// loses to any that holds none.
Tokens BestSpan(const Tokens& tokens, int max_words, const Certainty& certainty,
                double reject_below) {
  const auto doubted = [&](const SourcedToken& t) {
    return IsContent(t) && certainty.Of(t) < reject_below;
  };
  if (static_cast<int>(tokens.size()) <= max_words &&
      std::none_of(tokens.begin(), tokens.end(), doubted)) {
    return tokens;  // the whole sentence: it fits, and every word of it was heard
  }
  static const std::set<std::string> kClauseBreak = {
      "and",  "but",   "so",    "because",  "which", "that",   "we",
      "they", "while", "where", "although", "since", "whereas"};
  static const std::set<std::string> kPhraseBreak = {
      "and",   "but",    "because", "which",  "so",     "while", "where", "since",   "although",
      "that",  "in",     "on",      "at",     "for",    "with",  "by",    "to",      "from",
      "into",  "after",  "before",  "during", "they",   "we",    "it",    "who",     "when",
      "if",    "then",   "than",    "until",  "across", "over",  "under", "through", "around",
      "about", "within", "without", "via",    "per"};
  std::vector<Tokens> clauses(1);
  for (const auto& t : tokens) {
    if (!clauses.back().empty() && kClauseBreak.count(BareWord(t.text))) clauses.emplace_back();
    clauses.back().push_back(t);
    const char last = t.text.back();
    if (last == ',' || last == ';' || last == ':') clauses.emplace_back();
  }
  if (clauses.back().empty()) clauses.pop_back();
  // What a span says: its content words, each as sure as the engine was of it; figures
  // most; the sentence's own opening (its subject) a little; a doubted word rules it out.
  auto score = [&](const Tokens& span, bool opens) {
    const auto unsure = std::count_if(span.begin(), span.end(), doubted);
    double said = 0;
    for (const auto& t : span)
      if (IsContent(t)) said += certainty.Of(t);
    return 2.0 * said + 6.0 * std::min(2, FigureCount(span)) + double(span.size()) / 4 +
           (opens ? 4 : 0) - 50.0 * double(unsure);
  };
  Tokens best;
  double best_score = -1e9;
  for (size_t a = 0; a < clauses.size(); ++a) {
    Tokens span;
    for (size_t b = a; b < clauses.size(); ++b) {
      span.insert(span.end(), clauses[b].begin(), clauses[b].end());
      Tokens trimmed = a == 0 ? span : StripLeadingFillers(span);
      while (a > 0 && !trimmed.empty() && IsDanglingOpener(BareWord(trimmed.front().text)))
        trimmed.erase(trimmed.begin());  // "and we grew" -> "we grew", ", that is $400K" -> "$400K"
      if (trimmed.size() > static_cast<size_t>(max_words)) break;
      // A clause may not open on a preposition; nor may the sentence's opening stand alone
      // when it is one ("For a typical store," says nothing).
      const bool fragment = !trimmed.empty() && !CleanStart(trimmed.front()) && (a > 0 || b == a);
      if (trimmed.size() < 4 || fragment) continue;
      const double sc = score(trimmed, a == 0);
      if (sc > best_score) best_score = sc, best = trimmed;
    }
  }
  // The opening, cut where a phrase ends: the best such cut that fits. A cut never keeps
  // just the first word or two of a clause ("... in 2023 and today").
  std::vector<size_t> clause_start;  // per token, where its clause starts
  for (const auto& clause : clauses) {
    const size_t at = clause_start.size();
    clause_start.insert(clause_start.end(), clause.size(), at);
  }
  for (size_t cut = std::min(static_cast<size_t>(max_words), tokens.size() - 1); cut >= 5; --cut) {
    const bool boundary = kPhraseBreak.count(BareWord(tokens[cut].text)) ||
                          TrimTrailingPunctuation(tokens[cut - 1].text) != tokens[cut - 1].text;
    const size_t from = clause_start[cut - 1];
    if (!boundary || (from > 0 && cut - from < 3)) continue;
    Tokens opening(tokens.begin(), tokens.begin() + static_cast<long>(cut));
    if (const double sc = score(opening, true); best.empty() || sc > best_score) {
      best_score = sc;
      best = std::move(opening);
    }
  }
  if (best.empty()) {
    const long n = std::min<long>(max_words, static_cast<long>(tokens.size()));
    best.assign(tokens.begin(), tokens.begin() + n);
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

bool IsDanglingOpener(const std::string& bare) {
  static const std::set<std::string> kWords = {
      "is",      "are",  "was",     "were", "am",   "be",    "been",  "being", "to",
      "and",     "or",   "but",     "of",   "that", "which", "who",   "than",  "so",
      "because", "has",  "have",    "had",  "does", "do",    "did",   "nor",   "then",
      "also",    "it's", "whether", "as",   "if",   "while", "whose", "whom",  "'s"};
  return kWords.count(bare) > 0;
}

int ContentWordCount(const std::vector<std::string>& tokens) {
  int n = 0;
  for (const auto& t : tokens) n += !IsStopWord(BareWord(t)) && BareWord(t).size() > 1;
  return n;
}

Bullet WriteBullet(const Segment& sentence, const BulletParams& params, const TalkNames& names) {
  const auto source = SplitSourcedTokens(sentence.text);
  const Certainty certainty(sentence, source.size());
  auto tokens = NumbersToFigures(DropFillers(StripLeadingFillers(source)));
  if (tokens.empty()) return {};
  CapitalizeNames(tokens, names);
  ChangesAsArrows(tokens);
  const int max_words = std::max(3, params.max_words);
  DropHedges(tokens, static_cast<size_t>(max_words));
  tokens = BestSpan(tokens, max_words, certainty, params.reject_below);
  tokens = TrimEdges(std::move(tokens), certainty, params.trim_below, params.reject_below);
  Bullet bullet;
  for (const auto& t : tokens) {
    if (IsContent(t)) bullet.confidence = std::min(bullet.confidence, certainty.Of(t));
  }
  // Too little left, a lone prepositional phrase ("In our first year"), or a word it would
  // show is a guess: no bullet from this sentence.
  const bool lone_phrase = !tokens.empty() && !CleanStart(tokens.front()) && tokens.size() < 6;
  if (tokens.size() < 3 || ContentCount(tokens) < 2 || lone_phrase ||
      bullet.confidence < params.reject_below) {
    return {};
  }
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
