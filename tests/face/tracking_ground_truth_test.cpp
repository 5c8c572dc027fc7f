// Face tracking against ground truth: face_motion.mp4 moves a real face photo
// along a known path (tests/fixtures/face_motion.py), so the true face box of
// every frame is known. Sampling, detection and crop planning run for real.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/crop_path.h"
#include "face/crop_planner.h"
#include "face/face_crop_tracker.h"
#include "face/face_sampler.h"
#include "media/video_decoder.h"
#include "media/probe.h"
#include "support/fixtures.h"

namespace presgen {
namespace {

struct Truth {
  double fps = 30;
  std::vector<std::optional<Box>> main;    // per frame; empty when not fully in frame
  std::vector<std::optional<Box>> second;
  nlohmann::json meta;
  std::optional<Box> MainAt(double t) const {
    const size_t n = std::min(main.size() - 1, static_cast<size_t>(std::lround(t * fps)));
    return main[n];
  }
};

std::optional<Box> BoxOf(const nlohmann::json& j) {
  if (j.is_null()) return std::nullopt;
  return Box{j[0], j[1], j[2], j[3]};
}

// Each test runs on two crop paths: PlanCrop over a separate sampling pass
// ("batch"), and FaceCropTracker fed frame by frame as the compositor does
// ("streamed", what `presgen render` uses).
class FaceMotion : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() {
    std::ifstream f(test::FixturePath("face_motion.json"));
    truth_ = new Truth;
    truth_->meta = nlohmann::json::parse(f);
    truth_->fps = truth_->meta["fps"];
    for (const auto& fr : truth_->meta["frames"]) {
      truth_->main.push_back(BoxOf(fr["main"]));
      truth_->second.push_back(BoxOf(fr["second"]));
    }
    auto info = Probe(test::FixturePath("face_motion.mp4"));
    ASSERT_TRUE(info.ok()) << info.status().ToString();
    info_ = new MediaInfo(*info);
    auto track = SampleFaces(test::FixturePath("face_motion.mp4"), *info, {}, {});
    ASSERT_TRUE(track.ok()) << track.status().ToString();
    track_ = new FaceTrack(*track);
    plan_ = new CropPlan(PlanCrop(*track_, info->duration_s, {}));
    Stream(*info);
  }
  // Decodes every frame, shows it to a FaceCropTracker and asks for each output
  // frame's crop (30 fps) as soon as it is final, like Compose().
  static void Stream(const MediaInfo& info) {
    auto tracker = FaceCropTracker::Create(info, {});
    ASSERT_TRUE(tracker.ok());
    auto decoder = VideoDecoder::Open(test::FixturePath("face_motion.mp4"), {});
    ASSERT_TRUE(decoder.ok());
    streamed_keys_ = new std::vector<CropKey>;
    AVFrame* frame = nullptr;
    double t = 0;
    int64_t k = 0;
    const int64_t total = std::llround(info.duration_s * 30);
    auto emit = [&](double until) {
      for (; k < total && k / 30.0 <= until; ++k) {
        streamed_keys_->push_back({k / 30.0, (*tracker)->CropAt(k / 30.0)});
      }
    };
    while (true) {
      auto more = decoder->Next(&frame, &t);
      ASSERT_TRUE(more.ok());
      if (!*more) break;
      ASSERT_TRUE((*tracker)->Observe(frame, decoder->rotation_deg(), t).ok());
      emit((*tracker)->FinalUntil());
    }
    (*tracker)->Finish();
    emit(1e9);
    streamed_track_ = new FaceTrack((*tracker)->TakeTrack());
    std::printf("[ measured ] streamed face analysis: %zu samples\n", streamed_track_->samples.size());
  }
  static const std::vector<CropKey>& Keys() {
    return GetParam() == "batch" ? plan_->keys : *streamed_keys_;
  }
  static const FaceTrack& Track() { return GetParam() == "batch" ? *track_ : *streamed_track_; }
  static void TearDownTestSuite() {
    delete truth_;
    delete info_;
    delete track_;
    delete plan_;
    delete streamed_keys_;
    delete streamed_track_;
  }
  // Crop centre at t, in output-panel pixels (the crop scaled to 720 high).
  static std::pair<double, double> CentreAt(double t, double* scale = nullptr) {
    const Box c = CropAt(Keys(), t);
    const double k = 720.0 / c.h;
    if (scale) *scale = k;
    return {c.cx() * k, c.cy() * k};
  }
  static double Within(const nlohmann::json& range, int i) { return range[i].get<double>(); }

