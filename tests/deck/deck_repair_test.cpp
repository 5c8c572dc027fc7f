#include "deck/deck_repair.h"

#include <gtest/gtest.h>

#include "core/json_io.h"
#include "deck/pitch_transcript.h"

namespace presgen {
namespace {

using testing::kPitchSentences;
using testing::OnsetOf;
using testing::Speak;

DraftSlide MakeSlide(std::string title, int start, std::vector<DraftBullet> bullets) {
  return {std::move(title), start, std::move(bullets)};
}

bool AnyRepairMentions(const std::vector<std::string>& repairs, const std::string& part) {
  for (const auto& r : repairs)
    if (r.find(part) != std::string::npos) return true;
  return false;
}

std::string Words(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += (i ? " word" : "Word");
  return s;
}

class DeckRepair : public ::testing::Test {
 protected:
  const Transcript t_ = Speak(kPitchSentences);
  const SummarizerParams params_ = DefaultSummarizerParams();
};

TEST_F(DeckRepair, AGoodDraftNeedsNoRepair) {
  DraftDeck draft;
  draft.slides = {MakeSlide("Green Box", 0, {{"Anna, founder", 0}}),
                  MakeSlide("Food waste", 1, {{"40% of food thrown away", 1}}),
                  MakeSlide("The ask", 8, {{"Raising $1M for sales", 8}})};
  auto r = RepairDeck(draft, t_, t_.duration_s, params_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->repairs.empty()) << r->repairs.front();
  const auto& s = r->deck.slides;
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(r->deck.template_name, params_.template_name);
  EXPECT_DOUBLE_EQ(s[0].start_s, 0.0);
  EXPECT_DOUBLE_EQ(s[1].start_s, OnsetOf(t_, 1));
  EXPECT_DOUBLE_EQ(s[2].start_s, OnsetOf(t_, 8));
  EXPECT_DOUBLE_EQ(s[0].end_s, s[1].start_s);
  EXPECT_DOUBLE_EQ(s[1].end_s, s[2].start_s);
  EXPECT_DOUBLE_EQ(s[2].end_s, t_.duration_s);
  for (size_t i = 0; i < s.size(); ++i) {
    EXPECT_EQ(s[i].index, int(i));
    ASSERT_EQ(s[i].sources.size(), s[i].bullets.size());
  }
  // A bullet's source is its whole sentence.
  const BulletSource& src = s[2].sources[0];
  const Segment& seg = t_.segments[8];
  EXPECT_EQ(src.segment, 8);
  EXPECT_EQ(src.first_word, 0);
  EXPECT_EQ(src.last_word, int(seg.words.size()) - 1);
  EXPECT_DOUBLE_EQ(src.start_s, seg.words.front().start_s);
  EXPECT_DOUBLE_EQ(src.end_s, seg.words.back().end_s);
}

TEST_F(DeckRepair, OutOfRangeSentencesSnapToTheNearestOne) {
  DraftDeck draft;
  draft.slides = {MakeSlide("Green Box", -4, {{"Anna, founder", -7}}),
                  MakeSlide("Thanks", 99, {{"Thank you", 42}})};
  auto r = RepairDeck(draft, t_, t_.duration_s, params_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const auto& s = r->deck.slides;
  ASSERT_EQ(s.size(), 2u);
  EXPECT_DOUBLE_EQ(s[0].start_s, 0.0);
  EXPECT_DOUBLE_EQ(s[1].start_s, OnsetOf(t_, 9));
  EXPECT_EQ(s[0].sources[0].segment, 0);
  EXPECT_EQ(s[1].sources[0].segment, 9);
  EXPECT_TRUE(AnyRepairMentions(r->repairs, "start sentence 99 is outside 0-9; snapped to 9"));
  EXPECT_TRUE(AnyRepairMentions(r->repairs, "bullet sentence 42"));
  EXPECT_TRUE(AnyRepairMentions(r->repairs, "bullet sentence -7 is outside 0-9; snapped to 0"));
}

TEST_F(DeckRepair, MissingBulletSentenceUsesTheSlideStart) {
  DraftDeck draft;
  draft.slides = {MakeSlide("Green Box", 0, {{"Anna", 0}}), MakeSlide("Pilot", 5, {{"Halved", -1}}),
                  MakeSlide("Market", -1, {{"$2B", 7}})};
  auto r = RepairDeck(draft, t_, t_.duration_s, params_);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->deck.slides.size(), 3u);
  EXPECT_EQ(r->deck.slides[1].sources[0].segment, 5);
  EXPECT_TRUE(AnyRepairMentions(r->repairs, "without a sentence"));
  EXPECT_DOUBLE_EQ(r->deck.slides[2].start_s, OnsetOf(t_, 7));
  EXPECT_TRUE(AnyRepairMentions(r->repairs, "no start sentence; using its first bullet's (7)"));
}

TEST_F(DeckRepair, SlidesAreSortedAndDuplicateStartsMerged) {
  DraftDeck draft;
  draft.slides = {MakeSlide("Green Box", 0, {{"Anna", 0}}),
                  MakeSlide("Market", 7, {{"$2B market", 7}}),
                  MakeSlide("Problem", 1, {{"40% of food wasted", 1}}),
                  MakeSlide("Margins", 1, {{"Hurts margins", 2}})};
  auto r = RepairDeck(draft, t_, t_.duration_s, params_);
  ASSERT_TRUE(r.ok());
  const auto& s = r->deck.slides;
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[1].title, "Problem");
  EXPECT_EQ(s[1].bullets, (std::vector<std::string>{"40% of food wasted", "Hurts margins"}));
  EXPECT_EQ(s[2].title, "Market");
  EXPECT_TRUE(AnyRepairMentions(r->repairs, "time order"));
  EXPECT_TRUE(AnyRepairMentions(r->repairs, "'Margins' merged into 'Problem'"));
}

TEST_F(DeckRepair, ASlideOnlyMomentsAfterThePreviousIsMerged) {
  Transcript t = t_;
  // Sentence 2 now begins 1 s after sentence 1 does.
  const double shift = OnsetOf(t, 2) - (OnsetOf(t, 1) + 1.0);
  for (auto& w : t.segments[2].words) {
    w.start_s -= shift;
    w.end_s -= shift;
  }
  DraftDeck draft;
  draft.slides = {MakeSlide("Green Box", 0, {}), MakeSlide("Problem", 1, {{"Waste", 1}}),
                  MakeSlide("Margins", 2, {{"Margins", 2}})};
  auto r = RepairDeck(draft, t, t.duration_s, params_);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->deck.slides.size(), 2u);
  EXPECT_TRUE(AnyRepairMentions(r->repairs, "starts only 1.0 s after it"));
}

