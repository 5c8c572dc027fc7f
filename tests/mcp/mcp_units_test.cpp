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

TEST(McpHttp, OnlyLoopbackOrOwnOriginsMayCall) {
  EXPECT_TRUE(OriginAllowed("", "127.0.0.1:8080"));
  EXPECT_TRUE(OriginAllowed("http://localhost:3000", "127.0.0.1:8080"));
  EXPECT_TRUE(OriginAllowed("http://127.0.0.1:9999", "127.0.0.1:8080"));
  EXPECT_TRUE(OriginAllowed("http://[::1]:5173", "127.0.0.1:8080"));
  EXPECT_TRUE(OriginAllowed("https://presgen.example.com", "presgen.example.com"));
  EXPECT_FALSE(OriginAllowed("http://evil.example", "127.0.0.1:8080"));
  EXPECT_FALSE(OriginAllowed("http://127.0.0.1.evil.example", "127.0.0.1:8080"));
  EXPECT_FALSE(OriginAllowed("null", "127.0.0.1:8080"));
}

TEST(TaskRegistry, RunsCancelsAndAnswers) {
  TaskRegistry tasks;
  std::atomic<bool> release{false};
  auto done = tasks.Start(
      [&](const std::function<bool()>&, bool* failed) {
        while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        *failed = false;
        return json{{"content", json::array()}, {"isError", false}};
      },
      1000);
  ASSERT_TRUE(done.ok());
  const std::string id = (*done)["taskId"];
  EXPECT_EQ((*tasks.Get(id))["status"], "working");
  release = true;
  auto result = tasks.WaitResult(id, {});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ((*result)["isError"], false);
  EXPECT_EQ((*tasks.Get(id))["status"], "completed");
  EXPECT_EQ(tasks.Cancel(id).status().code(), StatusCode::kInvalidInput);  // already ended

  auto slow = tasks.Start(
      [](const std::function<bool()>& cancelled, bool* failed) {
        while (!cancelled()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        *failed = true;
        return json{{"isError", true}};
      },
      0);
  const std::string slow_id = (*slow)["taskId"];
  EXPECT_EQ((*tasks.Cancel(slow_id))["status"], "cancelled");
  EXPECT_EQ(tasks.WaitResult(slow_id, {}).status().code(), StatusCode::kCancelled);
  EXPECT_EQ(tasks.Get("t_nope").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(tasks.List().size(), 2u);
}

}  // namespace
}  // namespace presgen::mcp
