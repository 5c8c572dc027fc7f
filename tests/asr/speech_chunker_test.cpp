#include "asr/speech_chunker.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace presgen {
namespace {

// Bursts of tone (speech stand-in) of burst_s, separated by gap_s of faint noise.
PcmAudio Bursts(int n, double burst_s, double gap_s) {
  PcmAudio a;
  std::mt19937 rng(7);
  std::normal_distribution<float> noise(0.f, 0.001f);
  for (int b = 0; b < n; ++b) {
    for (int i = 0; i < int(burst_s * 16000); ++i)
      a.samples.push_back(0.3f * std::sin(2 * M_PI * 220 * i / 16000.0) + noise(rng));
    for (int i = 0; i < int(gap_s * 16000); ++i) a.samples.push_back(noise(rng));
  }
  return a;
}

bool InGap(size_t sample, double burst_s, double gap_s) {
  const double t = sample / 16000.0, period = burst_s + gap_s;
  return std::fmod(t, period) >= burst_s - 0.011;
}

TEST(SplitAtSilences, ChunksCoverAudioAndCutInsideSilences) {
  const PcmAudio a = Bursts(10, 4.0, 0.5);  // 45 s
  ChunkParams p;
  p.target_s = 10;
  const auto chunks = SplitAtSilences(a, p);
  ASSERT_GE(chunks.size(), 3u);
  EXPECT_EQ(chunks.front().begin, 0u);
  EXPECT_EQ(chunks.back().end, a.samples.size());
  for (size_t i = 0; i < chunks.size(); ++i) {
    EXPECT_LT(chunks[i].begin, chunks[i].end);
    if (i) {
      EXPECT_EQ(chunks[i].begin, chunks[i - 1].end);
      EXPECT_TRUE(InGap(chunks[i].begin, 4.0, 0.5)) << "cut at " << chunks[i].begin / 16000.0;
    }
    EXPECT_LE((chunks[i].end - chunks[i].begin) / 16000.0, p.max_s);
  }
}

TEST(SplitAtSilences, ContinuousSoundIsCutAtMaxLength) {
  const PcmAudio a = Bursts(1, 70.0, 0.0);
  const auto chunks = SplitAtSilences(a);
  ASSERT_GE(chunks.size(), 3u);
  for (const auto& c : chunks) EXPECT_LE((c.end - c.begin) / 16000.0, ChunkParams{}.max_s + 0.01);
  EXPECT_EQ(chunks.back().end, a.samples.size());
}

TEST(SplitAtSilences, EmptyAndTinyAudio) {
  EXPECT_TRUE(SplitAtSilences(PcmAudio{}).empty());
  PcmAudio tiny;
  tiny.samples.assign(100, 0.f);
  const auto chunks = SplitAtSilences(tiny);
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_EQ(chunks[0].end, 100u);
}

}  // namespace
}  // namespace presgen
