#include "bench/deck_quality/deck_score.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <regex>
#include <set>

#include "asr/wer.h"
#include "core/json_io.h"
#include "deck/text_tools.h"

namespace presgen::bench {
namespace {

using nlohmann::json;

constexpr double kPauseS = 0.3;       // a sentence after this much silence "starts fresh"
constexpr double kStartToleranceS = 0.5;

// Words a clean bullet never opens with.
const std::set<std::string>& DanglingOpeners() {
  static const std::set<std::string> kWords = {
      "is",  "are", "was",  "were", "am",  "be",    "been",    "being", "to",   "and",
      "or",  "but", "of",   "that", "which", "who", "than",    "so",    "because", "has",
      "have", "had", "does", "do",  "did", "nor",  "whether", "then",  "also", "it's"};
  return kWords;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// Letters and digits only, lower case: "The Problem!" -> "theproblem".
std::string Squashed(const std::string& s) {
  std::string out;
  for (unsigned char c : s)
    if (std::isalnum(c)) out += static_cast<char>(std::tolower(c));
  return out;
}

// JSON patterns spell a few non-ASCII characters as \uXXXX: std::regex wants the bytes.
std::string Utf8Pattern(std::string p) {
  const std::pair<const char*, const char*> kEscapes[] = {
      {"\\u2192", "\xE2\x86\x92"}, {"\\u2013", "\xE2\x80\x93"}, {"\\u2014", "\xE2\x80\x94"},
      {"\\u00a2", "\xC2\xA2"}, {"\\u00A2", "\xC2\xA2"}};
  for (const auto& [from, to] : kEscapes) {
    for (size_t at; (at = p.find(from)) != std::string::npos;) p.replace(at, 6, to);
  }
  return p;
}

struct RefToken {
  std::string word;
  int sentence;
  bool first;  // the sentence's first word
};

// Levenshtein alignment; for each reference token, whether it was heard as itself.
std::vector<bool> AlignedCorrect(const std::vector<RefToken>& ref,
                                 const std::vector<std::string>& hyp, int* errors) {
  const size_t n = ref.size(), m = hyp.size();
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1, 0));
  for (size_t i = 0; i <= n; ++i) d[i][0] = static_cast<int>(i);
  for (size_t j = 0; j <= m; ++j) d[0][j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i)
    for (size_t j = 1; j <= m; ++j)
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1,
                          d[i - 1][j - 1] + (ref[i - 1].word == hyp[j - 1] ? 0 : 1)});
  *errors = d[n][m];
  std::vector<bool> correct(n, false);
  for (size_t i = n, j = m; i > 0;) {
    if (j > 0 && d[i][j] == d[i - 1][j - 1] + (ref[i - 1].word == hyp[j - 1] ? 0 : 1)) {
      correct[i - 1] = ref[i - 1].word == hyp[j - 1];
      --i;
      --j;
    } else if (d[i][j] == d[i - 1][j] + 1) {
      --i;
    } else {
      --j;
    }
  }
  return correct;
}

// Every form a word of the talk can take on a slide: its bare form, its hyphen parts, and
// figures ("forty percent" -> "40", "two million dollars" -> "2m").
std::set<std::string> SaidForms(const PitchTruth& truth) {
  std::set<std::string> said;
  for (const auto& s : truth.sentences) {
    std::string unhyphenated = s.text;
    std::replace(unhyphenated.begin(), unhyphenated.end(), '-', ' ');
    for (const auto& t : SplitTokens(s.text)) said.insert(BareWord(t));
    const auto tokens = SplitTokens(unhyphenated);
    for (const auto& t : tokens) said.insert(BareWord(t));
    for (const auto& t : NumbersToFigures(tokens)) said.insert(BareWord(t));
  }
  said.erase("");
  return said;
}

// The truth sentences a slide shows: those whose middle is inside [start, end).
std::vector<size_t> CoveredSentences(const PitchTruth& truth, const Slide& slide) {
  std::vector<size_t> out;
  for (size_t i = 0; i < truth.sentences.size(); ++i) {
    const double mid = (truth.sentences[i].start_s + truth.sentences[i].end_s) / 2;
    if (mid >= slide.start_s && mid < slide.end_s) out.push_back(i);
  }
  return out;
}

