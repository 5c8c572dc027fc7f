#include "asr/wer.h"

#include <gtest/gtest.h>

namespace presgen {
namespace {

TEST(WordErrorRate, IdenticalTextIgnoringCaseAndPunctuation) {
  EXPECT_DOUBLE_EQ(WordErrorRate("Hello, world! It's 40% off.", "hello world it's 40 off"), 0.0);
}

TEST(WordErrorRate, CountsSubstitutionsDeletionsInsertions) {
  EXPECT_DOUBLE_EQ(WordErrorRate("a b c d", "a x c d"), 0.25);     // one substitution
  EXPECT_DOUBLE_EQ(WordErrorRate("a b c d", "a c d"), 0.25);       // one deletion
  EXPECT_DOUBLE_EQ(WordErrorRate("a b c d", "a b b c d e"), 0.5);  // two insertions
  EXPECT_DOUBLE_EQ(WordErrorRate("a b", ""), 1.0);
}

TEST(WordErrorRate, EmptyReference) {
  EXPECT_DOUBLE_EQ(WordErrorRate("", ""), 0.0);
  EXPECT_DOUBLE_EQ(WordErrorRate("", "noise"), 1.0);
}

TEST(NormalizeWords, KeepsInnerApostrophesAndDigits) {
  const auto w = NormalizeWords("We're raising $2M... 'quoted'");
  ASSERT_EQ(w.size(), 4u);
  EXPECT_EQ(w[0], "we're");
  EXPECT_EQ(w[2], "2m");
  EXPECT_EQ(w[3], "quoted");
}

}  // namespace
}  // namespace presgen
