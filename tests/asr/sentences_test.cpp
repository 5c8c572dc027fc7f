#include "asr/sentences.h"

#include <gtest/gtest.h>

namespace presgen {
namespace {

// Words of `text` spoken 0.3 s apart; `pause_after` adds a silence after word i.
std::vector<Word> Speak(const std::vector<std::string>& text, size_t pause_after = 999,
                        double pause_s = 0) {
  std::vector<Word> words;
  double t = 0.5;
  for (size_t i = 0; i < text.size(); ++i) {
    words.push_back({t, t + 0.25, text[i]});
    t += 0.3 + (i == pause_after ? pause_s : 0);
  }
  return words;
}

TEST(SegmentSentences, SplitsAtPausesAndFormatsUnpunctuatedText) {
  const auto segs = SegmentSentences(
      Speak({"i", "think", "we", "can", "win", "this", "market", "is", "huge"}, 4, 0.6));
  ASSERT_EQ(segs.size(), 2u);
  EXPECT_EQ(segs[0].text, "I think we can win.");
  EXPECT_EQ(segs[1].text, "This market is huge.");
  EXPECT_DOUBLE_EQ(segs[0].start_s, 0.5);
  EXPECT_DOUBLE_EQ(segs[1].start_s, segs[1].words.front().start_s);
  EXPECT_DOUBLE_EQ(segs[0].end_s, segs[0].words.back().end_s);
  EXPECT_EQ(segs[0].words.size() + segs[1].words.size(), 9u);
}

TEST(SegmentSentences, ShortPauseDoesNotSplitAndPunctuationDoes) {
  const auto segs =
      SegmentSentences(Speak({"We", "grew", "fast.", "Really?", "Yes", "we", "did!"}, 0, 0.3));
  ASSERT_EQ(segs.size(), 3u);
  EXPECT_EQ(segs[0].text, "We grew fast.");
  EXPECT_EQ(segs[1].text, "Really?");
  EXPECT_EQ(segs[2].text, "Yes we did!");
}

TEST(SegmentSentences, PauseAfterTooFewWordsWaits) {
  const auto segs = SegmentSentences(Speak({"so", "we", "built", "a", "tool"}, 0, 1.0));
  ASSERT_EQ(segs.size(), 1u);
  EXPECT_EQ(segs[0].text, "So we built a tool.");
}

TEST(SegmentSentences, RunOnSpeechIsCutAtItsLongestPause) {
  std::vector<std::string> text(40, "word");
  const auto segs = SegmentSentences(Speak(text, 19, 0.2));  // below pause_split_s
  ASSERT_EQ(segs.size(), 2u);
  EXPECT_EQ(segs[0].words.size(), 20u);
  EXPECT_EQ(segs[1].words.size(), 20u);
  for (const auto& s : segs) EXPECT_LE(static_cast<int>(s.words.size()), DefaultSentenceParams().max_words);
}

TEST(SegmentSentences, EmptyWordsAreDroppedAndNoWordsGiveNoSegments) {
  EXPECT_TRUE(SegmentSentences({}).empty());
  const auto segs = SegmentSentences(Speak({"", "hello", "", "there", "friend"}));
  ASSERT_EQ(segs.size(), 1u);
  EXPECT_EQ(segs[0].text, "Hello there friend.");
  EXPECT_EQ(segs[0].words.size(), 3u);
}

TEST(AllWords, FlattensSegmentsInOrder) {
  Transcript t;
  t.segments = SegmentSentences(Speak({"one", "two", "three", "four", "five", "six"}, 2, 1.0));
  ASSERT_EQ(t.segments.size(), 2u);
  const auto words = AllWords(t);
  ASSERT_EQ(words.size(), 6u);
  EXPECT_EQ(words[3].text, "Four");  // a sentence opener is capitalised
}

}  // namespace
}  // namespace presgen