std::string MajoritySection(const PitchTruth& truth, const std::vector<size_t>& covered) {
  std::map<std::string, double> seconds;
  for (size_t i : covered)
    seconds[truth.sentences[i].section] += truth.sentences[i].end_s - truth.sentences[i].start_s;
  std::string best;
  double most = -1;
  for (const auto& [section, s] : seconds)
    if (s > most) most = s, best = section;
  return best;
}

}  // namespace

bool PitchTruth::has_intro() const {
  return std::any_of(sentences.begin(), sentences.end(),
                     [](const TruthSentence& s) { return s.section == "intro"; });
}

std::string PitchTruth::Text() const {
  std::string text;
  for (const auto& s : sentences) text += s.text + " ";
  return text;
}

Result<PitchTruth> ReadPitchTruth(const std::string& path) {
  auto j = ReadJsonFile(path);
  if (!j.ok()) return j.status();
  try {
    PitchTruth t;
    t.id = j->at("id").get<std::string>();
    t.company = j->value("company", "");
    t.speaker = j->value("speaker", "");
    for (const auto& s : j->at("sentences")) {
      t.sentences.push_back({s.at("text"), s.at("section"), s.value("start", 0.0),
                             s.value("end", 0.0)});
    }
    for (const auto& f : j->at("facts")) t.facts.push_back({f.at("name"), f.at("said"), f.at("pattern")});
    return t;
  } catch (const json::exception& e) {
    return Status::InvalidInput(path + ": not a pitch truth file (" + e.what() + ")");
  }
}

bool TitleNamesSection(const std::string& title, const std::string& section,
                       const std::string& company) {
  static const std::map<std::string, std::vector<std::string>> kTitles = {
      {"problem", {"the problem", "problem", "the challenge"}},
      {"solution", {"our solution", "the solution", "solution"}},
      {"how_it_works", {"how it works"}},
      {"traction", {"traction", "our traction", "results"}},
      {"business_model", {"business model", "the business model", "how we make money", "pricing"}},
      {"market", {"the market", "market", "market size", "the opportunity", "market opportunity"}},
      {"competition", {"competition", "the competition", "competitors"}},
      {"team", {"the team", "team", "our team"}},
      {"why_now", {"why now"}},
      {"ask", {"the ask", "our ask", "ask"}},
  };
  const std::string t = Squashed(title);
  if ((section == "solution" || section == "intro") && !company.empty() && t == Squashed(company)) {
    return true;
  }
  auto it = kTitles.find(section);
  if (it == kTitles.end()) return false;
  // "Problem & Solution": either half may name the section.
  std::vector<std::string> parts = {title};
  if (const size_t amp = title.find('&'); amp != std::string::npos) {
    parts = {title.substr(0, amp), title.substr(amp + 1)};
  }
  for (const auto& part : parts)
    for (const auto& accepted : it->second)
      if (Squashed(part) == Squashed(accepted)) return true;
  return false;
}

