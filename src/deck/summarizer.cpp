#include "deck/summarizer.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>

#include "deck/text_tools.h"
#include "deck/topic_segmenter.h"

namespace presgen {
namespace {

constexpr double kSecondsPerSlide = 40;  // one slide per ~40 s of talk, plus the opening one
constexpr double kMinSlideSeconds = 5;

std::string Stem(const std::string& bare) { return bare.substr(0, 6); }

double Onset(const Segment& s) { return s.words.empty() ? s.start_s : s.words.front().start_s; }

// Content-word frequencies over the whole talk: repeated words are its topic.
using Weights = std::map<std::string, double>;
Weights TalkWeights(const std::vector<Segment>& sentences) {
  Weights w;
  for (const auto& s : sentences)
    for (const auto& t : SplitTokens(s.text))
      if (const auto b = BareWord(t); !IsStopWord(b) && b.size() > 2) w[Stem(b)] += 1;
  return w;
}

int ContentWordCount(const std::vector<std::string>& tokens) {
  int n = 0;
  for (const auto& t : tokens) n += !IsStopWord(BareWord(t)) && BareWord(t).size() > 1;
  return n;
}

bool HasFigure(const std::vector<std::string>& tokens) {
  for (const auto& t : tokens)
    for (char c : t)
      if (std::isdigit(static_cast<unsigned char>(c))) return true;
  return false;
}

bool IsCourtesy(const Segment& s) {
  const auto tokens = StripLeadingFillers(SplitTokens(s.text));
  if (tokens.empty()) return true;
  const auto first = BareWord(tokens[0]);
  return (first == "thank" || first == "thanks" || first == "bye" || first == "cheers") &&
         ContentWordCount(tokens) <= 3;
}

double SentenceScore(const Segment& s, const Weights& w) {
  const auto tokens = NumbersToFigures(SplitTokens(s.text));
  std::set<std::string> seen;
  double sum = 0;
  for (const auto& t : tokens) {
    const auto b = BareWord(t);
    if (IsStopWord(b) || b.size() <= 2 || !seen.insert(Stem(b)).second) continue;
    sum += w.count(Stem(b)) ? w.at(Stem(b)) : 1;
  }
  double score = sum / (1.0 + std::sqrt(double(tokens.size())));
  if (HasFigure(tokens)) score += 1.0;
  if (PitchSectionOf(s) >= 0) score += 0.5;
  if (IsCourtesy(s)) score -= 100;
  return score;
}

// Lower-case words that are names in this talk ("anna", "green", "box").
using Names = std::set<std::string>;

// The company (from CompanyName) and the speaker ("my name is anna").
Names TalkNames(const std::vector<Segment>& sentences, const std::string& company) {
  Names names;
  for (const auto& w : SplitTokens(company)) names.insert(BareWord(w));
  for (const auto& s : sentences) {
    const auto tokens = SplitTokens(s.text);
    for (size_t i = 0; i + 2 < tokens.size(); ++i) {
      if (BareWord(tokens[i]) == "name" && BareWord(tokens[i + 1]) == "is" &&
          !IsStopWord(BareWord(tokens[i + 2]))) {
        names.insert(BareWord(tokens[i + 2]));
      }
    }
  }
  return names;
}

void CapitalizeNames(std::vector<std::string>& tokens, const Names& names) {
  for (auto& t : tokens) {
    const auto b = BareWord(t);
    if (names.count(b) || b == "i" || b.rfind("i'", 0) == 0) t = CapitalizeFirst(t);
  }
}

// Words a bullet can lose without losing its point, dropped only when too long.
void DropHedges(std::vector<std::string>& tokens, size_t max_words) {
  static const std::set<std::string> kHedges = {"just",   "really", "very",  "actually",
                                                "basically", "now", "also",  "quite",
                                                "literally", "still", "even", "currently"};
  for (size_t i = tokens.size(); i-- > 0 && tokens.size() > max_words;) {
    const auto& t = tokens[i];
    if (kHedges.count(BareWord(t)) && TrimTrailingPunctuation(t) == t) {
      tokens.erase(tokens.begin() + static_cast<long>(i));
    }
  }
}

// The most informative run of whole phrases that fits in max_words. Phrases
// break at punctuation, conjunctions and prepositions, so "in our first pilot
// food waste went down by half in three months" keeps "In our first pilot food
// waste went down by half". A single phrase longer than max_words is cut with "…".
std::vector<std::string> RichestSpan(const std::vector<std::string>& tokens, int max_words) {
  static const std::set<std::string> kBreakBefore = {
      "and", "but", "because", "which", "so", "while", "where", "since", "although", "that",
      "in", "on", "at", "for", "with", "by", "to", "from", "into", "after", "before", "during"};
  std::vector<std::vector<std::string>> phrases(1);
  for (const auto& t : tokens) {
    if (!phrases.back().empty() && kBreakBefore.count(BareWord(t))) phrases.emplace_back();
    phrases.back().push_back(t);
    const char last = t.back();
    if (last == ',' || last == ';' || last == ':') phrases.emplace_back();
  }
  if (phrases.back().empty()) phrases.pop_back();
  std::vector<std::string> best;
  int best_score = -1;
  for (size_t a = 0; a < phrases.size(); ++a) {
    std::vector<std::string> span;
    for (size_t b = a; b < phrases.size(); ++b) {
      if (span.size() + phrases[b].size() > static_cast<size_t>(max_words)) break;
      span.insert(span.end(), phrases[b].begin(), phrases[b].end());
      auto trimmed = StripLeadingFillers(span);
      // A span may not open with a conjunction ("and we grew").
      static const std::set<std::string> kBadOpen = {"and", "but", "which", "that", "so",
                                                     "because", "while", "where"};
      while (trimmed.size() > 1 && kBadOpen.count(BareWord(trimmed.front())))
        trimmed.erase(trimmed.begin());
      if (trimmed.size() < 3) continue;
      // The sentence's opening usually names its subject: prefer keeping it.
      const bool opens = a == 0;
      const bool dangling = !opens && kBreakBefore.count(BareWord(trimmed.front()));
      const int score = 2 * ContentWordCount(trimmed) + (HasFigure(trimmed) ? 3 : 0) +
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
    best.back() = TrimTrailingPunctuation(best.back()) + "…";
  }
  return best;
}

// Shortens a spoken sentence to a bullet of at most max_words words.
std::string MakeBullet(const Segment& s, int max_words, const Names& names) {
  auto tokens = NumbersToFigures(StripLeadingFillers(SplitTokens(s.text)));
  if (tokens.empty()) return "";
  CapitalizeNames(tokens, names);
  DropHedges(tokens, static_cast<size_t>(max_words));
  if (static_cast<int>(tokens.size()) > max_words) tokens = RichestSpan(tokens, max_words);
  return CapitalizeFirst(TrimTrailingPunctuation(JoinTokens(tokens)));
}

// "founder of green box" -> "Green Box": the company a pitch opens with.
std::string CompanyName(const std::vector<Segment>& group) {
  static const std::vector<std::vector<std::string>> kLeads = {
      {"founder", "of"}, {"ceo", "of"}, {"welcome", "to"}, {"founders", "of"}, {"here", "from"}};
  for (const auto& s : group) {
    const auto tokens = SplitTokens(s.text);
    for (size_t i = 0; i < tokens.size(); ++i) {
      for (const auto& lead : kLeads) {
        if (i + lead.size() >= tokens.size()) continue;
        bool match = true;
        for (size_t k = 0; k < lead.size() && match; ++k) match = BareWord(tokens[i + k]) == lead[k];
        if (!match) continue;
        std::vector<std::string> name;
        for (size_t j = i + lead.size(); j < tokens.size() && name.size() < 3; ++j) {
          const auto b = BareWord(tokens[j]);
          if ((IsStopWord(b) && !(name.empty() && b == "the")) || b.empty()) break;
          if (b != "the") name.push_back(TrimTrailingPunctuation(tokens[j]));
          if (tokens[j].back() == '.' || tokens[j].back() == ',') break;
        }
        if (!name.empty()) return TitleCase(JoinTokens(name));
      }
    }
  }
  return "";
}

// The group's most weighted content words, in the order they are spoken.
std::string KeywordTitle(const std::vector<Segment>& group, const Weights& w, int max_words) {
  std::map<std::string, double> score;
  std::map<std::string, std::pair<size_t, std::string>> first;  // stem -> (position, word)
  size_t pos = 0;
  for (const auto& s : group) {
    for (const auto& t : NumbersToFigures(SplitTokens(s.text))) {
      const auto b = BareWord(t);
      ++pos;
      if (IsStopWord(b) || b.size() <= 2) continue;
      score[Stem(b)] += w.count(Stem(b)) ? w.at(Stem(b)) : 1;
      first.try_emplace(Stem(b), pos, TrimTrailingPunctuation(t));
    }
  }
  std::vector<std::pair<double, std::string>> ranked;
  for (const auto& [stem, sc] : score) ranked.push_back({sc, stem});
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  const size_t n = std::min<size_t>(ranked.size(), std::min(3, max_words));
  std::vector<std::pair<size_t, std::string>> picked;
  for (size_t i = 0; i < n; ++i) picked.push_back(first.at(ranked[i].second));
  std::sort(picked.begin(), picked.end());
  std::vector<std::string> words;
  for (const auto& p : picked) words.push_back(p.second);
  return words.empty() ? "Overview" : TitleCase(JoinTokens(words));
}

// Gives each group a pitch-section title, each section used once, strongest first.
std::vector<std::string> SectionTitles(const std::vector<std::vector<Segment>>& groups) {
  const auto& sections = PitchSections();
  std::vector<std::vector<int>> score(groups.size(), std::vector<int>(sections.size(), 0));
  for (size_t g = 0; g < groups.size(); ++g)
    for (size_t i = 0; i < groups[g].size(); ++i) {
      // The sentence that opens a topic says most about what it is.
      const int weight = i == 0 ? 2 : 1;
      const auto sc = SectionScores(groups[g][i]);
      for (size_t k = 0; k < sc.size(); ++k) score[g][k] += weight * sc[k];
    }
  std::vector<std::string> titles(groups.size());
  std::vector<bool> used(sections.size(), false);
  for (;;) {
    int best = 0;
    size_t bg = 0, bk = 0;
    for (size_t g = 0; g < groups.size(); ++g)
      for (size_t k = 0; k < sections.size(); ++k)
        if (titles[g].empty() && !used[k] && score[g][k] > best) {
          best = score[g][k];
          bg = g;
          bk = k;
        }
    if (best == 0) break;
    titles[bg] = sections[bk].title;
    used[bk] = true;
  }
  return titles;
}

}  // namespace

Result<Deck> SummarizeExtractive(const Transcript& transcript, double duration_s,
                                 const SummarizerParams& params) {
  std::vector<Segment> sentences;
  for (const auto& s : transcript.segments)
    if (!s.words.empty() && !SplitTokens(s.text).empty()) sentences.push_back(s);
  if (sentences.empty()) return Status::InvalidInput("the transcript has no words");
  if (params.max_slides < 1 || params.max_bullets_per_slide < 1 || params.max_bullet_words < 3 ||
      params.max_title_words < 1) {
    return Status::InvalidInput("summariser limits must be positive");
  }
  duration_s = std::max(duration_s, sentences.back().end_s);

  // Slides: one per ~40 s plus one, within [min, max], never more than the
  // sentences or than fit at kMinSlideSeconds each.
  const double speech_s = sentences.back().end_s - Onset(sentences.front());
  int n = static_cast<int>(std::ceil(duration_s / kSecondsPerSlide)) + 1;
  n = std::clamp(n, std::max(1, params.min_slides), std::max(1, params.max_slides));
  n = std::min(n, static_cast<int>(sentences.size()));
  n = std::max(1, std::min(n, static_cast<int>(speech_s / kMinSlideSeconds)));

  TopicParams tp;
  tp.topics = n;
  tp.min_topic_s = kMinSlideSeconds;
  const auto starts = SegmentTopics(sentences, tp);
  std::vector<std::vector<Segment>> groups;
  for (size_t g = 0; g < starts.size(); ++g) {
    const size_t end = g + 1 < starts.size() ? starts[g + 1] : sentences.size();
    groups.emplace_back(sentences.begin() + static_cast<long>(starts[g]),
                        sentences.begin() + static_cast<long>(end));
  }

  const Weights weights = TalkWeights(sentences);
  auto titles = SectionTitles(groups);
  const auto company = CompanyName(groups[0]);
  if (!company.empty()) titles[0] = company;
  const Names names = TalkNames(sentences, company);

  Deck deck;
  deck.template_name = params.template_name;
  for (size_t g = 0; g < groups.size(); ++g) {
    Slide slide;
    slide.index = static_cast<int>(g);
    slide.title = titles[g].empty() ? KeywordTitle(groups[g], weights, params.max_title_words)
                                    : titles[g];
    auto title_words = SplitTokens(slide.title);
    if (static_cast<int>(title_words.size()) > params.max_title_words) {
      title_words.resize(static_cast<size_t>(params.max_title_words));
      slide.title = JoinTokens(title_words);
    }
    // The best sentences, shown in the order they are spoken.
    std::vector<std::pair<double, size_t>> ranked;
    for (size_t i = 0; i < groups[g].size(); ++i)
      ranked.push_back({SentenceScore(groups[g][i], weights), i});
    std::sort(ranked.begin(), ranked.end(), std::greater<>());
    std::vector<size_t> chosen;
    for (const auto& [score, i] : ranked) {
      if (static_cast<int>(chosen.size()) >= params.max_bullets_per_slide) break;
      if (score < -50 && !chosen.empty()) continue;  // courtesy, unless it is all there is
      chosen.push_back(i);
    }
    std::sort(chosen.begin(), chosen.end());
    for (size_t i : chosen) {
      if (IsCourtesy(groups[g][i]) && chosen.size() > 1) continue;
      auto bullet = MakeBullet(groups[g][i], params.max_bullet_words, names);
      if (!bullet.empty() && bullet != slide.title) slide.bullets.push_back(bullet);
    }
    slide.start_s = g == 0 ? 0.0 : Onset(groups[g].front());
    deck.slides.push_back(std::move(slide));
  }
  for (size_t i = 0; i < deck.slides.size(); ++i)
    deck.slides[i].end_s = i + 1 < deck.slides.size() ? deck.slides[i + 1].start_s : duration_s;
  return deck;
}

Deck TitleOnlyDeck(const std::string& title, double duration_s, const std::string& template_name) {
  Deck deck;
  deck.template_name = template_name;
  Slide slide;
  slide.index = 0;
  slide.title = title.empty() ? "Presentation" : title;
  slide.start_s = 0;
  slide.end_s = std::max(0.0, duration_s);
  deck.slides.push_back(std::move(slide));
  return deck;
}

}  // namespace presgen
