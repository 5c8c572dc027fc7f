// Sections of a pitch (pitch_sections.h), the slides planned from them (slide_plan.h), and
// bullets written from heard sentences (bullet_writer.h).
#include "deck/pitch_sections.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "deck/bullet_writer.h"
#include "deck/pitch_transcript.h"
#include "deck/slide_plan.h"

namespace presgen {
namespace {

using testing::Speak;

std::vector<std::string> Names(const std::vector<Section>& labels) {
  std::vector<std::string> out;
  for (Section s : labels) out.push_back(InfoOf(s).name);
  return out;
}

const std::vector<std::string> kClinicPitch = {
    "Hi, I'm Sam, the founder of Clinicly.",                                  // intro
    "Patients book appointments and then simply do not show up.",             // problem
    "Every empty chair costs a clinic about two hundred dollars.",            // problem
    "So we built Clinicly, an app that lets patients confirm with one tap.",  // solution
    "It plugs into the scheduling software clinics already use.",             // how it works
    "Since launching in March we are live in thirty one clinics.",            // traction
    "Their no-show rate dropped from seventeen percent to five percent.",     // traction
    "We charge ninety nine dollars per clinic per month.",                    // business model
    "We are raising eight hundred thousand dollars in a seed round.",         // ask
    "Thank you."};                                                            // closing

TEST(PitchSections, APitchIsLabelledSectionBySectionInOrder) {
  const Transcript t = Speak(kClinicPitch);
  EXPECT_GE(PitchSectionsHeard(t.segments), 4);
  EXPECT_EQ(Names(ClassifySections(t.segments)),
            (std::vector<std::string>{"intro", "problem", "problem", "solution", "how_it_works",
                                      "traction", "traction", "business_model", "ask", "closing"}));
}

TEST(PitchSections, SectionsStayContiguousAndTheProblemOpensATalkWithoutAnIntroduction) {
  // No introduction; the second sentence's "customers" would be traction on its own, but a
  // section never comes back once left, and a cue-less opening is the problem.
  const Transcript t =
      Speak({"Small shops order their produce by guesswork.",
             "Their customers find empty shelves and they lose money every week.",
             "So we built an app that predicts the order.", "We are raising one million dollars."});
  const auto labels = Names(ClassifySections(t.segments));
  EXPECT_EQ(labels, (std::vector<std::string>{"problem", "problem", "solution", "ask"}));
}

TEST(PitchSections, TheSpeakersBackgroundStaysInTheIntroduction) {
  // Even misheard ("I've spent six heroes ...") and with a problem word in it.
  const Transcript t = Speak({"My name is Omar and I'm the co-founder of Coldtrace.",
                              "I've spent six heroes writing software before starting this company.",
                              "Vaccines get thrown away when they warm up in transit.",
                              "So we built a sensor that reports the temperature of every box.",
                              "We are raising two million dollars."});
  const auto labels = Names(ClassifySections(t.segments));
  EXPECT_EQ(labels, (std::vector<std::string>{"intro", "intro", "problem", "solution", "ask"}));
}

TEST(PitchSections, AReadingIsNoPitch) {
  const Transcript t = Speak({"He was not an ill disposed young man.",
                              "Had he married a more amiable woman he might have been respectable.",
                              "He might even have been made amiable himself."});
  EXPECT_LT(PitchSectionsHeard(t.segments), 2);
}

TEST(SlidePlan, SectionsBecomeSlidesMergedToFitWithTheirTitles) {
  const Transcript t = Speak(kClinicPitch, 0.7);
  std::vector<Section> labels = ClassifySections(t.segments);
  const std::vector<Segment> content(t.segments.begin() + 1, t.segments.end());
  labels.erase(labels.begin());  // the introduction has its title slide
  SlidePlanParams p;
  p.max_slides = 4;
  p.min_slide_s = 3;
  const auto plan = PlanSlides(content, labels, p);
  ASSERT_EQ(plan.size(), 4u);
  // Every sentence on one slide, in order; every slide starts where a section starts.
  EXPECT_EQ(plan.front().first, 0u);
  for (size_t i = 1; i < plan.size(); ++i) EXPECT_EQ(plan[i].first, plan[i - 1].end);
  EXPECT_EQ(plan.back().end, content.size());
  for (const auto& slide : plan) {
    EXPECT_TRUE(slide.first == 0 || labels[slide.first] != labels[slide.first - 1])
        << slide.title << " starts inside a section";
  }
  EXPECT_EQ(plan[0].title, "The Problem");
  EXPECT_EQ(plan[1].title.rfind("Solution", 0), 0u) << plan[1].title;
  // The thank-you never stands alone; short neighbours share a slide and both are named.
  EXPECT_EQ(plan.back().sections.back(), Section::kClosing);
  bool merged = false;
  for (const auto& slide : plan) merged |= slide.title.find(" & ") != std::string::npos;
  EXPECT_TRUE(merged);
}

TEST(SlidePlan, TitlesNameTheTwoSectionsASlideSpendsMostTimeOn) {
  EXPECT_EQ(TitleFor({Section::kTraction}, {10}), "Traction");
  EXPECT_EQ(
      TitleFor({Section::kBusinessModel, Section::kMarket, Section::kCompetition}, {8, 12, 2}),
      "Business Model & Market");
  EXPECT_EQ(TitleFor({Section::kAsk, Section::kClosing}, {9, 1}), "The Ask");
}

Segment Heard(const std::string& text, const std::vector<double>& confidence = {}) {
  Segment s = Speak({text}).segments[0];
  for (size_t i = 0; i < s.words.size() && i < confidence.size(); ++i)
    s.words[i].confidence = confidence[i];
  return s;
}

TEST(BulletWriter, AWholeSentenceFitsAsItIsWithFiguresAndChanges) {
  const Bullet b = WriteBullet(
      Heard("Their no-show rate dropped from seventeen percent to five percent."), {}, {});
  EXPECT_EQ(b.text, "Their no-show rate dropped 17% \xE2\x86\x92 5%");
  EXPECT_EQ(b.first_word, 0);
  EXPECT_EQ(b.last_word, 9);
}

TEST(BulletWriter, NeverOpensOnADanglingWordOrEndsOnAFunctionWord) {
  for (const char* text : {"Is more than half of what they buy and more.",
                           "To grow our sales team in the", "And that is why stores waste food."}) {
    const Bullet b = WriteBullet(Heard(text), {}, {});
    ASSERT_FALSE(b.text.empty()) << text;
    const std::string first = b.text.substr(0, b.text.find(' '));
    EXPECT_FALSE(IsDanglingOpener(BareWord(first))) << b.text;
    const std::string last = b.text.substr(b.text.rfind(' ') + 1);
    EXPECT_NE(last, "the") << b.text;
  }
}

TEST(BulletWriter, AWordTheEngineDoubtedIsNeverShown) {
  // "drowned" was heard at 0.03: the bullet is not written at all.
  const Bullet doubted = WriteBullet(
      Heard("We raised two million dollars he drowned last year.", {1, 1, 1, 1, 1, 1, 0.03, 1, 1}),
      {}, {});
  EXPECT_TRUE(doubted.text.empty()) << doubted.text;
  // A doubtful last word is cut instead.
  const Bullet tail = WriteBullet(
      Heard("We now work with twelve restaurants in jest", {1, 1, 1, 1, 1, 1, 0.9, 0.2}), {}, {});
  EXPECT_EQ(tail.text, "We now work with 12 restaurants");
  EXPECT_GE(tail.confidence, 0.9);
}

TEST(BulletWriter, ALongSentenceKeepsAWholeClauseWithItsSubject) {
  BulletParams p;
  p.max_words = 10;
  const Bullet b = WriteBullet(
      Heard("For a typical store, that is about four hundred thousand dollars of produce going "
            "straight into the dumpster every single year."),
      p, {});
  ASSERT_FALSE(b.text.empty());
  EXPECT_LE(std::count(b.text.begin(), b.text.end(), ' ') + 1, 10) << b.text;
  EXPECT_NE(b.text.find("$400K"), std::string::npos) << b.text;
  EXPECT_EQ(b.text, "$400K of produce going straight into the dumpster every year");
}

TEST(BulletWriter, ADoubtedClauseIsLeftOutAndTheCertainOneKept) {
  // "add" was heard at 0.02: the sentence fits, but its first clause is the bullet.
  const Bullet b = WriteBullet(Heard("We are raising two and a half million dollars to grow our "
                                     "sales team and add meat and seafood.",
                                     {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0.02, 1, 1}),
                               {}, {});
  EXPECT_EQ(b.text, "We are raising $2.5M to grow our sales team");
  EXPECT_EQ(b.last_word, 13);
}

TEST(BulletWriter, ACountKeepsItsUnitAndACutKeepsWholePhrases) {
  BulletParams p;
  p.max_words = 14;
  // "depots" heard at 0.2 would be trimmed from the end, but "19" needs it; the cut never
  // ends on "and today".
  std::vector<double> c(11, 1.0);
  c[10] = 0.2;
  EXPECT_EQ(
      WriteBullet(Heard("Today we manage one thousand two hundred vans across nineteen depots.", c),
                  p, {})
          .text,
      "Today we manage 1,200 vans across 19 depots");
  const Bullet b =
      WriteBullet(Heard("We started our first pilot in twenty twenty three and today we manage one "
                        "thousand two hundred vans across nineteen depots.",
                        {}),
                  p, {});
  ASSERT_GE(b.text.size(), 10u);
  EXPECT_NE(b.text.substr(b.text.size() - 10), " and today") << b.text;
  // Money needs no unit: a doubtful word after it goes.
  std::vector<double> m(10, 1.0);
  m[9] = 0.2;
  EXPECT_EQ(
      WriteBullet(Heard("We charge a simple subscription of six hundred dollars first.", m), {}, {})
          .text,
      "We charge a simple subscription of $600");
}

TEST(BulletWriter, ALonePrepositionalPhraseIsNoBullet) {
  // Everything after "In our first year" was doubted: what is left says nothing.
  const Bullet b = WriteBullet(
      Heard("In our first year tell him tomorrow.", {1, 1, 1, 1, 0.01, 0.01, 0.01}), {}, {});
  EXPECT_TRUE(b.text.empty()) << b.text;
}

}  // namespace
}  // namespace presgen
