// Circuit breakers on a fake clock: no sleeps.
#include "pipeline/circuit_breaker.h"

#include <gtest/gtest.h>

#include <vector>

namespace presgen {
namespace {

TEST(CircuitBreaker, OpensAfterItsFailuresAndRefusesWithTheWait) {
  FakeClock clock;
  CircuitBreaker b("summarization", {2, 60000}, clock);
  std::vector<std::string> changes;
  b.OnTransition([&](const std::string& name, BreakerState from, BreakerState to) {
    changes.push_back(name + ":" + ToString(from) + "->" + ToString(to));
  });
  EXPECT_TRUE(b.Allow().allowed);
  b.RecordFailure();
  EXPECT_EQ(b.state(), BreakerState::kClosed);  // one failure is not a pattern
  b.RecordSuccess();
  b.RecordFailure();
  EXPECT_EQ(b.state(), BreakerState::kClosed);  // the success reset the count
  b.RecordFailure();
  EXPECT_EQ(b.state(), BreakerState::kOpen);
  clock.AdvanceMs(19000);
  const auto refused = b.Allow();
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.reason, "circuit open after 2 failures; next try in 41 s");
  EXPECT_EQ(changes, std::vector<std::string>{"summarization:closed->open"});
}

TEST(CircuitBreaker, HalfOpenLetsOneProbeThroughAndItsOutcomeDecides) {
  FakeClock clock;
  CircuitBreaker b("transcription", {2, 60000}, clock);
  b.RecordFailure();
  b.RecordFailure();
  clock.AdvanceMs(60000);
  const auto probe = b.Allow();
  EXPECT_TRUE(probe.allowed);
  EXPECT_TRUE(probe.probe);
  EXPECT_EQ(b.state(), BreakerState::kHalfOpen);
  const auto second = b.Allow();  // another job while the probe runs
  EXPECT_FALSE(second.allowed);
  EXPECT_NE(second.reason.find("another job is probing"), std::string::npos);
  b.RecordFailure();  // the probe failed: open again, for a whole cool-down
  EXPECT_EQ(b.state(), BreakerState::kOpen);
  clock.AdvanceMs(59000);
  EXPECT_FALSE(b.Allow().allowed);
  clock.AdvanceMs(1000);
  EXPECT_TRUE(b.Allow().probe);
  b.RecordSuccess();  // the probe worked: closed, everyone calls again
  EXPECT_EQ(b.state(), BreakerState::kClosed);
  EXPECT_TRUE(b.Allow().allowed);
  EXPECT_FALSE(b.Allow().probe);
}

TEST(CircuitBreaker, AProbeThatNeverReportsIsGivenUpAfterACooldown) {
  FakeClock clock;
  CircuitBreaker b("face_detection", {3, 1000}, clock);
  for (int i = 0; i < 3; ++i) b.RecordFailure();
  clock.AdvanceMs(1000);
  EXPECT_TRUE(b.Allow().probe);  // its job dies before reporting
  EXPECT_FALSE(b.Allow().allowed);
  clock.AdvanceMs(1000);
  EXPECT_TRUE(b.Allow().probe);
}

TEST(BreakerSet, RefusesOnlyTheOpenBreakersAJobWouldCall) {
  FakeClock clock;
  BreakerSet set(30000, clock);
  set.Record({{kBreakerSummarization, false}});
  set.Record({{kBreakerSummarization, false}, {kBreakerFaceDetection, false}});
  RenderOptions opt;
  opt.summarizer = "llm";
  ApplyOpenBreakers(set, &opt);
  ASSERT_EQ(opt.open_breakers.size(), 1u);
  EXPECT_EQ(opt.open_breakers[kBreakerSummarization],
            "circuit open after 2 failures; next try in 30 s");
  RenderOptions local;  // extractive: the LLM's breaker is not its business
  ApplyOpenBreakers(set, &local);
  EXPECT_TRUE(local.open_breakers.empty());
  EXPECT_EQ(set.Find(kBreakerFaceDetection)->state(), BreakerState::kClosed);  // 1 of 3
  EXPECT_EQ(EngineOutcomesOf(nlohmann::json::parse(
                R"({"engine_outcomes":{"summarization":"failed","transcription":"worked"}})")),
            (std::map<std::string, bool>{{"summarization", false}, {"transcription", true}}));
  EXPECT_TRUE(EngineOutcomesOf(nlohmann::json::parse(R"({"engine_outcomes":[1]})")).empty());
}

}  // namespace
}  // namespace presgen
