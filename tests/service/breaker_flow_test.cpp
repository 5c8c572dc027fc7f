// A dead LLM endpoint behind `presgen serve`: the first two jobs pay for a failed call, the
// next ones take the extractive summariser at once, saying why, until the cool-down.
#include "pipeline/circuit_breaker.h"
#include "service/service_harness.h"
#include "support/fake_openai_server.h"
#include "support/prometheus_text.h"

namespace presgen::testing {
namespace {

using nlohmann::json;

std::string DegradedText(const json& job) {
  std::string all;
  for (const auto& d : job["degraded"]) all += d.value("reason", "") + "\n";
  return all;
}

TEST(Breakers, ADeadLlmCostsTwoJobsAFailedCallAndTheNextOnesNothing) {
  FakeOpenAiServer llm;
  llm.SetReply({500, R"({"error":{"message":"the model is down"}})", 0});
  TempDir dir("presgen-breaker");
  ServiceParams params = TestServiceParams(dir.path());
  params.render.llm_url = llm.base_url();
  params.render.llm_model = "demo-model";
  params.render.llm_price_in_per_mtok_usd = 0;
  params.render.llm_price_out_per_mtok_usd = 0;
  ServiceHarness server(params);
  auto client = server.Client();
  const std::string video = ReadFileBytes(FixturePath("short_pitch.mp4"));

  std::vector<json> jobs;
  for (int i = 0; i < 4; ++i) {
    auto posted = PostVideo(*client, video, R"({"review":true,"size":"640x360","summarizer":"llm"})");
    ASSERT_TRUE(posted);
    ASSERT_EQ(posted->status, 202) << posted->body;
    json job = WaitForStatus(*client, JsonOf(posted)["id"], {"review", "failed"});
    ASSERT_EQ(job["status"], "review") << job.dump();
    jobs.push_back(job);
  }
  EXPECT_EQ(llm.request_count(), 2u) << "jobs 3 and 4 still called the dead endpoint";
  for (int i = 0; i < 2; ++i) {
    EXPECT_NE(DegradedText(jobs[i]).find("LLM summariser failed"), std::string::npos)
        << jobs[i].dump();
  }
  for (int i = 2; i < 4; ++i) {
    const std::string why = DegradedText(jobs[i]);
    EXPECT_NE(why.find("circuit open after 2 failures; next try in "), std::string::npos) << why;
    EXPECT_GE(jobs[i]["slide_count"].get<int>(), 1);  // the extractive deck is there
  }
  auto metrics = client->Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("presgen_circuit_state{breaker=\"summarization\"} 1"),
            std::string::npos)
      << metrics->body;
  EXPECT_NE(metrics->body.find("presgen_circuit_state{breaker=\"transcription\"} 0"),
            std::string::npos);
  const PrometheusText scraped = ParsePrometheusText(metrics->body);
  EXPECT_TRUE(scraped.errors.empty()) << ::testing::PrintToString(scraped.errors);
  EXPECT_EQ(scraped.Value("presgen_fallbacks_total", {{"stage", "summarize"}}), 4)
      << "every job took the extractive summariser: two after a failed call, two at once";
  EXPECT_EQ(scraped.Value("presgen_runs_total", {{"outcome", "succeeded"}}), 4);
}

}  // namespace
}  // namespace presgen::testing
