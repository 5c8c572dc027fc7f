#include "support/fake_openai_server.h"

#include <chrono>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace presgen::testing {

FakeOpenAiServer::FakeOpenAiServer() {
  server_.Post(".*", [this](const httplib::Request& req, httplib::Response& res) {
    Reply reply;
    {
      std::unique_lock lock(mutex_);
      seen_.push_back({req.path, req.body, req.has_header("Authorization"),
                       req.get_header_value("Authorization")});
      reply = reply_;
      released_.wait_for(lock, std::chrono::milliseconds(reply.delay_ms),
                         [this] { return releasing_; });
    }
    res.status = reply.status;
    res.set_content(reply.body, "application/json");
  });
  port_ = server_.bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("FakeOpenAiServer: cannot bind 127.0.0.1");
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  // stop() is a no-op until the accept loop runs, so the destructor must not race it.
  while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

FakeOpenAiServer::~FakeOpenAiServer() {
  {
    std::lock_guard lock(mutex_);
    releasing_ = true;
  }
  released_.notify_all();
  server_.stop();
  thread_.join();
}

std::string FakeOpenAiServer::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/v1";
}

void FakeOpenAiServer::SetReply(Reply reply) {
  std::lock_guard lock(mutex_);
  reply_ = std::move(reply);
}

std::vector<FakeOpenAiServer::SeenRequest> FakeOpenAiServer::requests() const {
  std::lock_guard lock(mutex_);
  return seen_;
}

size_t FakeOpenAiServer::request_count() const {
  std::lock_guard lock(mutex_);
  return seen_.size();
}

std::string FakeOpenAiServer::ChatCompletion(const std::string& content, int prompt_tokens,
                                             int completion_tokens,
                                             const std::string& finish_reason) {
  nlohmann::json j = {
      {"id", "chatcmpl-test"},
      {"object", "chat.completion"},
      {"created", 1700000000},
      {"model", "fake-model-2024-07-18"},
      {"choices",
       {{{"index", 0},
         {"message", {{"role", "assistant"}, {"content", content}, {"refusal", nullptr}}},
         {"finish_reason", finish_reason}}}}};
  if (prompt_tokens >= 0) {
    j["usage"] = {{"prompt_tokens", prompt_tokens},
                  {"completion_tokens", completion_tokens},
                  {"total_tokens", prompt_tokens + completion_tokens}};
  }
  return j.dump();
}

}  // namespace presgen::testing
