// The MCP server's pieces that need no job: JSON-RPC classification, the argument schema
// checker, the Origin rule, the task registry, the shared options schema.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "mcp/json_rpc.h"
#include "mcp/mcp_http.h"
#include "mcp/mcp_tasks.h"
#include "mcp/mcp_tool_specs.h"
#include "pipeline/render_option_schema.h"

namespace presgen::mcp {
namespace {

TEST(JsonRpc, ClassifiesMessages) {
  EXPECT_EQ(Classify(json::parse(R"({"jsonrpc":"2.0","id":1,"method":"ping"})")),
            MessageKind::kRequest);
  EXPECT_EQ(Classify(json::parse(R"({"jsonrpc":"2.0","method":"notifications/initialized"})")),
            MessageKind::kNotification);
  EXPECT_EQ(Classify(json::parse(R"({"jsonrpc":"2.0","id":"a","result":{}})")),
            MessageKind::kResponse);
  for (const char* bad : {R"({"id":1,"method":"ping"})", R"({"jsonrpc":"1.0","id":1,"method":"x"})",
                          R"({"jsonrpc":"2.0","id":1.5,"method":"x"})",
                          R"({"jsonrpc":"2.0","id":1,"method":3})",
                          R"({"jsonrpc":"2.0","id":1,"method":"x","params":[1]})", R"([1,2])",
                          R"("text")"}) {
    EXPECT_EQ(Classify(json::parse(bad)), MessageKind::kInvalid) << bad;
  }
}

TEST(JsonRpc, SchemaViolationsNameTheField) {
  const auto specs = PresgenToolSpecs(McpTransport::kStdio);
  const json& update = std::find_if(specs.begin(), specs.end(), [](const ToolSpec& s) {
                         return s.name == "update_deck";
                       })->input_schema;
  EXPECT_EQ(SchemaViolation(update, json::parse(R"({"job_id":"j_1","deck":{}})"), "arguments"), "");
  EXPECT_EQ(SchemaViolation(update, json::parse(R"({"deck":{}})"), "arguments"),
            "arguments.job_id is required");
  EXPECT_EQ(SchemaViolation(update, json::parse(R"({"job_id":7,"deck":{}})"), "arguments"),
            "arguments.job_id must be a string");
  EXPECT_EQ(SchemaViolation(update, json::parse(R"({"job_id":"j","deck":{},"x":1})"), "arguments"),
            "arguments.x is not a known field");
  const json options = ClientOptionsJsonSchema();
  EXPECT_EQ(SchemaViolation(options, json::parse(R"({"max_slides":9})"), "options"),
            "options.max_slides must be at most 8");
  EXPECT_EQ(SchemaViolation(options, json::parse(R"({"template":"neon"})"), "options"),
            "options.template must be one of professional_minimal, dark, bold");
}

TEST(JsonRpc, HttpToolsTakeNoServerOutputPaths) {
  for (const auto& s : PresgenToolSpecs(McpTransport::kHttp)) {
    EXPECT_FALSE(s.input_schema["properties"].contains("output_path")) << s.name;
    EXPECT_EQ(s.input_schema["type"], "object");
    EXPECT_EQ(s.output_schema["type"], "object");
  }
}

TEST(McpHttp, OnlyLoopbackOrAllowedHostsMayCall) {
  const std::vector<std::string> none;
  EXPECT_TRUE(RequestHostsAllowed("", "127.0.0.1:8080", none));
  EXPECT_TRUE(RequestHostsAllowed("http://localhost:3000", "127.0.0.1:8080", none));
  EXPECT_TRUE(RequestHostsAllowed("http://127.0.0.1:9999", "localhost:8080", none));
  EXPECT_TRUE(RequestHostsAllowed("http://[::1]:5173", "[::1]:8080", none));
  EXPECT_FALSE(RequestHostsAllowed("http://evil.example", "127.0.0.1:8080", none));
  EXPECT_FALSE(RequestHostsAllowed("http://127.0.0.1.evil.example", "127.0.0.1:8080", none));
  EXPECT_FALSE(RequestHostsAllowed("null", "127.0.0.1:8080", none));
  // DNS rebinding: the page's own name in both headers is still refused.
  EXPECT_FALSE(RequestHostsAllowed("http://evil.example:8080", "evil.example:8080", none));
  EXPECT_FALSE(RequestHostsAllowed("", "evil.example:8080", none));
  // A name the operator allowed.
  const std::vector<std::string> team = {"presgen.internal"};
  EXPECT_TRUE(RequestHostsAllowed("https://presgen.internal", "PRESGEN.internal:443", team));
  EXPECT_FALSE(RequestHostsAllowed("https://evil.example", "presgen.internal", team));
}

TEST(TaskRegistry, RunsCancelsAndAnswersOnlyItsOwner) {
  TaskRegistry tasks;
  std::atomic<bool> release{false};
  auto done = tasks.Start(
      "a",
      [&](const std::function<bool()>&, bool* failed) {
        while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        *failed = false;
        return json{{"content", json::array()}, {"isError", false}};
      },
      1000);
  ASSERT_TRUE(done.ok());
  const std::string id = (*done)["taskId"];
  EXPECT_EQ((*tasks.Get("a", id))["status"], "working");
  EXPECT_EQ(tasks.Get("b", id).status().code(), StatusCode::kNotFound);  // another client's
  EXPECT_TRUE(tasks.List("b").empty());
  release = true;
  auto result = tasks.WaitResult("a", id, {});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ((*result)["isError"], false);
  EXPECT_EQ((*tasks.Get("a", id))["status"], "completed");
  EXPECT_EQ(tasks.Cancel("a", id).status().code(), StatusCode::kInvalidInput);  // ended

  auto slow = tasks.Start(
      "a",
      [](const std::function<bool()>& cancelled, bool* failed) {
        while (!cancelled()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        *failed = true;
        return json{{"isError", true}};
      },
      0);
  const std::string slow_id = (*slow)["taskId"];
  EXPECT_EQ(tasks.Cancel("b", slow_id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ((*tasks.Cancel("a", slow_id))["status"], "cancelled");
  EXPECT_EQ(tasks.WaitResult("a", slow_id, {}).status().code(), StatusCode::kCancelled);
  EXPECT_EQ(tasks.Get("a", "t_nope").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(tasks.List("a").size(), 2u);
}

TEST(TaskRegistry, RefusesMoreThanItsRunningLimitAndWaitsForItsThreads) {
  std::atomic<int> finished{0};
  {
    TaskRegistry tasks;
    for (int i = 0; i < TaskRegistry::kMaxRunning; ++i) {
      ASSERT_TRUE(tasks
                      .Start("a",
                             [&](const std::function<bool()>& cancelled, bool*) {
                               while (!cancelled()) {
                                 std::this_thread::sleep_for(std::chrono::milliseconds(2));
                               }
                               ++finished;
                               return json::object();
                             },
                             0)
                      .ok());
    }
    auto refused = tasks.Start("a", [](const auto&, bool*) { return json::object(); }, 0);
    EXPECT_EQ(refused.status().code(), StatusCode::kResourceExhausted);
  }  // the destructor cancels them and waits
  EXPECT_EQ(finished.load(), TaskRegistry::kMaxRunning);
}

TEST(JsonRpc, DeepNestingIsRefusedBeforeParsing) {
  std::string deep = R"({"jsonrpc":"2.0","id":1,"method":"x","params":{"a":)";
  for (int i = 0; i < 100000; ++i) deep += '[';
  EXPECT_FALSE(NestingWithin(deep, kMaxMessageDepth));
  EXPECT_TRUE(ParseMessage(deep).is_discarded());
  EXPECT_TRUE(NestingWithin(R"({"a":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["})", 3));
  EXPECT_FALSE(ParseMessage(R"({"jsonrpc":"2.0","id":1,"method":"ping"})").is_discarded());
}

}  // namespace
}  // namespace presgen::mcp
