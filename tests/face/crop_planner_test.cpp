#include <gtest/gtest.h>

#include <cmath>

#include "face/crop_planner.h"

namespace presgen {
namespace {

// A synthetic track: samples at 4 Hz for `seconds`, faces from `face_at`.
template <typename F>
FaceTrack MakeTrack(double seconds, F face_at) {
  FaceTrack t;
  t.frame_width = 1920;
  t.frame_height = 1080;
  t.sample_fps = 4;
  for (double s = 0; s <= seconds; s += 0.25) t.samples.push_back({s, face_at(s)});
  return t;
}

bool Inside(const Box& b, double w, double h) {
  return b.x >= -1e-6 && b.y >= -1e-6 && b.x + b.w <= w + 1e-6 && b.y + b.h <= h + 1e-6;
}

TEST(CropPlanner, StillFaceGivesAStillCropAroundIt) {
  auto track = MakeTrack(10, [](double) {
    return std::vector<Box>{{900, 300, 200, 200}};
  });
  // Detector noise of a few pixels must not move the crop.
  for (size_t i = 0; i < track.samples.size(); ++i) {
    track.samples[i].faces[0].x += (i % 3) * 3.0 - 3.0;
    track.samples[i].faces[0].y += (i % 2) * 4.0 - 2.0;
  }
  CropPlan plan = PlanCrop(track, 10, {});
  ASSERT_TRUE(plan.found_face);
  ASSERT_GT(plan.keys.size(), 90u);
  double max_step = 0;
  for (size_t i = 1; i < plan.keys.size(); ++i) {
    max_step = std::max(max_step, std::fabs(plan.keys[i].box.x - plan.keys[i - 1].box.x) +
                                      std::fabs(plan.keys[i].box.y - plan.keys[i - 1].box.y));
  }
  EXPECT_LT(max_step, 0.5);
  const Box& b = plan.keys[50].box;
  EXPECT_NEAR(b.cx(), 1000, 15);
  EXPECT_NEAR(b.h, 640, 1);              // 3.2 x face height
  EXPECT_NEAR(b.w / b.h, 640.0 / 720.0, 1e-6);
  // Eyes (face top + 42 %) in the upper part of the crop.
  const double eye_frac = (300 + 0.42 * 200 - b.y) / b.h;
  EXPECT_NEAR(eye_frac, 0.36, 0.03);
}

TEST(CropPlanner, FollowsAMoveWithoutLagAndStaysInside) {
  auto track = MakeTrack(8, [](double s) {
    const double x = s < 4 ? 400 : 1300;  // a jump at 4 s
    return std::vector<Box>{{x, 300, 200, 200}};
  });
  CropPlan plan = PlanCrop(track, 8, {});
  for (const auto& k : plan.keys) EXPECT_TRUE(Inside(k.box, 1920, 1080));
  auto centre_at = [&](double t) { return plan.keys[static_cast<size_t>(t * 10)].box.cx(); };
  EXPECT_NEAR(centre_at(3.0), 500, 40);
  EXPECT_NEAR(centre_at(5.0), 1400, 40);  // settled within a second
}

TEST(CropPlanner, NoFaceGivesACentredCrop) {
  auto track = MakeTrack(5, [](double) { return std::vector<Box>{}; });
  CropPlan plan = PlanCrop(track, 5, {});
  EXPECT_FALSE(plan.found_face);
  ASSERT_FALSE(plan.keys.empty());
  EXPECT_NEAR(plan.keys.front().box.cx(), 960, 1);
  EXPECT_NEAR(plan.keys.front().box.h, 1080, 1);
}

TEST(CropPlanner, StaysOnTheMainSpeakerWhenASecondFaceAppears) {
  auto track = MakeTrack(6, [](double s) {
    std::vector<Box> faces{{600, 300, 220, 220}};
    if (static_cast<int>(s * 4) % 2 == 0) faces.push_back({1500, 350, 120, 120});
    return faces;
  });
  CropPlan plan = PlanCrop(track, 6, {});
  for (const auto& k : plan.keys) EXPECT_NEAR(k.box.cx(), 710, 30);
}

TEST(CropPlanner, NeverUpscalesATinyFaceMoreThanTwice) {
  auto track = MakeTrack(4, [](double) { return std::vector<Box>{{900, 500, 40, 40}}; });
  CropPlan plan = PlanCrop(track, 4, {});
  EXPECT_GE(plan.keys.front().box.h, 360 - 1e-6);  // 720 px panel / 2
}

TEST(CropPlanner, LostFaceHoldsThenEasesToCentre) {
  auto track = MakeTrack(10, [](double s) {
    return s < 3 ? std::vector<Box>{{200, 300, 200, 200}} : std::vector<Box>{};
  });
  CropPlan plan = PlanCrop(track, 10, {});
  const double held = plan.keys[40].box.cx();   // 4 s: 1 s after loss
  const double eased = plan.keys[90].box.cx();  // 9 s
  EXPECT_NEAR(held, plan.keys[20].box.cx(), 5);
  // The dead zone may leave the crop up to its width (4 % of the crop) short of centre.
  EXPECT_NEAR(eased, 960, 0.04 * plan.keys[90].box.w + 1);
}

}  // namespace
}  // namespace presgen
