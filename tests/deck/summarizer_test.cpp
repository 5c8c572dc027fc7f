#include "deck/summarizer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "deck/pitch_transcript.h"
#include "deck/text_tools.h"

namespace presgen {
namespace {

using testing::Speak;
const std::vector<std::string>& kPitch = testing::kPitchSentences;

int WordCount(const std::string& s) { return static_cast<int>(SplitTokens(s).size()); }

TEST(SummarizeExtractive, PitchBecomesThreeToFiveSlidesInTimeOrder) {
  const Transcript t = Speak(kPitch);
  auto deck = SummarizeExtractive(t, t.duration_s, {});
  ASSERT_TRUE(deck.ok()) << deck.status().ToString();
  const auto& slides = deck->slides;
  ASSERT_GE(slides.size(), 3u);
  ASSERT_LE(slides.size(), 5u);
  EXPECT_DOUBLE_EQ(slides[0].start_s, 0.0);
  EXPECT_NEAR(slides.back().end_s, t.duration_s, 1e-9);
  for (size_t i = 0; i < slides.size(); ++i) {
    EXPECT_EQ(slides[i].index, int(i));
    EXPECT_FALSE(slides[i].title.empty());
    EXPECT_LE(WordCount(slides[i].title), 6) << slides[i].title;
    if (i > 0) {
      EXPECT_FALSE(slides[i].bullets.empty()) << slides[i].title;
    }
    EXPECT_LE(slides[i].bullets.size(), 3u);
    for (const auto& b : slides[i].bullets)
      EXPECT_LE(WordCount(b), SummarizerParams{}.max_bullet_words) << b;
    if (i) {
      EXPECT_GT(slides[i].start_s, slides[i - 1].start_s + 4.0);  // no flash slides
      EXPECT_DOUBLE_EQ(slides[i - 1].end_s, slides[i].start_s);
      // A later slide starts exactly when the first word of one of its sentences is spoken.
      bool on_onset = false;
      for (const auto& seg : t.segments) on_onset |= seg.words.front().start_s == slides[i].start_s;
      EXPECT_TRUE(on_onset) << "slide " << i << " starts at " << slides[i].start_s;
    }
  }
}

TEST(SummarizeExtractive, PitchSlidesReadLikeAPitch) {
  const Transcript t = Speak(kPitch);
  auto deck = SummarizeExtractive(t, t.duration_s, {});
  ASSERT_TRUE(deck.ok());
  std::string all;
  for (const auto& s : deck->slides) {
    all += s.title + " | ";
    for (const auto& b : s.bullets) all += b + " | ";
  }
  // The introduction becomes a title slide: company, then who speaks.
  EXPECT_EQ(deck->slides[0].title, "Green Box") << all;
  EXPECT_EQ(deck->slides[0].subtitle, "Anna, Founder") << all;
  EXPECT_TRUE(deck->slides[0].bullets.empty()) << all;
  // Spoken numbers appear as figures.
  EXPECT_NE(all.find("40%"), std::string::npos) << all;
  EXPECT_NE(all.find("$2B"), std::string::npos) << all;
  EXPECT_EQ(all.find("forty"), std::string::npos) << all;
  // Courtesies are not bullets.
  EXPECT_EQ(all.find("Thank you"), std::string::npos) << all;
  // Bullets are capitalised, without a trailing full stop.
  for (const auto& s : deck->slides)
    for (const auto& b : s.bullets) {
      EXPECT_TRUE(std::isupper(static_cast<unsigned char>(b[0])) || b[0] == '$' ||
                  std::isdigit(static_cast<unsigned char>(b[0])))
          << b;
      EXPECT_NE(b.back(), '.') << b;
    }
}

TEST(SummarizeExtractive, LongTalkGetsMoreSlidesButAtMostMax) {
  std::vector<std::string> talk;
  for (int rep = 0; rep < 4; ++rep)
    for (const auto& s : kPitch) talk.push_back(s);
  const Transcript t = Speak(talk);  // about 3 minutes
  ASSERT_GT(t.duration_s, 150);
  auto deck = SummarizeExtractive(t, t.duration_s, {});
  ASSERT_TRUE(deck.ok());
  EXPECT_EQ(deck->slides.size(), 5u);
  SummarizerParams p;
  p.max_slides = 4;
  p.max_bullets_per_slide = 2;
  auto fewer = SummarizeExtractive(t, t.duration_s, p);
  ASSERT_TRUE(fewer.ok());
  EXPECT_EQ(fewer->slides.size(), 4u);
  for (const auto& s : fewer->slides) EXPECT_LE(s.bullets.size(), 2u);
}

TEST(SummarizeExtractive, LongSentencesAreShortenedToClauses) {
  const Transcript t =
      Speak({"So basically what we found after talking to more than two hundred restaurant owners "
             "across the country is that nobody knows how much food they will need tomorrow, "
             "which means they order too much every single day.",
             "Our product fixes that with a forecast.", "It is easy to use in any kitchen."});
  SummarizerParams p;
  p.min_slides = 1;
  auto deck = SummarizeExtractive(t, t.duration_s, p);
  ASSERT_TRUE(deck.ok());
  for (const auto& s : deck->slides)
    for (const auto& b : s.bullets) {
      EXPECT_LE(WordCount(b), SummarizerParams{}.max_bullet_words) << b;
      EXPECT_GE(WordCount(b), 3) << b;
    }
}

TEST(SummarizeExtractive, UnpunctuatedLowerCaseSpeechReadsWell) {
  // What PocketSphinx gives: no capitals, no commas, sentences cut at pauses.
  const Transcript t =
      Speak({"hello my name is anna and i'm the founder of green box.",
             "every year restaurants throw away forty percent of the food they buy.",
             "our software predicts the demand for each dish and tells the kitchen what to cook.",
             "in our first pilot food waste went down by half in just three months.",
             "we now work with twelve restaurants and make ten thousand dollars a month.",
             "the market for kitchen software is worth two billion dollars.",
             "we are raising one million dollars to grow our sales team."});
  auto deck = SummarizeExtractive(t, t.duration_s, {});
  ASSERT_TRUE(deck.ok());
  std::string all;
  for (const auto& s : deck->slides)
    for (const auto& b : s.bullets) {
      all += b + " | ";
      EXPECT_EQ(b.find("…"), std::string::npos) << b;  // shortened by dropping hedges, not cut
    }
  EXPECT_EQ(deck->slides[0].title, "Green Box");
  EXPECT_EQ(deck->slides[0].subtitle, "Anna, Founder");
  EXPECT_NE(all.find("food waste went down by half"), std::string::npos) << all;
  // Without a title slide the deck opens on the first section (the introduction is said,
  // not shown as a point of the pitch).
  SummarizerParams no_title;
  no_title.title_slide = TitleSlide::kNever;
  auto plain = SummarizeExtractive(t, t.duration_s, no_title);
  ASSERT_TRUE(plain.ok());
  EXPECT_NE(plain->slides[0].title.find("Problem"), std::string::npos) << plain->slides[0].title;
  EXPECT_TRUE(plain->slides[0].subtitle.empty());
  for (const auto& b : plain->slides[0].bullets) EXPECT_EQ(b.find("Anna"), std::string::npos) << b;
  // The slide that holds the product is titled as the solution (this short a problem
  // statement shares its slide).
  bool solution = false;
  for (const auto& s : deck->slides) solution |= s.title.find("Solution") != std::string::npos;
  EXPECT_TRUE(solution);
}

TEST(SummarizeExtractive, ShortTalkGetsFewerSlides) {
  const Transcript t =
      Speak({"We help farmers sell directly to restaurants.", "Orders doubled in two months."});
  auto deck = SummarizeExtractive(t, t.duration_s, {});
  ASSERT_TRUE(deck.ok());
  EXPECT_GE(deck->slides.size(), 1u);
  EXPECT_LE(deck->slides.size(), 2u);
}

// A three-minute pitch whose key facts are spread over the whole talk, the
// last ones in its final minute, with filler sentences between them.
const std::vector<std::string> kLongPitch = {
    "Hi everyone, my name is Maya and I am the co-founder and CEO of Shelfwise.",
    "Um, so, small grocery stores lose a lot of money to spoiled produce.",
    "Every year they throw away twelve percent of what they buy.",
    "That is money straight out of a thin margin, you know.",
    "Store owners told us they guess their orders on paper every morning.",
    "Nobody has time to study sales data in a corner shop.",
    "Shelfwise reads the sales from the till and suggests each morning's order.",
    "It learns from the weather, the weekday and local events.",
    "The owner approves the order with one tap on a phone.",
    "Setting it up takes about ten minutes and needs no new hardware.",
    "We ran a pilot with eight stores in Leeds last spring.",
    "Spoilage in those stores fell by thirty five percent in two months.",
    "Seven of the eight stores kept paying after the pilot ended.",
    "Today we have forty two paying stores across the north of England.",
    "Each store pays ninety nine dollars a month for the service.",
    "That gives us about fifty thousand dollars of annual recurring revenue.",
    "Revenue has grown twenty percent month over month since January.",
    "There are about forty thousand independent grocers in the UK alone.",
    "Across Europe the market is worth three billion dollars a year.",
    "Big chains already have forecasting teams, independents do not.",
    "Our competitors sell enterprise software that small shops cannot afford.",
    "My co-founder built forecasting systems at a large supermarket chain for ten years.",
    "Our team of six includes two data scientists and a former store owner.",
    "We are raising one point five million dollars in a seed round.",
    "The money will fund sales in three new regions and two more engineers.",
    "With it we expect to reach five hundred stores within eighteen months.",
    "Thank you so much for listening.",
};

TEST(SummarizeExtractive, KeyFiguresFromTheWholeTalkReachTheSlides) {
  const Transcript t = Speak(kLongPitch, 0.9, 0.6);
  ASSERT_GT(t.duration_s, 100);
  auto deck = SummarizeExtractive(t, t.duration_s, {});
  ASSERT_TRUE(deck.ok()) << deck.status().ToString();
  const auto& slides = deck->slides;
  ASSERT_EQ(slides.size(), 5u);
  EXPECT_EQ(slides[0].title, "Shelfwise");
  EXPECT_EQ(slides[0].subtitle, "Maya, Co-founder & CEO");
  std::string all;
  std::set<std::string> bullets;
  for (const auto& s : slides)
    for (const auto& b : s.bullets) {
      all += b + " | ";
      EXPECT_TRUE(bullets.insert(b).second) << "repeated bullet: " << b;
      EXPECT_LE(WordCount(b), SummarizerParams{}.max_bullet_words) << b;
      EXPECT_EQ(b.find("Um"), std::string::npos) << b;
    }
  // Facts from the first, middle and last minute, as figures.
  for (const char* fact : {"12%", "35%", "$99", "$3B", "$1.5M"})
    EXPECT_NE(all.find(fact), std::string::npos) << fact << " missing from: " << all;
  EXPECT_EQ(all.find("percent"), std::string::npos) << all;
  // Titles name what the bullets are about, two sections when a slide holds both.
  EXPECT_NE(slides.back().title.find("The Ask"), std::string::npos) << slides.back().title;
  for (const auto& s : slides)
    for (const auto& b : s.bullets)
      if (b.rfind("Shelfwise reads", 0) == 0) {
        EXPECT_NE(s.title.find("Solution"), std::string::npos) << s.title;
      }
  // The last content slide covers the final minute: it starts after two thirds of the talk.
  EXPECT_GT(slides.back().start_s, t.duration_s * 0.6);
  // Each bullet's source is the sentence it summarises, its words inside the sentence, and
  // each slide starts on the first word of a sentence it covers.
  for (size_t i = 0; i < slides.size(); ++i) {
    ASSERT_EQ(slides[i].sources.size(), slides[i].bullets.size());
    if (i > 0) {
      EXPECT_GT(slides[i].start_s, slides[i - 1].start_s);
      bool on_onset = false;
      for (const auto& seg : t.segments)
        on_onset |= std::abs(seg.words.front().start_s - slides[i].start_s) < 1e-9;
      EXPECT_TRUE(on_onset) << slides[i].start_s;
    }
    for (const auto& src : slides[i].sources) {
      ASSERT_GE(src.segment, 0);
      ASSERT_LT(size_t(src.segment), t.segments.size());
      const auto& seg = t.segments[size_t(src.segment)];
      ASSERT_LE(0, src.first_word);
      ASSERT_LE(src.first_word, src.last_word);
      ASSERT_LT(size_t(src.last_word), seg.words.size());
      EXPECT_DOUBLE_EQ(src.start_s, seg.words[size_t(src.first_word)].start_s);
      EXPECT_DOUBLE_EQ(src.end_s, seg.words[size_t(src.last_word)].end_s);
      // The bullet is spoken while its slide is up.
      EXPECT_GE(src.start_s, slides[i].start_s);
      EXPECT_LE(src.end_s, slides[i].end_s + 1e-9);
    }
  }
}

TEST(SummarizeExtractive, BulletSourcesPointAtTheWordsKept) {
  const Transcript t = Speak({"Hello, my name is Anna and I am the founder of Green Box.",
                              "Um, so, we make ten thousand dollars a month already.",
                              "The market for kitchen software is worth two billion dollars."});
  SummarizerParams p;
  p.title_slide = TitleSlide::kNever;
  p.min_slides = 1;
  auto deck = SummarizeExtractive(t, t.duration_s, p);
  ASSERT_TRUE(deck.ok());
  bool found = false;
  for (const auto& s : deck->slides)
    for (size_t b = 0; b < s.bullets.size(); ++b) {
      if (s.bullets[b].find("$10K") == std::string::npos) continue;
      found = true;
      // "Um, so," are gone: the source starts at "we" (word 2) and ends at "already." (9).
      EXPECT_EQ(s.sources[b].segment, 1);
      EXPECT_EQ(s.sources[b].first_word, 2);
      EXPECT_EQ(s.sources[b].last_word, 9);
    }
  EXPECT_TRUE(found);
}

TEST(SummarizeExtractive, TitleSlideModes) {
  const Transcript t = Speak(kPitch);
  SummarizerParams on;
  on.title_slide = TitleSlide::kAlways;
  // A talk without an introduction still gets a title slide when asked for one.
  const Transcript no_intro = Speak(std::vector<std::string>(kPitch.begin() + 1, kPitch.end()));
  auto forced = SummarizeExtractive(no_intro, no_intro.duration_s, on);
  ASSERT_TRUE(forced.ok());
  EXPECT_TRUE(forced->slides[0].bullets.empty());
  EXPECT_FALSE(forced->slides[0].title.empty());
  EXPECT_GT(forced->slides[1].start_s, 0);
  // Auto without an introduction: no title slide.
  auto auto_deck = SummarizeExtractive(no_intro, no_intro.duration_s, {});
  ASSERT_TRUE(auto_deck.ok());
  EXPECT_FALSE(auto_deck->slides[0].bullets.empty());
  // --slides 1 leaves no room for a title slide.
  SummarizerParams one;
  one.max_slides = 1;
  one.min_slides = 1;
  auto single = SummarizeExtractive(t, t.duration_s, one);
  ASSERT_TRUE(single.ok());
  ASSERT_EQ(single->slides.size(), 1u);
  EXPECT_FALSE(single->slides[0].bullets.empty());
  EXPECT_EQ(ParseTitleSlide("sometimes").status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(*ParseTitleSlide("off"), TitleSlide::kNever);
}

// A fifteen-second pitch: the introduction is a third of it, yet it is still the title
// slide, and problem and solution share the next one (each is too short to stand alone).
TEST(SummarizeExtractive, ShortPitchKeepsItsTitleSlide) {
  const Transcript t =
      Speak({"Hello, my name is Anna and I'm the founder of Green Box.",
             "Every year restaurants throw away forty percent of the food they buy.",
             "Our software predicts the demand for each dish and tells the kitchen what to cook."});
  auto deck = SummarizeExtractive(t, t.duration_s, {});
  ASSERT_TRUE(deck.ok());
  ASSERT_EQ(deck->slides.size(), 2u);
  EXPECT_EQ(deck->slides[0].title, "Green Box");
  EXPECT_TRUE(deck->slides[0].bullets.empty());
  ASSERT_FALSE(deck->slides[1].bullets.empty());
  EXPECT_EQ(deck->slides[1].bullets[0].rfind("Every year restaurants", 0), 0u)
      << deck->slides[1].bullets[0];
  // Auto never lets the introduction take half the talk.
  const Transcript long_intro = Speak({"Hello, my name is Anna and I'm the founder of Green Box.",
                                       "Restaurants waste forty percent of their food."});
  auto short_deck = SummarizeExtractive(long_intro, long_intro.duration_s, {});
  ASSERT_TRUE(short_deck.ok());
  EXPECT_FALSE(short_deck->slides[0].bullets.empty());
}

TEST(SummarizeExtractive, NoWordsIsInvalidInput) {
  Transcript empty;
  auto deck = SummarizeExtractive(empty, 30, {});
  ASSERT_FALSE(deck.ok());
  EXPECT_EQ(deck.status().code(), StatusCode::kInvalidInput);
}

TEST(TitleOnlyDeck, OneSlideSpanningTheVideo) {
  const Deck d = TitleOnlyDeck("My Pitch", 42.5, "dark");
  ASSERT_EQ(d.slides.size(), 1u);
  EXPECT_EQ(d.slides[0].title, "My Pitch");
  EXPECT_TRUE(d.slides[0].bullets.empty());
  EXPECT_DOUBLE_EQ(d.slides[0].start_s, 0);
  EXPECT_DOUBLE_EQ(d.slides[0].end_s, 42.5);
  EXPECT_EQ(d.template_name, "dark");
  EXPECT_EQ(TitleOnlyDeck("", 1, "dark").slides[0].title, "Presentation");
}

}  // namespace
}  // namespace presgen
