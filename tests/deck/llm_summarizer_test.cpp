// SummarizeWithLlm against a real HTTP server on loopback (FakeOpenAiServer).
#include "deck/llm_summarizer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>

#include "deck/pitch_transcript.h"
#include "support/fake_openai_server.h"

namespace presgen {
namespace {

using nlohmann::json;
using testing::FakeOpenAiServer;
using testing::kPitchSentences;
using testing::OnsetOf;
using testing::Speak;
using Clock = std::chrono::steady_clock;

// What a good model answers for kPitchSentences.
const char* const kGoodDeck = R"({"slides": [
  {"title": "Green Box", "start_sentence": 0,
   "bullets": [{"text": "Anna, founder of Green Box", "sentence": 0}]},
  {"title": "Restaurants Waste Food", "start_sentence": 1,
   "bullets": [{"text": "40% of food bought is thrown away", "sentence": 1},
               {"text": "Hurts margins and the planet", "sentence": 2}]},
  {"title": "Demand Forecasting", "start_sentence": 3,
   "bullets": [{"text": "Predicts demand for each dish", "sentence": 3},
               {"text": "Plugs into point of sale in 10 minutes", "sentence": 4}]},
  {"title": "Traction", "start_sentence": 5,
   "bullets": [{"text": "Food waste halved in 3 months", "sentence": 5},
               {"text": "12 restaurants, $10K a month", "sentence": 6}]},
  {"title": "Raising $1M", "start_sentence": 7,
   "bullets": [{"text": "$2B kitchen software market", "sentence": 7},
               {"text": "$1M to grow the sales team", "sentence": 8}]}]})";

class LlmSummarizer : public ::testing::Test {
 protected:
  LlmParams Params() const {
    LlmParams p = DefaultLlmParams();
    p.base_url = server_.base_url();
    p.model = "gpt-test-mini";
    p.timeout_ms = 5000;
    return p;
  }
  Result<LlmDeckResult> Run(const LlmParams& p) {
    return SummarizeWithLlm(t_, t_.duration_s, DefaultSummarizerParams(), p);
  }
  void Reply(int status, std::string body, int delay_ms = 0) {
    server_.SetReply({status, std::move(body), delay_ms});
  }
  static bool Mentions(const Status& s, const std::string& part) {
    return s.message().find(part) != std::string::npos;
  }

  const Transcript t_ = Speak(kPitchSentences);
  FakeOpenAiServer server_;
};

TEST_F(LlmSummarizer, AGoodAnswerBecomesTheDeck) {
  Reply(200, FakeOpenAiServer::ChatCompletion(kGoodDeck, 900, 300));
  auto r = Run(Params());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->repairs.empty()) << r->repairs.front();
  const auto& s = r->deck.slides;
  ASSERT_EQ(s.size(), 5u);
  const int starts[] = {0, 1, 3, 5, 7};
  for (size_t i = 0; i < s.size(); ++i) {
    EXPECT_EQ(s[i].index, int(i));
    EXPECT_FALSE(s[i].title.empty());
    if (i == 0) {
      EXPECT_DOUBLE_EQ(s[i].start_s, 0.0);
    } else {
      EXPECT_NEAR(s[i].start_s, OnsetOf(t_, starts[i]), 0.1) << "slide " << i;
      EXPECT_DOUBLE_EQ(s[i - 1].end_s, s[i].start_s);
    }
    ASSERT_EQ(s[i].sources.size(), s[i].bullets.size());
  }
  EXPECT_NEAR(s.back().end_s, t_.duration_s, 1e-9);
  EXPECT_EQ(s[0].title, "Green Box");
  EXPECT_EQ(s[3].bullets[1], "12 restaurants, $10K a month");
  EXPECT_EQ(s[3].sources[1].segment, 6);
  EXPECT_EQ(s[4].title, "Raising $1M");
  // Cost from the reported usage at the default prices ($0.15 / $0.60 per Mtok).
  EXPECT_EQ(r->prompt_tokens, 900);
  EXPECT_EQ(r->completion_tokens, 300);
  EXPECT_FALSE(r->usage_estimated);
  EXPECT_NEAR(r->cost_usd, (900 * 0.15 + 300 * 0.60) / 1e6, 1e-12);
  EXPECT_EQ(r->model, "fake-model-2024-07-18");
}

