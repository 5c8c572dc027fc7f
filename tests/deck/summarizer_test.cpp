#include "deck/summarizer.h"

#include <gtest/gtest.h>

#include "deck/text_tools.h"

namespace presgen {
namespace {

// A transcript of sentences spoken one after another: 0.35 s per word, a
// pause of pause_s between sentences, the first word at `lead_s`.
Transcript Speak(const std::vector<std::string>& sentences, double pause_s = 0.7,
                 double lead_s = 0.5) {
  Transcript t;
  t.engine = "test";
  double time = lead_s;
  for (const auto& s : sentences) {
    Segment seg;
    seg.text = s;
    for (const auto& tok : SplitTokens(s)) {
      seg.words.push_back({time, time + 0.3, tok});
      time += 0.35;
    }
    seg.start_s = seg.words.front().start_s;
    seg.end_s = seg.words.back().end_s;
    t.segments.push_back(seg);
    time += pause_s;
  }
  t.duration_s = time;
  return t;
}

const std::vector<std::string> kPitch = {
    "Hello, my name is Anna and I am the founder of Green Box.",
    "Every year restaurants throw away forty percent of the food they buy.",
    "That waste is a huge problem for margins and for the planet.",
    "Our software predicts the demand for each dish and tells the kitchen what to cook.",
    "It plugs into the point of sale system in ten minutes.",
    "In our first pilot, food waste went down by half in just three months.",
    "We now work with twelve restaurants and make ten thousand dollars a month.",
    "The market for kitchen software is worth two billion dollars.",
    "We are raising one million dollars to grow our sales team.",
    "Thank you for your time.",
};

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
    EXPECT_FALSE(slides[i].bullets.empty()) << slides[i].title;
    EXPECT_LE(slides[i].bullets.size(), 3u);
    for (const auto& b : slides[i].bullets) EXPECT_LE(WordCount(b), 12) << b;
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
  EXPECT_EQ(deck->slides[0].title, "Green Box") << all;
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
  const Transcript t = Speak({
      "So basically what we found after talking to more than two hundred restaurant owners "
      "across the country is that nobody knows how much food they will need tomorrow, "
      "which means they order too much every single day.",
      "Our product fixes that with a forecast.", "It is easy to use in any kitchen."});
  SummarizerParams p;
  p.min_slides = 1;
  auto deck = SummarizeExtractive(t, t.duration_s, p);
  ASSERT_TRUE(deck.ok());
  for (const auto& s : deck->slides)
    for (const auto& b : s.bullets) {
      EXPECT_LE(WordCount(b), 12) << b;
      EXPECT_GE(WordCount(b), 3) << b;
    }
}

TEST(SummarizeExtractive, UnpunctuatedLowerCaseSpeechReadsWell) {
  // What PocketSphinx gives: no capitals, no commas, sentences cut at pauses.
  const Transcript t = Speak({
      "hello my name is anna and i'm the founder of green box.",
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
  EXPECT_NE(all.find("Anna"), std::string::npos) << all;
  EXPECT_NE(all.find("Green Box"), std::string::npos) << all;
  EXPECT_NE(all.find("food waste went down by half"), std::string::npos) << all;
  // The slide that opens with the product is titled as the solution.
  bool solution = false;
  for (const auto& s : deck->slides) solution |= s.title == "Our Solution";
  EXPECT_TRUE(solution);
}

TEST(SummarizeExtractive, ShortTalkGetsFewerSlides) {
  const Transcript t = Speak({"We help farmers sell directly to restaurants.",
                              "Orders doubled in two months."});
  auto deck = SummarizeExtractive(t, t.duration_s, {});
  ASSERT_TRUE(deck.ok());
  EXPECT_GE(deck->slides.size(), 1u);
  EXPECT_LE(deck->slides.size(), 2u);
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