  static Truth* truth_;
  static MediaInfo* info_;
  static FaceTrack* track_;
  static CropPlan* plan_;
  static std::vector<CropKey>* streamed_keys_;
  static FaceTrack* streamed_track_;
};
Truth* FaceMotion::truth_ = nullptr;
MediaInfo* FaceMotion::info_ = nullptr;
FaceTrack* FaceMotion::track_ = nullptr;
CropPlan* FaceMotion::plan_ = nullptr;
std::vector<CropKey>* FaceMotion::streamed_keys_ = nullptr;
FaceTrack* FaceMotion::streamed_track_ = nullptr;

TEST_P(FaceMotion, DetectionsMatchTheTruthWhereTheFaceIsVisible) {
  int visible = 0, matched = 0;
  for (const auto& s : Track().samples) {
    const auto truth = truth_->MainAt(s.t_s);
    if (!truth) continue;
    ++visible;
    double best = 0;
    for (const auto& f : s.faces) best = std::max(best, IoU(f, *truth));
    matched += best >= 0.6;
  }
  std::printf("[ measured %s ] ", GetParam().c_str()); std::printf("IoU >= 0.6 on %d of %d samples with a visible face (%.1f %%)\n",
              matched, visible, 100.0 * matched / std::max(1, visible));
  ASSERT_GT(visible, 60);
  EXPECT_GE(matched, static_cast<int>(std::ceil(visible * 0.95)));
}

TEST_P(FaceMotion, SamplesMoreOftenWhileTheFaceMoves) {
  const auto rate = [&](double t0, double t1) {
    int n = 0;
    for (const auto& s : Track().samples) n += s.t_s >= t0 && s.t_s < t1;
    return n / (t1 - t0);
  };
  const double still = rate(1.0, 4.0);
  const double moving = rate(Within(truth_->meta["fast_move"], 0), Within(truth_->meta["fast_move"], 1) + 0.5);
  std::printf("[ measured %s ] ", GetParam().c_str()); std::printf("samples per second: %.1f still, %.1f around the fast move\n", still, moving);
  EXPECT_NEAR(still, 4.0, 0.5);
  EXPECT_GE(moving, 8.0);
}

TEST_P(FaceMotion, CropIsStillWhileTheFaceIsStill) {
  for (const auto& range : truth_->meta["still"]) {
    const double t0 = Within(range, 0) + 0.5, t1 = Within(range, 1);  // after settling
    double sum = 0;
    int n = 0;
    auto prev = CentreAt(t0);
    for (double t = t0 + 1 / 30.0; t <= t1; t += 1 / 30.0, ++n) {
      const auto c = CentreAt(t);
      sum += std::pow(c.first - prev.first, 2) + std::pow(c.second - prev.second, 2);
      prev = c;
    }
    const double rms = std::sqrt(sum / std::max(1, n));
    std::printf("[ measured %s ] ", GetParam().c_str()); std::printf("crop-centre jitter %.3f px/frame RMS over %.1f-%.1f s\n", rms, t0, t1);
    EXPECT_LE(rms, 1.0);
  }
}

TEST_P(FaceMotion, CropFollowsAFastMoveWithoutLag) {
  // Time at which the truth and the crop centre each cover half of the move.
  const double t0 = Within(truth_->meta["fast_move"], 0) - 0.5;
  const double t1 = Within(truth_->meta["fast_move"], 1) + 1.5;
  const auto truth_x = [&](double t) { return truth_->MainAt(t)->cx(); };
  const auto crop_x = [&](double t) { return CropAt(Keys(), t).cx(); };
  const auto half_time = [&](auto x) {
    const double a = x(t0), b = x(t1), mid = (a + b) / 2;
    for (double t = t0; t <= t1; t += 0.005)
      if ((b > a) == (x(t) >= mid)) return t;
    return t1;
  };
  const double lag = half_time(crop_x) - half_time(truth_x);
  std::printf("[ measured %s ] ", GetParam().c_str()); std::printf("follow lag after the fast move: %.3f s\n", lag);
  EXPECT_LE(std::abs(lag), 0.3);
  // And it arrives: 1 s after the move the face is centred horizontally in the crop.
  const Box c = CropAt(Keys(), t1 - 0.5);
  EXPECT_NEAR(c.cx(), truth_x(t1 - 0.5), c.w * 0.1);
}

TEST_P(FaceMotion, FaceAlwaysInsideTheCropWhileVisible) {
  int frames = 0, inside = 0;
  for (double t = 0; t < info_->duration_s; t += 1 / 30.0) {
    const auto truth = truth_->MainAt(t);
    if (!truth) continue;
    // Skip the instants right after the jump cut: a cut cannot be anticipated.
    if (t >= 11.0 && t < 11.5) continue;
    ++frames;
    const Box c = CropAt(Keys(), t);
    inside += truth->x >= c.x - 1 && truth->x + truth->w <= c.x + c.w + 1 &&
              truth->y >= c.y - 1 && truth->y + truth->h <= c.y + c.h + 1;
  }
  std::printf("[ measured %s ] ", GetParam().c_str()); std::printf("face fully inside the crop on %d of %d frames\n", inside, frames);
  EXPECT_GE(inside, static_cast<int>(frames * 0.97));
}

TEST_P(FaceMotion, CropStaysOnTheMainFaceWhenASecondOneAppears) {
  const auto& range = truth_->meta["second_face"];
  int seen_second = 0;
  for (const auto& s : Track().samples) {
    if (s.t_s < Within(range, 0) || s.t_s > Within(range, 1)) continue;
    seen_second += s.faces.size() >= 2;
    const Box c = CropAt(Keys(), s.t_s);
    const auto main = truth_->MainAt(s.t_s);
    ASSERT_TRUE(main);
    EXPECT_GT(IoU(Box{main->x, main->y, main->w, main->h}, c), 0.0);
    EXPECT_NEAR(c.cx(), main->cx(), c.w * 0.15) << "at " << s.t_s;
  }
  // The second face really is detected (by the whole-frame detections, one a
  // second), so the choice is real.
  EXPECT_GE(seen_second, 2);
}

TEST_P(FaceMotion, WithoutAFaceTheCropHoldsThenEasesToTheCentre) {
  const double away0 = Within(truth_->meta["away"], 0), away1 = Within(truth_->meta["away"], 1);
  const Box before = CropAt(Keys(), away0 - 0.8);
  const Box held = CropAt(Keys(), away0 + 0.3);
  EXPECT_NEAR(held.cx(), before.cx(), before.w * 0.6);  // still near where the face was
  // It never jumps: at most 1/10 of the crop width per frame.
  for (double t = away0 - 1; t < away1 + 1; t += 1 / 30.0) {
    EXPECT_LE(std::abs(CropAt(Keys(), t + 1 / 30.0).cx() - CropAt(Keys(), t).cx()),
              before.w * 0.1)
        << "at " << t;
  }
}

TEST_P(FaceMotion, CropNeverLeavesTheFrameAndKeepsItsAspect) {
  for (const auto& k : Keys()) {
    EXPECT_GE(k.box.x, -1e-6);
    EXPECT_GE(k.box.y, -1e-6);
    EXPECT_LE(k.box.x + k.box.w, info_->display_width + 1e-6);
    EXPECT_LE(k.box.y + k.box.h, info_->display_height + 1e-6);
    EXPECT_NEAR(k.box.w / k.box.h, 640.0 / 720.0, 0.01);
  }
}

INSTANTIATE_TEST_SUITE_P(Paths, FaceMotion, ::testing::Values("batch", "streamed"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace presgen
