// Stage deadlines: an engine call that runs past its deadline is cancelled through its abort
// callback and becomes that engine's failure (its fallback, its breaker), never a hang.
// The state machine runs on a FakeClock; one real render has an engine made to hang.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "core/clock.h"
#include "pipeline/circuit_breaker.h"
#include "pipeline/job_context.h"
#include "pipeline/render_job.h"
#include "pipeline/stage_deadlines.h"
#include "support/fixtures.h"
#include "support/temp_dir.h"

namespace presgen {
namespace {

TEST(StageDeadlines, ScaleWithTheInputAndTheOperatorsFactor) {
  const auto one = StageDeadlinesFor(60, 1.0);
  const auto three_minutes = StageDeadlinesFor(180, 1.0);
  for (const char* stage : {"audio", "transcribe", "summarize", "html_slides", "compose"}) {
    ASSERT_TRUE(one.count(stage)) << stage;
    EXPECT_GT(one.at(stage), 0) << stage;
    EXPECT_GE(three_minutes.at(stage), one.at(stage)) << stage;
  }
  EXPECT_GT(three_minutes.at("compose"), one.at("compose"));
  EXPECT_DOUBLE_EQ(StageDeadlinesFor(60, 2.0).at("transcribe"), 2 * one.at("transcribe"));
  EXPECT_TRUE(StageDeadlinesFor(60, 0).empty()) << "0 turns deadlines off";
}

TEST(StageDeadlines, AnEngineCallPastItsDeadlineIsAbortedAndReportedAsATimeout) {
  FakeClock clock;
  JobContext ctx({}, {}, {});
  ctx.SetDeadlines({{"transcribe", 2.0}}, &clock);
  StageCallbacks cb = ctx.CallbacksFor("transcribe");
  EXPECT_FALSE(cb.Aborted());
  clock.AdvanceMs(1999);
  EXPECT_FALSE(cb.Aborted());
  clock.AdvanceMs(1);
  EXPECT_TRUE(cb.Aborted());
  const Status st = ctx.Explain("transcribe", Status::Cancelled("stopped"));
  EXPECT_EQ(st.code(), StatusCode::kTimeout);
  EXPECT_NE(st.message().find("transcription took longer than its deadline of 2.0 s"),
            std::string::npos)
      << st.message();
  // Other failures pass through as they are.
  EXPECT_EQ(ctx.Explain("transcribe", Status::Internal("model broke")).code(),
            StatusCode::kInternal);
  // A fallback engine's call starts a deadline of its own.
  StageCallbacks again = ctx.CallbacksFor("transcribe");
  EXPECT_FALSE(again.Aborted());
  EXPECT_EQ(ctx.Explain("transcribe", Status::Cancelled("stopped")).code(), StatusCode::kCancelled);
  // A stage without a deadline never times out.
  StageCallbacks compose = ctx.CallbacksFor("compose");
  clock.AdvanceMs(10'000'000);
  EXPECT_FALSE(compose.Aborted());
}

TEST(StageDeadlines, TheUsersCancelStaysACancel) {
  FakeClock clock;
  bool cancelled = false;
  JobContext ctx({}, {}, [&] { return cancelled; });
  ctx.SetDeadlines({{"audio", 1.0}}, &clock);
  StageCallbacks cb = ctx.CallbacksFor("audio");
  clock.AdvanceMs(5000);
  cancelled = true;
  EXPECT_TRUE(cb.Aborted());
  EXPECT_EQ(ctx.Explain("audio", Status::Cancelled("stopped")).code(), StatusCode::kCancelled);
}

TEST(StageDeadlines, StageReportsSaySuccessFallbackAndResources) {
  std::vector<StageReport> reports;
  JobHooks hooks;
  hooks.on_stage_end = [&](const StageReport& r) { reports.push_back(r); };
  JobContext ctx({}, {}, {}, hooks);
  { StageTimer ok(ctx, "probe"); }
  {
    StageTimer degraded(ctx, "transcribe");
    ctx.Degrade("transcribe", "whisper failed", "pocketsphinx");
  }
  {
    StageTimer failing(ctx, "compose");
    ctx.FailRunningStages();
  }
  ASSERT_EQ(reports.size(), 3u);
  EXPECT_EQ(reports[0].stage, "probe");
  EXPECT_TRUE(reports[0].success);
  EXPECT_FALSE(reports[1].success) << "a fallback is not a success";
  EXPECT_FALSE(reports[2].success);
  EXPECT_GT(reports[0].resources.peak_rss_mb, 1);
  EXPECT_EQ(ctx.resources().count("compose"), 1u);
}

// The audio decoder made to hang (it stops at its first step until its abort check turns
// true): the deadline ends it, the job goes on with a title-only deck, and the breaker
// hears that the decoder failed.
TEST(StageDeadlines, AHungEngineIsCancelledAtItsDeadlineAndTheJobGoesOn) {
  testing::TempDir dir("presgen-deadline");
  RenderOptions opt;
  opt.input_path = test::FixturePath("short_pitch.mp4");
  opt.output_path = dir.Path("out.mp4");
  opt.width = 640;
  opt.height = 360;
  opt.threads = 2;
  // audio: 0.1 x (30 s + 0.25 x 15 s) = 3.4 s; compose gets 13.5 s for ~1 s of work.
  opt.stage_deadline_scale = 0.1;
  JobHooks hooks;
  int hung = 0;
  hooks.on_step = [&](const std::string& stage, const std::function<bool()>& should_abort) {
    if (stage != "audio") return;
    ++hung;
    while (!should_abort()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  };
  const auto t0 = std::chrono::steady_clock::now();
  auto result = RunRenderJob(opt, {}, {}, hooks);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_GE(hung, 1);
  std::string why;
  for (const auto& d : result->degraded) {
    if (d.stage == "audio") why = d.reason + " -> " + d.fallback;
  }
  EXPECT_NE(why.find("audio extraction took longer than its deadline of 3.4 s"), std::string::npos)
      << why;
  EXPECT_NE(why.find("title-only deck"), std::string::npos) << why;
  ASSERT_TRUE(result->engine_outcomes.count(kBreakerAudioExtraction));
  EXPECT_FALSE(result->engine_outcomes.at(kBreakerAudioExtraction)) << "counts against the breaker";
  EXPECT_TRUE(std::filesystem::exists(opt.output_path));
  EXPECT_GE(seconds, 3.3);
  EXPECT_LT(seconds, 60) << "bounded by the deadline, not by the hang";
}

}  // namespace
}  // namespace presgen