TEST_F(DeckRepair, SlidesAfterTheEndOfTheVideoAreMerged) {
  DraftDeck draft;
  draft.slides = {MakeSlide("Green Box", 0, {{"Anna", 0}}), MakeSlide("Ask", 8, {{"$1M", 8}})};
  const double duration_s = OnsetOf(t_, 8) - 1.0;  // the video was cut before sentence 8
  auto r = RepairDeck(draft, t_, duration_s, params_);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->deck.slides.size(), 1u);
  EXPECT_TRUE(AnyRepairMentions(r->repairs, "after the end of the video"));
  EXPECT_GE(r->deck.slides[0].end_s, duration_s);
}

TEST_F(DeckRepair, TooManySlidesMergeTheShortestIntoItsPredecessor) {
  DraftDeck draft;
  for (int i = 0; i < 8; ++i) {
    draft.slides.push_back(MakeSlide("Slide " + std::to_string(i), i, {{"Point", i}}));
  }
  SummarizerParams p = params_;
  p.max_slides = 5;
  auto r = RepairDeck(draft, t_, t_.duration_s, p);
  ASSERT_TRUE(r.ok());
  const auto& s = r->deck.slides;
  ASSERT_EQ(s.size(), 5u);
  EXPECT_EQ(s[0].title, "Slide 0");
  for (size_t i = 1; i < s.size(); ++i) EXPECT_GT(s[i].start_s, s[i - 1].start_s);
  EXPECT_TRUE(AnyRepairMentions(r->repairs, "too many slides (8, at most 5)"));
  // Sentence 4 is the shortest (11 words; the last slide runs to the end of the
  // talk): its slide is the first to go.
  EXPECT_TRUE(AnyRepairMentions(r->repairs, "'Slide 4' merged into 'Slide 3'"));
}

TEST_F(DeckRepair, BulletsAreCleanedCountedAndLimited) {
  // Up to 1.5 x the summariser's bullet length stays (the model may say a little more).
  const int most = params_.max_bullet_words * 3 / 2;
  DraftDeck draft;
  draft.slides = {MakeSlide("Green Box", 0,
                            {{"  ", 0},
                             {"restaurants waste forty percent of their food.", 1},
                             {Words(most), 2},
                             {Words(most + 1), 2},
                             {"- second", 3},
                             {"third", 3},
                             {"fourth", 4}})};
  auto r = RepairDeck(draft, t_, t_.duration_s, params_);
  ASSERT_TRUE(r.ok());
  const auto& b = r->deck.slides[0].bullets;
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(b[0], "Restaurants waste 40% of their food");  // figures, capital, no final period
  EXPECT_EQ(b[1], Words(most));
  EXPECT_EQ(b[2], "Second");                               // without the "- " the model typed
  EXPECT_EQ(r->deck.slides[0].sources.size(), 3u);
  EXPECT_TRUE(AnyRepairMentions(r->repairs, "empty bullet dropped"));
  EXPECT_TRUE(AnyRepairMentions(r->repairs, "bullet of " + std::to_string(most + 1) + " words"));
  EXPECT_TRUE(AnyRepairMentions(r->repairs, "5 bullets; kept the first 3"));
}

