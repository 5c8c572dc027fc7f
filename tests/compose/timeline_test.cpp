#include <gtest/gtest.h>

#include "compose/compositor.h"
#include "compose/timeline.h"

namespace presgen {
namespace {

Deck ThreeSlides() {
  Deck d;
  for (int i = 0; i < 3; ++i) {
    Slide s;
    s.index = i;
    s.title = std::string(1, static_cast<char>('A' + i));
    s.start_s = 10.0 * i;
    s.end_s = 10.0 * (i + 1);
    d.slides.push_back(s);
  }
  return d;
}

TEST(SlideTimeline, CrossfadeIsCentredOnTheStart) {
  SlideTimeline tl(ThreeSlides(), 0.5);
  EXPECT_FALSE(tl.At(0).blending());
  EXPECT_EQ(tl.At(0).from, 0);
  EXPECT_FALSE(tl.At(9.74).blending());
  SlideMix mid = tl.At(10.0);
  EXPECT_TRUE(mid.blending());
  EXPECT_EQ(mid.from, 0);
  EXPECT_EQ(mid.to, 1);
  EXPECT_NEAR(mid.alpha, 0.5, 1e-9);
  EXPECT_NEAR(tl.At(9.875).alpha, 0.25, 1e-9);
  SlideMix after = tl.At(10.26);
  EXPECT_FALSE(after.blending());
  EXPECT_EQ(after.from, 1);
  EXPECT_EQ(tl.At(29).from, 2);
}

TEST(SlideTimeline, CloseSlidesShortenTheFade) {
  Deck d = ThreeSlides();
  d.slides[1].start_s = 10.0;
  d.slides[2].start_s = 10.2;
  SlideTimeline tl(d, 0.5);
  // Each fade shrinks to half the gap (0.1 s), still centred on its start; they never overlap.
  EXPECT_NEAR(tl.At(10.0).alpha, 0.5, 1e-9);
  EXPECT_EQ(tl.At(10.0).to, 1);
  EXPECT_NEAR(tl.At(10.2).alpha, 0.5, 1e-9);
  EXPECT_EQ(tl.At(10.2).from, 1);
  EXPECT_EQ(tl.At(10.2).to, 2);
  EXPECT_FALSE(tl.At(10.31).blending());
  EXPECT_EQ(tl.At(10.31).from, 2);
}

TEST(OutputFrameRate, CapsAndKeepsNtscRates) {
  EXPECT_EQ(OutputFrameRate(60, 30).num, 30);
  FrameRate ntsc = OutputFrameRate(29.97, 30);
  EXPECT_EQ(ntsc.num, 30000);
  EXPECT_EQ(ntsc.den, 1001);
  EXPECT_EQ(OutputFrameRate(25, 30).num, 25);
  EXPECT_EQ(OutputFrameRate(0, 30).num, 30);
  EXPECT_EQ(OutputFrameRate(59.94, 30).num, 30);
}

}  // namespace
}  // namespace presgen
