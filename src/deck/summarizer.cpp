#include "deck/summarizer.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include "deck/bullet_writer.h"
#include "deck/deck_titles.h"
#include "deck/pitch_sections.h"
#include "deck/sentence_ranker.h"
#include "deck/slide_plan.h"
#include "deck/text_tools.h"
#include "deck/topic_segmenter.h"

namespace presgen {
namespace {

constexpr double kSecondsPerSlide = 40;  // talks that are not pitches: one slide per ~40 s + 1
constexpr double kMinSlideSeconds = 4.5;
constexpr double kMinSectionSlideSeconds = 6;  // a shorter section shares a slide
// A title slide covers at most this share of the talk, or (short talks) this many seconds
// while it stays under kIntroMaxShortShare: "Hi, I'm Anna, founder of Green Box" takes
// four seconds whatever the length of the pitch.
constexpr double kIntroMaxShare = 0.25;
constexpr double kIntroMaxSeconds = 5;
constexpr double kIntroMaxShortShare = 0.4;

// Final sentence score = centrality plus these boosts.
// A figure's boost by kind: money says most in a pitch (price, revenue, market, the raise).
constexpr double kMoneyBoost = 1.0;     // "$2M", "$99"
constexpr double kPercentBoost = 0.8;   // "40%"
constexpr double kCountBoost = 0.6;     // "12 restaurants", "18 months"
constexpr double kSectionBoost = 0.15;  // names its pitch section: market, raising, pilot
constexpr double kKeywordBoost = 0.3;   // times the share of the talk's top terms it holds
constexpr double kOpeningBoost = 0.1;   // first sentence of its slide: often its headline
constexpr double kCourtesyPenalty = 2;  // "thank you for your time"
constexpr double kDoubtPenalty = 0.6;   // times (1 - the sentence's mean word confidence)
constexpr size_t kTopTerms = 8;

double Onset(const Segment& s) { return s.words.empty() ? s.start_s : s.words.front().start_s; }

// The boost of the strongest figure a sentence states (0 without one).
double FigureBoost(const std::string& text) {
  double best = 0;
  for (const auto& t : NumbersToFigures(SplitTokens(text))) {
    if (!std::any_of(t.begin(), t.end(), [](char c) { return std::isdigit((unsigned char)c); }))
      continue;
    best = std::max(best, t.find('$') != std::string::npos   ? kMoneyBoost
                          : t.find('%') != std::string::npos ? kPercentBoost
                                                             : kCountBoost);
  }
  return best;
}

bool IsCourtesy(const Segment& s) {
  const auto tokens = StripLeadingFillers(SplitTokens(s.text));
  if (tokens.empty()) return true;
  const auto first = BareWord(tokens[0]);
  return (first == "thank" || first == "thanks" || first == "bye" || first == "cheers") &&
         ContentWordCount(tokens) <= 3;
}

double MeanConfidence(const Segment& s) {
  if (s.words.empty()) return 1;
  double sum = 0;
  for (const auto& w : s.words) sum += w.confidence;
  return sum / double(s.words.size());
}

std::vector<double> SentenceScores(const std::vector<Segment>& sentences,
                                   const SentenceRanker& ranker) {
  const auto top = ranker.TopTerms(kTopTerms);
  std::vector<double> score(sentences.size());
  for (size_t i = 0; i < sentences.size(); ++i) {
    int keywords = 0;
    for (const auto& term : top) keywords += ranker.Contains(i, term);
    const auto evidence = EvidenceOf(sentences[i]);
    const bool cued =
        std::any_of(evidence.begin(), evidence.end(), [](double e) { return e >= 1.5; });
    score[i] = ranker.Centrality(i) + FigureBoost(sentences[i].text) + (cued ? kSectionBoost : 0) +
               kKeywordBoost * keywords / double(std::max<size_t>(1, top.size())) -
               kDoubtPenalty * (1 - MeanConfidence(sentences[i])) -
               (IsCourtesy(sentences[i]) ? kCourtesyPenalty : 0);
  }
  return score;
}

std::string Truncated(const std::string& title, int max_words) {
  auto words = SplitTokens(title);
  if (static_cast<int>(words.size()) <= max_words) return title;
  words.resize(static_cast<size_t>(max_words));
  return JoinTokens(words);
}

// One slide to be: the sentences it covers, its title, and (pitch decks) the sections in it.
struct SlideDraft {
  size_t first = 0, end = 0;  // sentences [first, end)
  std::string title;
  std::vector<Section> sections;  // empty for a talk that is not a pitch
  std::vector<Section> labels;    // each covered sentence's section (pitch decks)
};

// Talks that are not pitches: contiguous topics of similar length, keyword titles.
std::vector<SlideDraft> TopicDrafts(const std::vector<Segment>& sentences, size_t from,
                                    double duration_s, int content_slides) {
  const std::vector<Segment> content(sentences.begin() + static_cast<long>(from), sentences.end());
  const double speech_s = content.back().end_s - Onset(content.front());
  int n = static_cast<int>(std::ceil(duration_s / kSecondsPerSlide)) + 1;
  n = std::min({n, content_slides, static_cast<int>(content.size()),
                static_cast<int>(speech_s / kMinSlideSeconds)});
  TopicParams tp;
  tp.topics = std::max(1, n);
  tp.min_topic_s = kMinSlideSeconds;
  const auto starts = SegmentTopics(content, tp);
  std::vector<SlideDraft> drafts;
  for (size_t g = 0; g < starts.size(); ++g) {
    SlideDraft d;
    d.first = from + starts[g];
    d.end = from + (g + 1 < starts.size() ? starts[g + 1] : content.size());
    const std::vector<Segment> group(sentences.begin() + static_cast<long>(d.first),
                                     sentences.begin() + static_cast<long>(d.end));
    d.title = KeywordTitle(group, sentences, 6);
    drafts.push_back(std::move(d));
  }
  return drafts;
}

// Pitches: one slide per section (neighbours merged to fit), titled by what it covers.
std::vector<SlideDraft> SectionDrafts(const std::vector<Segment>& sentences,
                                      const std::vector<Section>& heard, size_t from,
                                      int content_slides) {
  // Introductions that get no title slide of their own open the first section's slide
  // (their sentences are still no bullets: `heard` keeps them as the introduction).
  std::vector<Section> labels = heard;
  for (size_t i = 0; i < labels.size() && labels[i] == Section::kIntro; ++i) {
    const auto next = std::find_if(labels.begin() + static_cast<long>(i), labels.end(),
                                   [](Section s) { return s != Section::kIntro; });
    labels[i] = next != labels.end() ? *next : Section::kProblem;
  }
  const std::vector<Segment> content(sentences.begin() + static_cast<long>(from), sentences.end());
  const std::vector<Section> content_labels(labels.begin() + static_cast<long>(from), labels.end());
  SlidePlanParams pp;
  pp.max_slides = content_slides;
  pp.min_slide_s = kMinSectionSlideSeconds;
  std::vector<SlideDraft> drafts;
  for (const auto& p : PlanSlides(content, content_labels, pp)) {
    SlideDraft d;
    d.first = from + p.first;
    d.end = from + p.end;
    d.title = p.title;
    d.sections = p.sections;
    d.labels.assign(heard.begin() + static_cast<long>(d.first),
                    heard.begin() + static_cast<long>(d.end));
    drafts.push_back(std::move(d));
  }
  return drafts;
}

// Sentences [0, n) that open the talk with the speaker's introduction (0 if none), when they
// leave content for at least one slide.
size_t IntroSentences(const std::vector<Segment>& s, const std::vector<Section>& labels,
                      const SpeakerIntro& intro) {
  size_t n = 0;
  while (n < labels.size() && labels[n] == Section::kIntro) ++n;
  if (intro.sentence >= 0) n = std::max(n, static_cast<size_t>(intro.sentence) + 1);
  if (n == 0 || n >= s.size()) return 0;
  const double talk_s = s.back().end_s - Onset(s.front());
  const double intro_s = Onset(s[n]) - Onset(s.front());
  const bool fits = intro_s <= kIntroMaxShare * talk_s ||
                    (intro_s <= kIntroMaxSeconds && intro_s <= kIntroMaxShortShare * talk_s);
  return fits ? n : 0;
}

// Bullets for one slide: the best sentence of each section it covers first (so a merged
// slide speaks of both), then the best of the rest; MMR keeps repeats off the deck.
std::vector<size_t> PickSentences(const SlideDraft& d, const std::vector<Segment>& sentences,
                                  const SentenceRanker& ranker, std::vector<double> score,
                                  size_t want, const std::set<size_t>& tried,
                                  std::vector<size_t>* chosen) {
  std::vector<size_t> candidates;
  for (size_t i = d.first; i < d.end; ++i) {
    if (tried.count(i)) continue;
    const bool aside = !d.labels.empty() && (d.labels[i - d.first] == Section::kIntro ||
                                             d.labels[i - d.first] == Section::kClosing);
    if ((IsCourtesy(sentences[i]) || aside) && d.end - d.first > 1) continue;
    candidates.push_back(i);
  }
  if (candidates.empty()) return {};
  score[candidates.front()] += kOpeningBoost;
  std::vector<size_t> picks;
  if (d.sections.size() > 1) {
    for (Section section : d.sections) {
      std::vector<size_t> of_section;
      for (size_t i : candidates)
        if (d.labels[i - d.first] == section) of_section.push_back(i);
      if (picks.size() >= want || of_section.empty()) continue;
      for (size_t p : PickByMmr(ranker, score, of_section, 1, chosen)) picks.push_back(p);
    }
  }
  std::vector<size_t> rest;
  for (size_t i : candidates)
    if (std::find(picks.begin(), picks.end(), i) == picks.end()) rest.push_back(i);
  if (picks.size() < want) {
    for (size_t p : PickByMmr(ranker, score, rest, want - picks.size(), chosen)) picks.push_back(p);
  }
  std::sort(picks.begin(), picks.end());  // bullets in the order they are spoken
  return picks;
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
  // A pitch is a few minutes long; a lecture-length talk is cut at its topics instead.
  constexpr size_t kMaxPitchSentences = 300;
  const bool pitch = sentences.size() <= kMaxPitchSentences && PitchSectionsHeard(sentences) >= 2;
  const std::vector<Section> labels = pitch ? ClassifySections(sentences) : std::vector<Section>{};
  // A title slide only when the speaker introduces themselves or the company (auto).
  const size_t intro_n = IntroSentences(sentences, labels, intro);
  const bool named = !intro.company.empty() || !intro.speaker.empty();
  bool title_slide = false;
  if (params.max_slides >= 2 && sentences.size() >= 2) {
    if (params.title_slide == TitleSlide::kAlways) title_slide = true;
    if (params.title_slide == TitleSlide::kAuto) title_slide = intro_n > 0 && named;
  }
  const size_t content_from = title_slide ? intro_n : 0;
  const int content_slides = std::max(1, params.max_slides - (title_slide ? 1 : 0));
  std::vector<SlideDraft> drafts =
      pitch ? SectionDrafts(sentences, labels, content_from, content_slides)
            : TopicDrafts(sentences, content_from, duration_s, content_slides);

  const SentenceRanker ranker(sentences);
  const std::vector<double> score = SentenceScores(sentences, ranker);
  const TalkNames names = NamesOf(intro);
  BulletParams bp;
  bp.max_words = params.max_bullet_words;

  Deck deck;
  deck.template_name = params.template_name;
  if (title_slide) {
    Slide slide;
    slide.title = !intro.company.empty() ? intro.company
                  : !intro.speaker.empty()
                      ? intro.speaker
                      : KeywordTitle(sentences, sentences, params.max_title_words);
    slide.title = Truncated(slide.title, params.max_title_words);
    slide.subtitle = intro.company.empty() ? intro.role : IntroSubtitle(intro);
    deck.slides.push_back(std::move(slide));
  }
  std::vector<size_t> chosen;  // sentences on slides so far (MMR's memory across slides)
  std::set<std::string> written;
  const size_t want = static_cast<size_t>(params.max_bullets_per_slide);
  for (const SlideDraft& d : drafts) {
    Slide slide;
    slide.title = Truncated(d.title, params.max_title_words);
    // Sentences whose bullet comes out empty (nothing certain left) give way to the next; a
    // slide that would stay empty settles for its least doubtful sentence (a last round with
    // half the usual doubt allowed).
    std::set<size_t> tried;
    for (int round = 0; round < 4 && slide.bullets.size() < want; ++round) {
      const bool relaxed = round == 3;
      if (relaxed && !slide.bullets.empty()) break;
      BulletParams round_bp = bp;
      if (relaxed) {
        round_bp.reject_below /= 2;
        tried.clear();
      }
      std::vector<size_t> memory = chosen;  // MMR: what the deck already says
      const auto picks =
          PickSentences(d, sentences, ranker, score, want - slide.bullets.size(), tried, &memory);
      if (picks.empty()) {
        if (relaxed) break;
        round = 2;  // nothing left to try: straight to the last round
        continue;
      }
      for (size_t i : picks) {
        tried.insert(i);
        const Bullet b = WriteBullet(sentences[i], round_bp, names);
        if (b.text.empty() || b.text == slide.title || !written.insert(BareWord(b.text)).second)
          continue;
        const auto& words = sentences[i].words;
        slide.bullets.push_back(b.text);
        slide.sources.push_back({segment_of[i], b.first_word, b.last_word,
                                 words[size_t(b.first_word)].start_s,
                                 words[size_t(b.last_word)].end_s});
        chosen.push_back(i);
      }
    }
    // Bullets in the order they are spoken.
    std::vector<std::pair<BulletSource, std::string>> spoken;
    for (size_t k = 0; k < slide.bullets.size(); ++k)
      spoken.emplace_back(slide.sources[k], slide.bullets[k]);
    std::sort(spoken.begin(), spoken.end(),
              [](const auto& a, const auto& b) { return a.first.start_s < b.first.start_s; });
    for (size_t k = 0; k < spoken.size(); ++k) {
      slide.sources[k] = spoken[k].first;
      slide.bullets[k] = spoken[k].second;
    }
    slide.start_s = Onset(sentences[d.first]);
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
