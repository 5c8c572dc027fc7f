#include "deck/summarizer.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include "deck/bullet_writer.h"
#include "deck/deck_titles.h"
#include "deck/sentence_ranker.h"
#include "deck/text_tools.h"
#include "deck/topic_segmenter.h"

namespace presgen {
namespace {

constexpr double kSecondsPerSlide = 40;  // one content slide per ~40 s of talk, plus one
constexpr double kMinSlideSeconds = 4.5;
constexpr double kSectionSlideSeconds = 7;
constexpr double kIntroMaxShare = 0.25;  // a title slide covers at most this much of the talk

// Final sentence score = centrality plus these boosts.
constexpr double kFigureBoost = 0.35;    // states a figure: "$2M", "40%", "12 restaurants"
constexpr double kSectionBoost = 0.15;   // names a pitch section: market, raising, pilot
constexpr double kKeywordBoost = 0.3;    // times the share of the talk's top terms it holds
constexpr double kOpeningBoost = 0.1;    // first sentence of its topic: often its headline
constexpr double kCourtesyPenalty = 2;   // "thank you for your time"
constexpr size_t kTopTerms = 8;

double Onset(const Segment& s) { return s.words.empty() ? s.start_s : s.words.front().start_s; }

bool HasFigure(const std::string& text) {
  for (const auto& t : NumbersToFigures(SplitTokens(text)))
    if (std::any_of(t.begin(), t.end(), [](char c) { return std::isdigit((unsigned char)c); }))
      return true;
  return false;
}

bool IsCourtesy(const Segment& s) {
  const auto tokens = StripLeadingFillers(SplitTokens(s.text));
  if (tokens.empty()) return true;
  const auto first = BareWord(tokens[0]);
  return (first == "thank" || first == "thanks" || first == "bye" || first == "cheers") &&
         ContentWordCount(tokens) <= 3;
}

std::vector<double> SentenceScores(const std::vector<Segment>& sentences,
                                   const SentenceRanker& ranker) {
  const auto top = ranker.TopTerms(kTopTerms);
  std::vector<double> score(sentences.size());
  for (size_t i = 0; i < sentences.size(); ++i) {
    int keywords = 0;
    for (const auto& term : top) keywords += ranker.Contains(i, term);
    score[i] = ranker.Centrality(i) + (HasFigure(sentences[i].text) ? kFigureBoost : 0) +
               (PitchSectionOf(sentences[i]) >= 0 ? kSectionBoost : 0) +
               kKeywordBoost * keywords / double(std::max<size_t>(1, top.size())) -
               (IsCourtesy(sentences[i]) ? kCourtesyPenalty : 0);
  }
  return score;
}

// How many content slides the talk gets: one per ~40 s plus one, or one per
// pitch section it covers if that is more (a 40 s pitch can still cover
// problem, solution, traction and the ask), within the limits, never more
// than its sentences or than fit at kMinSlideSeconds (kSectionSlideSeconds
// for the sections rule) each.
int ContentSlideCount(const std::vector<Segment>& s, double duration_s, int title_slides,
                      const SummarizerParams& p) {
  const double speech_s = s.back().end_s - Onset(s.front());
  int n = static_cast<int>(std::ceil(duration_s / kSecondsPerSlide)) + 1;
  std::set<int> sections;
  for (const auto& sentence : s)
    if (const int k = PitchSectionOf(sentence); k >= 0) sections.insert(k);
  n = std::max(n, std::min(static_cast<int>(sections.size()),
                           static_cast<int>(speech_s / kSectionSlideSeconds)));
  n = std::clamp(n, std::max(1, p.min_slides), std::max(1, p.max_slides));
  n = std::min(n, std::max(1, p.max_slides - title_slides));
  n = std::min(n, static_cast<int>(s.size()));
  return std::max(1, std::min(n, static_cast<int>(speech_s / kMinSlideSeconds)));
}

std::string Truncated(const std::string& title, int max_words) {
  auto words = SplitTokens(title);
  if (static_cast<int>(words.size()) <= max_words) return title;
  words.resize(static_cast<size_t>(max_words));
  return JoinTokens(words);
}

// Sentences [0, n) open the talk with the speaker's introduction; 0 if there is
// no title slide. Needs content left for at least one slide after it.
size_t TitleSlideSentences(const std::vector<Segment>& s, const SpeakerIntro& intro,
                           TitleSlide mode) {
  if (mode == TitleSlide::kNever || s.size() < 2) return 0;
  const double talk_s = s.back().end_s - Onset(s.front());
  const size_t n = intro.sentence >= 0 ? size_t(intro.sentence) + 1 : 0;
  const bool fits = n < s.size() && Onset(s[n]) - Onset(s.front()) <= kIntroMaxShare * talk_s;
  if (mode == TitleSlide::kAuto) return !intro.company.empty() && fits ? n : 0;
  return fits ? n : 0;  // kAlways: the slide still comes, covering no sentence of its own
}

// The pitch section a sentence is about; a sentence whose subject is the company
// ("Shelfwise reads the sales ...") presents the solution.
int SectionOf(const Segment& sentence, const SpeakerIntro& intro) {
  if (const int k = PitchSectionOf(sentence); k >= 0) return k;
  const auto company = SplitTokens(intro.company);
  const auto tokens = StripLeadingFillers(SplitTokens(sentence.text));
  if (company.empty() || tokens.empty() || BareWord(tokens[0]) != BareWord(company[0])) return -1;
  const auto& sections = PitchSections();
  for (size_t k = 0; k < sections.size(); ++k)
    if (std::string(sections[k].short_title) == "Solution") return static_cast<int>(k);
  return -1;
}

}  // namespace

Result<TitleSlide> ParseTitleSlide(const std::string& name) {
  if (name == "auto") return TitleSlide::kAuto;
  if (name == "on") return TitleSlide::kAlways;
  if (name == "off") return TitleSlide::kNever;
  return Status::InvalidInput("unknown title-slide mode '" + name + "' (use auto, on or off)");
}

Result<Deck> SummarizeExtractive(const Transcript& transcript, double duration_s,
                                 const SummarizerParams& params) {
  if (params.max_slides < 1 || params.max_bullets_per_slide < 1 || params.max_bullet_words < 3 ||
      params.max_title_words < 1) {
    return Status::InvalidInput("summariser limits must be positive");
  }
  std::vector<Segment> sentences;
  std::vector<int> segment_of;  // index in transcript.segments
  for (size_t k = 0; k < transcript.segments.size(); ++k) {
    const auto& s = transcript.segments[k];
    if (s.words.empty() || SplitTokens(s.text).empty()) continue;
    sentences.push_back(s);
    segment_of.push_back(static_cast<int>(k));
  }
  if (sentences.empty()) return Status::InvalidInput("the transcript has no words");
  duration_s = std::max(duration_s, sentences.back().end_s);

  const SpeakerIntro intro = FindSpeakerIntro(sentences);
  const bool want_title = params.title_slide != TitleSlide::kNever && params.max_slides >= 2;
  size_t intro_n = want_title ? TitleSlideSentences(sentences, intro, params.title_slide) : 0;
  const bool title_slide =
      want_title && (intro_n > 0 || params.title_slide == TitleSlide::kAlways);

  // Content topics over the sentences after the introduction.
  const std::vector<Segment> content(sentences.begin() + static_cast<long>(intro_n),
                                     sentences.end());
  TopicParams tp;
  tp.topics = ContentSlideCount(content, duration_s, title_slide ? 1 : 0, params);
  tp.min_topic_s = kMinSlideSeconds;
  std::vector<size_t> starts = SegmentTopics(content, tp);
  for (auto& s : starts) s += intro_n;  // back to indexes into `sentences`
  std::vector<std::vector<Segment>> groups;
  for (size_t g = 0; g < starts.size(); ++g) {
    const size_t end = g + 1 < starts.size() ? starts[g + 1] : sentences.size();
    groups.emplace_back(sentences.begin() + static_cast<long>(starts[g]),
                        sentences.begin() + static_cast<long>(end));
  }

  const SentenceRanker ranker(sentences);
  const std::vector<double> score = SentenceScores(sentences, ranker);
  auto titles = SectionTitles(groups);
  if (!title_slide && !intro.company.empty()) titles[0] = intro.company;
  const TalkNames names = NamesOf(intro);

  Deck deck;
  deck.template_name = params.template_name;
  if (title_slide) {
    Slide slide;
    slide.title = intro.company.empty()
                      ? KeywordTitle(sentences, sentences, params.max_title_words)
                      : intro.company;
    slide.title = Truncated(slide.title, params.max_title_words);
    slide.subtitle = IntroSubtitle(intro);
    deck.slides.push_back(std::move(slide));
  }
  std::vector<size_t> chosen;  // sentences on slides so far (MMR's memory across slides)
  std::set<std::string> written;
  for (size_t g = 0; g < groups.size(); ++g) {
    Slide slide;
    slide.title = titles[g].empty() ? KeywordTitle(groups[g], sentences, params.max_title_words)
                                    : titles[g];
    slide.title = Truncated(slide.title, params.max_title_words);
    std::vector<double> boosted = score;
    std::vector<size_t> candidates;
    const size_t end = g + 1 < starts.size() ? starts[g + 1] : sentences.size();
    for (size_t i = starts[g]; i < end; ++i) {
      if (IsCourtesy(sentences[i]) && end - starts[g] > 1) continue;
      candidates.push_back(i);
    }
    boosted[starts[g]] += kOpeningBoost;
    auto picks = PickByMmr(ranker, boosted, candidates,
                           static_cast<size_t>(params.max_bullets_per_slide), &chosen);
    std::sort(picks.begin(), picks.end());  // bullets in the order they are spoken
    // Bullets from two pitch sections (a short talk's topic can hold both): say so.
    // Sections with a slide of their own are not named twice.
    std::vector<int> sections;
    for (size_t i : picks) {
      const int k = SectionOf(sentences[i], intro);
      const bool own_slide =
          k >= 0 && std::count(titles.begin(), titles.end(), PitchSections()[size_t(k)].title) >
                        (titles[g] == PitchSections()[size_t(k)].title ? 1 : 0);
      if (!own_slide) sections.push_back(k);
    }
    if (const auto both = SectionsTitle(sections); both.find('&') != std::string::npos)
      slide.title = both;
    for (size_t i : picks) {
      const Bullet b = WriteBullet(sentences[i], params.max_bullet_words, names);
      if (b.text.empty() || b.text == slide.title || !written.insert(BareWord(b.text)).second)
        continue;
      const auto& words = sentences[i].words;
      slide.bullets.push_back(b.text);
      slide.sources.push_back({segment_of[i], b.first_word, b.last_word,
                               words[size_t(b.first_word)].start_s,
                               words[size_t(b.last_word)].end_s});
    }
    slide.start_s = Onset(groups[g].front());
    deck.slides.push_back(std::move(slide));
  }
  deck.slides.front().start_s = 0;
  for (size_t i = 0; i < deck.slides.size(); ++i) {
    deck.slides[i].index = static_cast<int>(i);
    deck.slides[i].end_s = i + 1 < deck.slides.size() ? deck.slides[i + 1].start_s : duration_s;
  }
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