TEST_F(DeckRepair, LongTitlesAreCut) {
  DraftDeck draft;
  draft.slides = {MakeSlide("  green box   saves restaurants from wasting so much food ", 0, {})};
  auto r = RepairDeck(draft, t_, t_.duration_s, params_);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->deck.slides[0].title, "Green box saves restaurants from wasting");
  EXPECT_TRUE(AnyRepairMentions(r->repairs, "title cut from 9 to 6 words"));
}

TEST_F(DeckRepair, WordsWithTheirOwnCapitalsKeepThem) {
  DraftDeck draft;
  draft.slides = {MakeSlide("iPhone app for kitchens", 0, {{"eBay for leftovers", 0}})};
  auto r = RepairDeck(draft, t_, t_.duration_s, params_);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->deck.slides[0].title, "iPhone app for kitchens");
  EXPECT_EQ(r->deck.slides[0].bullets[0], "eBay for leftovers");
}

TEST_F(DeckRepair, AnEmptyTitleRejectsTheAnswer) {
  DraftDeck draft;
  draft.slides = {MakeSlide("Green Box", 0, {}), MakeSlide(" . ", 3, {{"Point", 3}})};
  auto r = RepairDeck(draft, t_, t_.duration_s, params_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInternal);
  EXPECT_NE(r.status().message().find("slide 2 has an empty title"), std::string::npos);
}

TEST_F(DeckRepair, NoSlidesOrNoSentencesAreErrors) {
  auto none = RepairDeck(DraftDeck{}, t_, t_.duration_s, params_);
  EXPECT_EQ(none.status().code(), StatusCode::kInternal);
  DraftDeck draft;
  draft.slides = {MakeSlide("Green Box", 0, {})};
  auto silent = RepairDeck(draft, Transcript{}, 10, params_);
  EXPECT_EQ(silent.status().code(), StatusCode::kInvalidInput);
}

TEST_F(DeckRepair, TheRepairedDeckLoadsBackAsAnEditedDeck) {
  DraftDeck draft;
  for (int i = 9; i >= 0; --i) {
    draft.slides.push_back(MakeSlide(std::string(150, 'x') + " tail", i * 3 - 5,
                                     {{Words(3), i * 7}, {std::string(250, 'y'), i}}));
  }
  auto r = RepairDeck(draft, t_, t_.duration_s, params_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  nlohmann::json j = r->deck;
  auto loaded = ParseDeck(j, t_.duration_s);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->slides.size(), r->deck.slides.size());
  EXPECT_EQ(loaded->slides[0].sources.size(), r->deck.slides[0].bullets.size());
}

TEST(ParseDraftDeck, ReadsTheSchema) {
  auto d = ParseDraftDeck(R"({"slides":[{"title":"A","start_sentence":2,
      "bullets":[{"text":"b","sentence":3}]}]})");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  ASSERT_EQ(d->slides.size(), 1u);
  EXPECT_EQ(d->slides[0].title, "A");
  EXPECT_EQ(d->slides[0].start_sentence, 2);
  ASSERT_EQ(d->slides[0].bullets.size(), 1u);
  EXPECT_EQ(d->slides[0].bullets[0].text, "b");
  EXPECT_EQ(d->slides[0].bullets[0].sentence, 3);
}

TEST(ParseDraftDeck, ToleratesFencesProseAndLooseTypes) {
  auto d = ParseDraftDeck(
      "Here is the deck:\n```json\n{\"slides\":[{\"title\":\"A\",\"start_sentence\":\"4\","
      "\"bullets\":[\"plain\",{\"text\":\"t\",\"sentence\":5.0},{\"text\":\"u\"}]}]}\n```\n"
      "Hope it helps!");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  const auto& s = d->slides.at(0);
  EXPECT_EQ(s.start_sentence, 4);
  ASSERT_EQ(s.bullets.size(), 3u);
  EXPECT_EQ(s.bullets[0].text, "plain");
  EXPECT_EQ(s.bullets[0].sentence, -1);
  EXPECT_EQ(s.bullets[1].sentence, 5);
  EXPECT_EQ(s.bullets[2].sentence, -1);
  auto bare = ParseDraftDeck(R"([{"title":"A","start_sentence":0,"bullets":[]}])");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->slides.size(), 1u);
}

TEST(ParseDraftDeck, RejectsWhatCannotBeADeck) {
  for (const char* content :
       {"", "not json at all", "{\"slides\": [", "{\"deck\": []}", "{\"slides\": {}}",
        "{\"slides\": [3]}", "{\"slides\": [{\"title\": 5}]}",
        "{\"slides\": [{\"title\": \"A\", \"bullets\": \"b\"}]}",
        "{\"slides\": [{\"title\": \"A\", \"bullets\": [[1]]}]}"}) {
    auto d = ParseDraftDeck(content);
    ASSERT_FALSE(d.ok()) << content;
    EXPECT_EQ(d.status().code(), StatusCode::kInternal) << content;
    EXPECT_EQ(d.status().message().rfind("LLM answer: ", 0), 0u) << d.status().message();
  }
}

}  // namespace
}  // namespace presgen
