#include "deck/pitch_sections.h"

#include <algorithm>
#include <limits>
#include <set>

#include "deck/text_tools.h"

namespace presgen {
namespace {

struct Cue {
  const char* text;  // space-separated bare words; a trailing '*' matches any ending
  double weight;
};

// What founders say in each part of a pitch. Phrases weigh more than single words; words
// that several sections share ("month", "customers") weigh little.
const std::array<std::vector<Cue>, kSectionCount>& Cues() {
  static const std::array<std::vector<Cue>, kSectionCount> kCues = {{
      // intro
      {{"my name is", 3}, {"i'm the founder", 3}, {"i am the founder", 3}, {"founder of", 2},
       {"co-founder", 1.5}, {"cofounder", 1.5}, {"ceo of", 2}, {"hi i'm", 2}, {"hello i'm", 2},
       {"hi everyone", 1.5}, {"thanks for having", 2}, {"welcome", 1},
       // the speaker's background, told while introducing themselves
       {"before this", 1.5}, {"i spent", 2.5}, {"i've spent", 2.5}, {"i was", 1}, {"i ran", 1.5},
       {"i worked", 1.5}, {"i've worked", 1.5}, {"i taught", 1.5}, {"i used to", 1.5},
       {"years as", 1}, {"years at", 1}, {"before starting", 2}, {"before i started", 2},
       {"before founding", 2}, {"started this company", 2}},
      // problem
      {{"problem", 2}, {"problems", 2}, {"the issue", 2}, {"pain", 1.5}, {"painful", 1.5},
       {"struggl*", 1.5}, {"frustrat*", 1.5}, {"waste", 1.5}, {"wasted", 1.5}, {"throw away", 2},
       {"thrown away", 2}, {"lose", 1}, {"loses", 1.5}, {"losing", 1.5}, {"lost", 1},
       {"expensive", 1}, {"costs them", 2}, {"broken", 1}, {"hard to", 1}, {"difficult", 1},
       {"no way to", 1.5}, {"by hand", 1}, {"manually", 1}, {"spreadsheets", 1}, {"paper", 0.5},
       {"don't show up", 2}, {"do not show up", 2}, {"miss", 0.5}, {"missed", 1}, {"risk", 1},
       {"dangerous", 1}, {"injur*", 1}, {"headache", 1.5}, {"nightmare", 1.5}, {"keep hearing", 2},
       {"every year", 1}, {"challenge", 1}, {"inefficient", 1}, {"spend hours", 1.5},
       {"throwaway", 2}, {"dumpster", 1.5}, {"out of date", 1.5}, {"goes bad", 1.5},
       {"spoil*", 1.5}, {"through the cracks", 2}, {"overwhelm*", 1.5}, {"mistake*", 1},
       {"errors", 1}, {"fines", 1}, {"penalt*", 1}, {"no shows", 2}, {"no show", 2},
       {"still", 0.3}, {"today", 0.3}},
      // why_now
      {{"why now", 3}, {"for the first time", 2}, {"now that", 1.5}, {"just became", 1.5},
       {"has changed", 1.5}, {"have changed", 1.5}, {"new law", 2}, {"regulation*", 1.5},
       {"mandat*", 1}, {"cheaper than ever", 2}, {"costs have fallen", 2}, {"timing", 1.5},
       {"finally", 0.5}},
      // solution
      {{"our solution", 3}, {"so we built", 3}, {"we built", 2.5}, {"we've built", 2.5},
       {"we created", 2}, {"we make", 1}, {"our product", 2}, {"our platform", 2},
       {"our app", 2}, {"our software", 2}, {"introducing", 2}, {"meet", 1}, {"lets", 1},
       {"helps", 1}, {"automatically", 1}, {"fixes", 1.5}, {"solves", 1.5}, {"instead of", 1},
       {"one tap", 1}, {"in minutes", 1}, {"so we", 1}, {"we build", 2}, {"we're building", 2},
       {"we developed", 2}, {"a system that", 1.5}, {"an app that", 1.5}, {"software that", 1.5},
       {"platform that", 1.5}, {"tool that", 1.5}, {"that's why we", 2.5}, {"we started", 1.5},
       {"we founded", 2}, {"assistant", 1}},
      // how_it_works
      {{"how it works", 3}, {"here's how", 2.5}, {"works by", 2}, {"it works", 1.5},
       {"under the hood", 2}, {"step", 1}, {"first", 0.5}, {"then", 0.5}, {"sensor*", 1},
       {"plugs into", 1.5}, {"connects to", 1.5}, {"already use", 1.5},
       {"already using", 1.5}, {"integrates", 1.5}, {"machine learning", 1},
       {"model", 0.5}, {"algorithm*", 1}, {"dashboard", 1}, {"alert*", 1}, {"api", 1}},
      // traction
      {{"traction", 3}, {"pilot", 2}, {"pilots", 2}, {"customers", 1}, {"paying", 1.5},
       {"signed", 1.5}, {"live in", 2}, {"since launching", 3}, {"since we launched", 3},
       {"launched", 1.5}, {"grew", 1.5}, {"growth", 1}, {"growing", 1}, {"revenue", 1},
       {"month over month", 2}, {"retention", 1.5}, {"churn", 1}, {"went from", 1.5},
       {"dropped", 1}, {"doubled", 1.5}, {"tripled", 1.5}, {"so far", 1.5}, {"already", 1},
       {"waitlist", 1.5}, {"waiting list", 1}, {"letters of intent", 2}, {"users", 1},
       {"clients", 1}, {"results", 1}, {"went down", 1.5}, {"went up", 1.5}, {"by half", 1},
       {"rolled out", 2}, {"cancelled", 1}, {"renewed", 1.5}, {"in the first", 1},
       {"customers have", 1.5}, {"have cut", 1.5}, {"reduced", 1}, {"saved", 1}, {"on average", 1},
       {"our first", 1}},
      // business_model
      {{"business model", 3}, {"we charge", 3}, {"charge", 0.5}, {"pricing", 2}, {"price", 1.5},
       {"subscription", 2}, {"per month", 1}, {"a month", 0.5}, {"per year", 1}, {"fee", 1.5},
       {"per seat", 2}, {"per user", 1.5}, {"commission", 2}, {"margin", 1.5},
       {"margins", 1.5}, {"we make money", 3}, {"take a cut", 2}, {"annual contract", 2},
       {"license", 1}, {"pay us", 2}, {"pays", 0.5}, {"costs", 0.3}},
      // market
      {{"market", 2.5}, {"markets", 2}, {"billion", 1.5}, {"industry", 1.5}, {"worth", 1},
       {"total addressable", 3}, {"segment", 1}, {"opportunity", 1}, {"nationwide", 1},
       {"in the us", 1}, {"in america", 1}, {"across the country", 1}, {"globally", 1},
       {"there are", 0.5}},
      // competition
      {{"competitor*", 3}, {"competition", 3}, {"unlike", 2}, {"alternative*", 1.5},
       {"incumbent*", 2}, {"compared to", 1.5}, {"other tools", 2}, {"no one else", 2},
       {"existing tools", 2}, {"the big players", 2}},
      // team
      {{"our team", 3}, {"the team", 2.5}, {"team of", 2}, {"my co-founder", 3},
       {"my cofounder", 3}, {"my partner", 1.5}, {"background", 1.5}, {"experience", 1},
       {"years at", 2}, {"years as", 1.5}, {"previously", 1.5}, {"before this", 1.5},
       {"former", 1}, {"engineers", 1}, {"we've worked", 1.5}, {"built and sold", 2}},
      // ask
      {{"raising", 3}, {"we're raising", 3}, {"raise", 2}, {"investment", 2}, {"invest", 1.5},
       {"investors", 2}, {"funding", 2}, {"round", 1.5}, {"seed", 2}, {"series a", 2.5},
       {"runway", 2}, {"the money", 1}, {"this round", 2}, {"join us", 1.5},
       {"looking for", 1}, {"introduction", 1.5}, {"introductions", 1.5},
       {"we would love", 1.5}, {"we'd love", 1.5}},
      // closing
      {{"thank you", 3}, {"thanks", 2}, {"questions", 1.5}},
  }};
  return kCues;
}

// The canonical order a pitch's sections come in: going back costs a little.
int OrderOf(Section s) { return static_cast<int>(s); }

bool Matches(const std::vector<std::string>& words, size_t i, const std::vector<std::string>& cue) {
  if (i + cue.size() > words.size()) return false;
  for (size_t k = 0; k < cue.size(); ++k) {
    const std::string& c = cue[k];
    if (!c.empty() && c.back() == '*') {
      if (words[i + k].compare(0, c.size() - 1, c, 0, c.size() - 1) != 0) return false;
    } else if (words[i + k] != c) {
      return false;
    }
  }
  return true;
}

std::vector<std::string> BareWords(const std::string& text) {
  std::vector<std::string> words;
  for (const auto& t : SplitTokens(text)) {
    std::string b = BareWord(t);
    if (!b.empty()) words.push_back(std::move(b));
  }
  return words;
}

// Cues() as word patterns, made once: the bare words to match ('*' kept on the last), and
// whether the cue is matched against the unsplit words ("co-founder").
struct CuePattern {
  size_t section;
  std::vector<std::string> words;
  bool hyphenated;
  double weight;
};

const std::vector<CuePattern>& CuePatterns() {
  static const std::vector<CuePattern> kPatterns = [] {
    std::vector<CuePattern> out;
    for (size_t k = 0; k < kSectionCount; ++k) {
      for (const Cue& cue : Cues()[k]) {
        const std::string text = cue.text;
        CuePattern p{k, BareWords(text), text.find('-') != std::string::npos, cue.weight};
        if (text.back() == '*' && !p.words.empty()) p.words.back() += '*';
        out.push_back(std::move(p));
      }
    }
    return out;
  }();
  return kPatterns;
}

}  // namespace

const SectionInfo& InfoOf(Section s) {
  static const std::array<SectionInfo, kSectionCount> kInfo = {{
      {"intro", "Introduction", "Introduction"},
      {"problem", "The Problem", "Problem"},
      {"why_now", "Why Now", "Why Now"},
      {"solution", "Our Solution", "Solution"},
      {"how_it_works", "How It Works", "How It Works"},
      {"traction", "Traction", "Traction"},
      {"business_model", "Business Model", "Business Model"},
      {"market", "The Market", "Market"},
      {"competition", "Competition", "Competition"},
      {"team", "The Team", "Team"},
      {"ask", "The Ask", "The Ask"},
      {"closing", "Thank You", "Thank You"},
  }};
  return kInfo[static_cast<size_t>(s)];
}

SectionEvidence EvidenceOf(const Segment& sentence) {
  // Hyphens split ("co-founder" is both "co founder" and "cofounder"); case is gone.
  std::string text = sentence.text;
  const auto words = BareWords(text);
  std::replace(text.begin(), text.end(), '-', ' ');
  const auto split = BareWords(text);
  SectionEvidence evidence{};
  for (const CuePattern& cue : CuePatterns()) {
    const auto& in = cue.hyphenated ? words : split;
    for (size_t i = 0; i < in.size(); ++i)
      if (Matches(in, i, cue.words)) evidence[cue.section] += cue.weight;
  }
  return evidence;
}

std::vector<Section> ClassifySections(const std::vector<Segment>& sentences,
                                      const SectionParams& params) {
  const size_t n = sentences.size();
  if (n == 0) return {};
  static_assert(static_cast<size_t>(Section::kIntro) == 0, "the introduction has no bit");
  std::vector<SectionEvidence> evidence(n);
  for (size_t i = 0; i < n; ++i) evidence[i] = EvidenceOf(sentences[i]);

  // Best path over (sentence, section, sections already left): each section one run.
  constexpr size_t K = kSectionCount;
  // Sections left behind, as bits: the introduction needs none (nothing moves into it).
  constexpr size_t kMasks = size_t{1} << (K - 1);
  const auto bit = [](size_t k) { return k == 0 ? size_t{0} : size_t{1} << (k - 1); };
  const double kNone = -std::numeric_limits<double>::infinity();
  const size_t intro = static_cast<size_t>(Section::kIntro);
  const size_t closing = static_cast<size_t>(Section::kClosing);
  // score[k][mask] for the current sentence; back pointers per sentence.
  std::vector<std::vector<double>> score(K, std::vector<double>(kMasks, kNone));
  struct From {
    uint8_t k = 0;
    uint16_t mask = 0;
  };
  std::vector<std::vector<std::vector<From>>> from(
      n, std::vector<std::vector<From>>(K, std::vector<From>(kMasks)));
  // The introduction and the closing are said in so many words: a sentence without their
  // cues is not part of them.
  for (size_t i = 0; i < n; ++i) {
    for (size_t k : {intro, closing})
      if (evidence[i][k] == 0) evidence[i][k] = -params.switch_cost;
  }
  const size_t problem = static_cast<size_t>(Section::kProblem);
  for (size_t k = 0; k < K; ++k) {
    if (k == closing && n > 1) continue;  // the closing never opens a talk
    // Without an introduction, a pitch opens on its problem.
    score[k][0] = evidence[0][k] + (k == problem ? params.problem_first_bonus : 0);
  }
  for (size_t i = 1; i < n; ++i) {
    std::vector<std::vector<double>> next(K, std::vector<double>(kMasks, kNone));
    for (size_t k = 0; k < K; ++k) {
      for (size_t mask = 0; mask < kMasks; ++mask) {
        const double here = score[k][mask];
        if (here == kNone) continue;
        // Stay in section k.
        if (here + evidence[i][k] > next[k][mask]) {
          next[k][mask] = here + evidence[i][k];
          from[i][k][mask] = {static_cast<uint8_t>(k), static_cast<uint16_t>(mask)};
        }
        // Move on to a section j never visited; k is left behind for good.
        const size_t left = mask | bit(k);
        for (size_t j = 0; j < K; ++j) {
          if (j == k || (left & bit(j)) || j == intro) continue;
          // After the introduction comes the problem, for free; going back costs, and so
          // does skipping ahead over sections a pitch usually has in between.
          const int step = OrderOf(Section(j)) - OrderOf(Section(k));
          double cost = params.switch_cost;
          if (k == intro && j == problem) cost = 0;
          if (step < 0 && j != closing) cost += params.backwards_cost;
          if (step > 1 && j != closing) cost += params.skip_cost * (step - 1);
          const double s = here + evidence[i][j] - cost;
          if (s > next[j][left]) {
            next[j][left] = s;
            from[i][j][left] = {static_cast<uint8_t>(k), static_cast<uint16_t>(mask)};
          }
        }
      }
    }
    score = std::move(next);
  }
  size_t best_k = 0, best_mask = 0;
  double best = kNone;
  for (size_t k = 0; k < K; ++k)
    for (size_t mask = 0; mask < kMasks; ++mask)
      if (score[k][mask] > best) best = score[k][mask], best_k = k, best_mask = mask;
  std::vector<Section> out(n);
  for (size_t i = n; i-- > 0;) {
    out[i] = static_cast<Section>(best_k);
    if (i == 0) break;
    const From f = from[i][best_k][best_mask];
    best_k = f.k;
    best_mask = f.mask;
  }
  return out;
}

int PitchSectionsHeard(const std::vector<Segment>& sentences) {
  std::set<size_t> heard;
  for (const auto& s : sentences) {
    const auto e = EvidenceOf(s);
    for (size_t k = 0; k < kSectionCount; ++k) {
      const auto section = static_cast<Section>(k);
      if (section == Section::kIntro || section == Section::kClosing) continue;
      if (e[k] >= 2) heard.insert(k);
    }
  }
  return static_cast<int>(heard.size());
}

}  // namespace presgen
