#include <gtest/gtest.h>

#include <cmath>

#include "face/crop_planner.h"
#include "face/face_sampler.h"
#include "media/probe.h"
#include "support/fixtures.h"

namespace presgen {
namespace {

using test::FixturePath;

TEST(FaceSampler, FindsTheRealFaceInMostSamples) {
  auto info = Probe(FixturePath("pitch.mp4"));
  ASSERT_TRUE(info.ok());
  auto track = SampleFaces(FixturePath("pitch.mp4"), *info, {}, {});
  ASSERT_TRUE(track.ok()) << track.status().ToString();
  // 4 per second, more only while the face moves or is briefly lost.
  EXPECT_GE(track->samples.size(), info->duration_s * 4 - 3);
  EXPECT_LE(track->samples.size(), info->duration_s * 4 * 1.5);
  int matched = 0;
  for (const auto& s : track->samples) {
    if (s.faces.empty()) continue;
    // The 640 px photo's corner is at (320 + 60 sin(t/4), 20); its face spans x 177-270,
    // y 67-160 of the 512 px original (x 1.25 here).
    const Box& f = s.faces.front();
    const Box truth{320 + 60 * std::sin(s.t_s / 4) + 177 * 1.25, 20 + 67 * 1.25, 93 * 1.25,
                    93 * 1.25};
    matched += IoU(f, truth) >= 0.6;
  }
  // Issue #4's bar: IoU >= 0.6 with the truth on >= 95 % of the samples.
  std::printf("[ measured ] face IoU>=0.6 on %d of %zu samples\n", matched, track->samples.size());
  EXPECT_GE(matched, static_cast<int>(track->samples.size() * 0.95));
}

TEST(FaceSampler, PortraitVideoIsAnalysedUpright) {
  auto info = Probe(FixturePath("rotated.mp4"));
  ASSERT_TRUE(info.ok());
  auto track = SampleFaces(FixturePath("rotated.mp4"), *info, {}, {});
  ASSERT_TRUE(track.ok());
  EXPECT_EQ(track->frame_width, 720);
  EXPECT_EQ(track->frame_height, 1280);
  int with_face = 0;
  for (const auto& s : track->samples) with_face += !s.faces.empty();
  EXPECT_GE(with_face, static_cast<int>(track->samples.size() * 0.8));
}

TEST(FaceSampler, FindsThePictureInsidePillarboxBars) {
  auto info = Probe(FixturePath("pillarbox.mp4"));
  ASSERT_TRUE(info.ok());
  auto track = SampleFaces(FixturePath("pillarbox.mp4"), *info, {}, {});
  ASSERT_TRUE(track.ok());
  // The picture is x 160-1120 of 1280.
  EXPECT_NEAR(track->content.x, 160, 8);
  EXPECT_NEAR(track->content.x + track->content.w, 1120, 8);
  EXPECT_NEAR(track->content.y, 0, 1);
  EXPECT_NEAR(track->content.h, 720, 1);
  // The face sits near the picture's left edge: the crop stops at the bar.
  const CropPlan plan = PlanCrop(*track, info->duration_s, {});
  ASSERT_TRUE(plan.found_face);
  double leftmost = 1e9;
  for (const auto& k : plan.keys) {
    leftmost = std::min(leftmost, k.box.x);
    EXPECT_GE(k.box.x, track->content.x - 1e-6);
    EXPECT_LE(k.box.x + k.box.w, track->content.x + track->content.w + 1e-6);
  }
  EXPECT_NEAR(leftmost, track->content.x, 1.0);  // it wanted to go further left
}

TEST(FaceSampler, FullFramePictureHasNoContentBox) {
  auto info = Probe(FixturePath("pitch.mp4"));
  ASSERT_TRUE(info.ok());
  FaceSamplerParams p;
  p.sample_fps = 1;
  auto track = SampleFaces(FixturePath("pitch.mp4"), *info, p, {});
  ASSERT_TRUE(track.ok());
  EXPECT_EQ(track->content.w, 0);
}

TEST(FaceSampler, NoFaceInATestPattern) {
  auto info = Probe(FixturePath("noface.mp4"));
  ASSERT_TRUE(info.ok());
  auto track = SampleFaces(FixturePath("noface.mp4"), *info, {}, {});
  ASSERT_TRUE(track.ok());
  int with_face = 0;
  for (const auto& s : track->samples) with_face += !s.faces.empty();
  EXPECT_LE(with_face, 2);
}

TEST(FaceSampler, CancelStops) {
  auto info = Probe(FixturePath("pitch.mp4"));
  ASSERT_TRUE(info.ok());
  StageCallbacks cb;
  cb.should_abort = [] { return true; };
  auto track = SampleFaces(FixturePath("pitch.mp4"), *info, {}, cb);
  ASSERT_FALSE(track.ok());
  EXPECT_EQ(track.status().code(), StatusCode::kCancelled);
}

}  // namespace
}  // namespace presgen