TEST_F(LlmSummarizer, TheRequestCarriesModelSchemaAndEverySentence) {
  Reply(200, FakeOpenAiServer::ChatCompletion(kGoodDeck));
  ASSERT_TRUE(Run(Params()).ok());
  const auto seen = server_.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].path, "/v1/chat/completions");
  const json body = json::parse(seen[0].body);
  EXPECT_EQ(body["model"], "gpt-test-mini");
  EXPECT_DOUBLE_EQ(body["temperature"].get<double>(), 0.2);
  EXPECT_EQ(body["max_tokens"], 1200);
  const json& format = body["response_format"];
  EXPECT_EQ(format["type"], "json_schema");
  EXPECT_EQ(format["json_schema"]["name"], "deck");
  EXPECT_EQ(format["json_schema"]["strict"], true);
  const json& slide = format["json_schema"]["schema"]["properties"]["slides"]["items"];
  EXPECT_TRUE(slide["properties"].contains("start_sentence"));
  EXPECT_EQ(slide["properties"]["bullets"]["items"]["properties"]["sentence"]["type"], "integer");
  ASSERT_EQ(body["messages"].size(), 2u);
  EXPECT_EQ(body["messages"][0]["role"], "system");
  const std::string system = body["messages"][0]["content"];
  EXPECT_NE(system.find("3 to 5 slides"), std::string::npos) << system;
  EXPECT_NE(system.find("\"40%\""), std::string::npos);
  const std::string user = body["messages"][1]["content"];
  for (size_t i = 0; i < kPitchSentences.size(); ++i) {
    EXPECT_NE(user.find("[" + std::to_string(i) + "] "), std::string::npos) << i;
    EXPECT_NE(user.find(kPitchSentences[i]), std::string::npos) << kPitchSentences[i];
  }
  char onset[32];
  std::snprintf(onset, sizeof onset, "[3] %.2f s: Our software", OnsetOf(t_, 3));
  EXPECT_NE(user.find(onset), std::string::npos) << user;
}

TEST_F(LlmSummarizer, AnApiKeyIsSentAsABearerTokenOnlyWhenSet) {
  Reply(200, FakeOpenAiServer::ChatCompletion(kGoodDeck));
  LlmParams p = Params();
  ASSERT_TRUE(Run(p).ok());
  p.api_key = "sk-test-123";
  ASSERT_TRUE(Run(p).ok());
  const auto seen = server_.requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_FALSE(seen[0].has_authorization);
  EXPECT_TRUE(seen[1].has_authorization);
  EXPECT_EQ(seen[1].authorization, "Bearer sk-test-123");
}

TEST_F(LlmSummarizer, AFullChatCompletionsUrlIsUsedAsIs) {
  Reply(200, FakeOpenAiServer::ChatCompletion(kGoodDeck));
  LlmParams p = Params();
  p.base_url = server_.base_url() + "/chat/completions";
  ASSERT_TRUE(Run(p).ok());
  p.base_url = server_.base_url() + "/";
  ASSERT_TRUE(Run(p).ok());
  for (const auto& seen : server_.requests()) EXPECT_EQ(seen.path, "/v1/chat/completions");
}

TEST_F(LlmSummarizer, AFencedAnswerIsAccepted) {
  Reply(200, FakeOpenAiServer::ChatCompletion(std::string("```json\n") + kGoodDeck + "\n```"));
  auto r = Run(Params());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->deck.slides.size(), 5u);
}

