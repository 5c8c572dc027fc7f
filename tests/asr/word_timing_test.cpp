#include "asr/word_timing.h"

#include <gtest/gtest.h>

namespace presgen {
namespace {

std::vector<Word> Words(std::initializer_list<std::pair<double, double>> times) {
  std::vector<Word> w;
  int i = 0;
  for (auto [s, e] : times) w.push_back({s, e, "w" + std::to_string(i++)});
  return w;
}

void ExpectOrderedInside(const std::vector<Word>& w, double duration) {
  for (size_t i = 0; i < w.size(); ++i) {
    EXPECT_GE(w[i].start_s, 0);
    EXPECT_LE(w[i].end_s, duration + 1e-9);
    EXPECT_LE(w[i].start_s, w[i].end_s);
    if (i) {
      EXPECT_GE(w[i].start_s, w[i - 1].start_s);
    }
    if (i + 1 < w.size()) {
      EXPECT_LE(w[i].end_s, w[i + 1].start_s + 1e-9);
    }
  }
}

TEST(RepairWordTimes, GoodTimesStay) {
  auto w = Words({{0.5, 0.8}, {0.9, 1.2}, {1.3, 1.6}});
  RepairWordTimes(w, 10);
  EXPECT_DOUBLE_EQ(w[1].start_s, 0.9);
  EXPECT_DOUBLE_EQ(w[1].end_s, 1.2);
  ExpectOrderedInside(w, 10);
}

TEST(RepairWordTimes, OutOfOrderAndMissingTimesAreInterpolatedNotDropped) {
  // "raising $2M now": the figure came back with a start before its neighbour and -1.
  auto w = Words({{1.0, 1.3}, {0.2, 0.4}, {-1, -1}, {2.0, 2.3}});
  RepairWordTimes(w, 10);
  ASSERT_EQ(w.size(), 4u);
  EXPECT_NEAR(w[1].start_s, 1.0 + 1.0 / 3, 1e-9);
  EXPECT_NEAR(w[2].start_s, 1.0 + 2.0 / 3, 1e-9);
  ExpectOrderedInside(w, 10);
}

TEST(RepairWordTimes, TimesPastTheEndAreBroughtInside) {
  auto w = Words({{0.5, 0.8}, {31.0, 31.5}, {32.0, 33.0}});
  RepairWordTimes(w, 5);
  ExpectOrderedInside(w, 5);
  EXPECT_GT(w[1].start_s, 0.5);
  EXPECT_LE(w[2].start_s, 5);
}

TEST(RepairWordTimes, OverlappingEndsAreClippedAndZeroLengthsGrow) {
  auto w = Words({{0.5, 2.0}, {1.0, 1.0}, {1.5, 1.7}});
  RepairWordTimes(w, 10);
  EXPECT_DOUBLE_EQ(w[0].end_s, 1.0);
  EXPECT_GT(w[1].end_s, w[1].start_s);
  ExpectOrderedInside(w, 10);
}

TEST(RepairWordTimes, EmptyIsFine) {
  std::vector<Word> none;
  RepairWordTimes(none, 3);
  EXPECT_TRUE(none.empty());
}

}  // namespace
}  // namespace presgen