DeckScore ScoreDeck(const PitchTruth& truth, const Transcript& transcript, const Deck& deck) {
  DeckScore score;
  // Speech: WER and the first words of sentences after a pause.
  std::vector<RefToken> ref;
  for (size_t i = 0; i < truth.sentences.size(); ++i) {
    const auto words = NormalizeWords(truth.sentences[i].text);
    for (size_t k = 0; k < words.size(); ++k) ref.push_back({words[k], int(i), k == 0});
  }
  std::vector<std::string> hyp;
  for (const auto& seg : transcript.segments)
    for (const auto& w : seg.words)
      for (const auto& n : NormalizeWords(w.text)) hyp.push_back(n);
  int errors = 0;
  const auto correct = AlignedCorrect(ref, hyp, &errors);
  score.ref_words = static_cast<int>(ref.size());
  score.wer = ref.empty() ? 0 : double(errors) / double(ref.size());
  for (size_t k = 0; k < ref.size(); ++k) {
    const int i = ref[k].sentence;
    if (!ref[k].first || i == 0) continue;
    if (truth.sentences[size_t(i)].start_s - truth.sentences[size_t(i) - 1].end_s < kPauseS) continue;
    ++score.initial_words;
    if (!correct[k]) ++score.initial_words_lost;
  }

  // Facts anywhere on the slides.
  std::string slide_text;
  for (const auto& s : deck.slides) {
    slide_text += s.title + "\n" + s.subtitle + "\n";
    for (const auto& b : s.bullets) slide_text += b + "\n";
  }
  for (const auto& f : truth.facts) {
    ++score.facts;
    bool found = false;
    try {
      found = std::regex_search(slide_text, std::regex(Utf8Pattern(f.pattern),
                                                       std::regex::ECMAScript | std::regex::icase));
    } catch (const std::regex_error&) {
      score.facts_missed.push_back(f.name + " (bad pattern)");
      continue;
    }
    if (found) {
      ++score.facts_found;
    } else {
      score.facts_missed.push_back(f.name + " (\"" + f.said + "\")");
    }
  }

  // Per slide: its title, its words, its bullets' openings, its start.
  const std::set<std::string> said = SaidForms(truth);
  for (size_t n = 0; n < deck.slides.size(); ++n) {
    const Slide& slide = deck.slides[n];
    const auto covered = CoveredSentences(truth, slide);
    const std::string section = MajoritySection(truth, covered);
    ++score.slides;
    const bool title_slide = !slide.subtitle.empty();
    const bool right = title_slide ? truth.has_intro() && Squashed(slide.title) == Squashed(truth.company)
                                   : TitleNamesSection(slide.title, section, truth.company);
    if (right) {
      ++score.titles_right;
    } else {
      score.titles_wrong.push_back(std::to_string(n + 1) + ": '" + slide.title + "' for " +
                                   (section.empty() ? "nothing" : section));
    }
    std::vector<std::string> texts = slide.bullets;
    if (title_slide) texts.push_back(slide.subtitle);
    for (const auto& text : texts) {
      for (const auto& token : SplitTokens(text)) {
        std::string forms = token;
        std::replace(forms.begin(), forms.end(), '-', ' ');
        const std::string bare = BareWord(token);
        // A word has a letter or a digit: "→" and "&" are not words.
        if (!std::any_of(bare.begin(), bare.end(), [](unsigned char c) { return std::isalnum(c); })) {
          continue;
        }
        ++score.slide_words;
        bool known = said.count(bare) > 0;
        if (!known) {
          known = true;
          for (const auto& part : SplitTokens(forms))
            if (!BareWord(part).empty() && !said.count(BareWord(part))) known = false;
        }
        if (!known) {
          ++score.unsaid_words;
          score.unsaid.push_back(token);
        }
      }
    }
    for (const auto& b : slide.bullets) {
      ++score.bullets;
      const auto tokens = SplitTokens(b);
      if (!tokens.empty() && DanglingOpeners().count(Lower(BareWord(tokens[0])))) {
        ++score.dangling_bullets;
        score.dangling.push_back(b);
      }
    }
    if (n == 0 || title_slide || covered.empty()) continue;
    // The slide should start where the first section it covers starts: a section it covers
    // holds a quarter of its time or more (a slide may hold two sections, never a stray
    // sentence of the one before).
    std::map<std::string, double> seconds;
    double total = 0;
    for (size_t i : covered) {
      const double s = truth.sentences[i].end_s - truth.sentences[i].start_s;
      seconds[truth.sentences[i].section] += s;
      total += s;
    }
    size_t first = covered.front();
    for (size_t i : covered)
      if (seconds[truth.sentences[i].section] >= 0.25 * total) {
        first = i;
        break;
      }
    const double offset = slide.start_s - truth.sentences[first].start_s;
    ++score.starts;
    score.worst_start_offset_s = std::max(score.worst_start_offset_s, std::abs(offset));
    if (std::abs(offset) > kStartToleranceS) {
      ++score.starts_late_or_early;
      char buf[160];
      std::snprintf(buf, sizeof buf, "%zu: starts %+.2f s from %s", n + 1, offset,
                    truth.sentences[first].section.c_str());
      score.bad_starts.push_back(buf);
    }
  }
  return score;
}

nlohmann::json DeckScore::ToJson() const {
  return json{{"wer", wer},
              {"ref_words", ref_words},
              {"initial_words", initial_words},
              {"initial_words_lost", initial_words_lost},
              {"facts", facts},
              {"facts_found", facts_found},
              {"facts_missed", facts_missed},
              {"slides", slides},
              {"titles_right", titles_right},
              {"titles_wrong", titles_wrong},
              {"slide_words", slide_words},
              {"unsaid_words", unsaid_words},
              {"unsaid", unsaid},
              {"bullets", bullets},
              {"dangling_bullets", dangling_bullets},
              {"dangling", dangling},
              {"starts", starts},
              {"starts_off", starts_late_or_early},
              {"worst_start_offset_s", worst_start_offset_s},
              {"bad_starts", bad_starts}};
}

}  // namespace presgen::bench