TEST_F(LlmSummarizer, OutOfRangeSentencesAreRepaired) {
  Reply(200, FakeOpenAiServer::ChatCompletion(R"({"slides": [
    {"title": "Green Box", "start_sentence": -3, "bullets": [{"text": "Anna", "sentence": 0}]},
    {"title": "Problem", "start_sentence": 1,
     "bullets": [{"text": "forty percent of food wasted", "sentence": 1}]},
    {"title": "Thanks", "start_sentence": 57, "bullets": [{"text": "Thank you", "sentence": 99}]}
  ]})"));
  auto r = Run(Params());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const auto& s = r->deck.slides;
  ASSERT_EQ(s.size(), 3u);
  EXPECT_DOUBLE_EQ(s[0].start_s, 0.0);
  EXPECT_NEAR(s[2].start_s, OnsetOf(t_, 9), 0.1);
  EXPECT_EQ(s[2].sources[0].segment, 9);
  EXPECT_EQ(s[1].bullets[0], "40% of food wasted");
  EXPECT_GE(r->repairs.size(), 3u);
}

TEST_F(LlmSummarizer, MalformedContentIsAnInternalError) {
  Reply(200, FakeOpenAiServer::ChatCompletion("{\"slides\": [{\"title\": \"Green"));
  auto r = Run(Params());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInternal);
  EXPECT_TRUE(Mentions(r.status(), "LLM answer: not valid JSON")) << r.status().message();
}

TEST_F(LlmSummarizer, AnAnswerCutAtMaxTokensSaysSo) {
  Reply(200,
        FakeOpenAiServer::ChatCompletion("{\"slides\": [{\"title\": \"Gr", 900, 1200, "length"));
  auto r = Run(Params());
  EXPECT_EQ(r.status().code(), StatusCode::kInternal);
  EXPECT_TRUE(Mentions(r.status(), "cut off at max_tokens (1200)")) << r.status().message();
}

TEST_F(LlmSummarizer, AReplyThatIsNotChatCompletionJsonIsAnInternalError) {
  Reply(200, "<html>gateway</html>");
  auto r = Run(Params());
  EXPECT_EQ(r.status().code(), StatusCode::kInternal);
  EXPECT_TRUE(Mentions(r.status(), "not JSON")) << r.status().message();
  Reply(200, R"({"choices": []})");
  EXPECT_TRUE(Mentions(Run(Params()).status(), "no choices"));
  Reply(200, R"({"choices": [{"message": {"content": null, "refusal": "I can't help"}}]})");
  EXPECT_TRUE(Mentions(Run(Params()).status(), "the model refused: I can't help"));
}

TEST_F(LlmSummarizer, MissingUsageIsEstimatedAndSaidSo) {
  Reply(200, FakeOpenAiServer::ChatCompletion(kGoodDeck, -1));
  auto r = Run(Params());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->usage_estimated);
  EXPECT_GT(r->prompt_tokens, 200);
  EXPECT_GT(r->completion_tokens, 100);
  EXPECT_GT(r->cost_usd, 0);
  ASSERT_FALSE(r->repairs.empty());
  EXPECT_NE(r->repairs[0].find("no token usage"), std::string::npos);
}

TEST_F(LlmSummarizer, RateLimitAndServerErrorsAreUnavailable) {
  Reply(429, R"({"error": {"message": "Rate limit reached for requests", "type": "requests"}})");
  auto limited = Run(Params());
  EXPECT_EQ(limited.status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(Mentions(limited.status(), "HTTP 429")) << limited.status().message();
  EXPECT_TRUE(Mentions(limited.status(), "Rate limit reached"));
  Reply(500, "upstream\nexploded");
  auto failed = Run(Params());
  EXPECT_EQ(failed.status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(Mentions(failed.status(), "HTTP 500")) << failed.status().message();
  EXPECT_EQ(failed.status().message().find('\n'), std::string::npos);
}

TEST_F(LlmSummarizer, ARefusedKeyIsABadArgument) {
  Reply(401, R"({"error": {"message": "Incorrect API key provided"}})");
  auto r = Run(Params());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
  EXPECT_TRUE(Mentions(r.status(), "HTTP 401")) << r.status().message();
}

TEST_F(LlmSummarizer, ASlowServerTimesOut) {
  Reply(200, FakeOpenAiServer::ChatCompletion(kGoodDeck), /*delay_ms=*/3000);
  LlmParams p = Params();
  p.timeout_ms = 300;
  const auto start = Clock::now();
  auto r = Run(p);
  const double elapsed_s = std::chrono::duration<double>(Clock::now() - start).count();
  EXPECT_EQ(r.status().code(), StatusCode::kTimeout) << r.status().ToString();
  EXPECT_TRUE(Mentions(r.status(), "within 300 ms")) << r.status().message();
  EXPECT_GE(elapsed_s, 0.29);
  EXPECT_LT(elapsed_s, 1.5);
}

TEST_F(LlmSummarizer, AbortStopsAWaitingRequest) {
  Reply(200, FakeOpenAiServer::ChatCompletion(kGoodDeck), /*delay_ms=*/3000);
  LlmParams p = Params();
  const auto start = Clock::now();
  p.should_abort = [&] { return Clock::now() - start > std::chrono::milliseconds(100); };
  auto r = Run(p);
  const double elapsed_s = std::chrono::duration<double>(Clock::now() - start).count();
  EXPECT_EQ(r.status().code(), StatusCode::kCancelled) << r.status().ToString();
  EXPECT_LT(elapsed_s, 1.5);
}

TEST_F(LlmSummarizer, ARefusedConnectionIsUnavailable) {
  std::string url;
  {
    FakeOpenAiServer gone;
    url = gone.base_url();
  }
  LlmParams p = Params();
  p.base_url = url;
  auto r = Run(p);
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable) << r.status().ToString();
  EXPECT_TRUE(Mentions(r.status(), "cannot connect")) << r.status().message();
}

TEST_F(LlmSummarizer, ACostAboveTheCapIsRefusedWithoutARequest) {
  Reply(200, FakeOpenAiServer::ChatCompletion(kGoodDeck));
  LlmParams p = Params();
  p.max_cost_usd = 0.0005;  // max_output_tokens alone costs 1200 x $0.60/Mtok = $0.00072
  const auto estimate = EstimateLlmCost(t_, t_.duration_s, DefaultSummarizerParams(), p);
  EXPECT_EQ(estimate.completion_tokens, 1200);
  EXPECT_GT(estimate.prompt_tokens, 300);
  EXPECT_GT(estimate.cost_usd, 0.00072);
  auto r = Run(p);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(Mentions(r.status(), "exceeds the per-job cap $0.0005")) << r.status().message();
  EXPECT_TRUE(Mentions(r.status(), "estimated cost $0.0")) << r.status().message();
  EXPECT_EQ(server_.request_count(), 0u);
}

TEST_F(LlmSummarizer, AFreeLocalServerFitsAnyCap) {
  Reply(200, FakeOpenAiServer::ChatCompletion(kGoodDeck));
  LlmParams p = Params();
  p.price_in_per_mtok_usd = 0;
  p.price_out_per_mtok_usd = 0;
  p.max_cost_usd = 0;
  auto r = Run(p);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->cost_usd, 0);
}

TEST_F(LlmSummarizer, BadSettingsAreRejectedBeforeAnyRequest) {
  LlmParams p = Params();
  p.model.clear();
  EXPECT_EQ(Run(p).status().code(), StatusCode::kInvalidInput);
  p = Params();
  p.base_url = "ftp://example.com/v1";
  EXPECT_EQ(Run(p).status().code(), StatusCode::kInvalidInput);
  p.base_url = "http://user:secret@example.com/v1";
  auto r = Run(p);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
  EXPECT_FALSE(Mentions(r.status(), "secret"));
  auto silent = SummarizeWithLlm(Transcript{}, 10, DefaultSummarizerParams(), Params());
  EXPECT_EQ(silent.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(server_.request_count(), 0u);
}

}  // namespace
}  // namespace presgen
