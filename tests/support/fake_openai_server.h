// A real HTTP server on 127.0.0.1 (an ephemeral port) that answers every POST
// the way an OpenAI-compatible chat-completions server would, with a reply the
// test chooses, and records what it received. For tests of HTTP clients.
// Thread-safe: the server answers on its own threads.
#pragma once

#include <httplib.h>

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace presgen::testing {

class FakeOpenAiServer {
 public:
  struct Reply {
    int status = 200;
    std::string body;  // sent as application/json
    int delay_ms = 0;  // wait before answering (cut short when the server is destroyed)
  };

  struct SeenRequest {
    std::string path;
    std::string body;
    bool has_authorization = false;
    std::string authorization;
  };

  // Listens before returning; every request gets an empty 200 reply until SetReply.
  FakeOpenAiServer();
  // Releases delayed replies, stops listening and joins the server thread.
  ~FakeOpenAiServer();
  FakeOpenAiServer(const FakeOpenAiServer&) = delete;
  FakeOpenAiServer& operator=(const FakeOpenAiServer&) = delete;

  int port() const { return port_; }
  std::string base_url() const;  // "http://127.0.0.1:PORT/v1"

  void SetReply(Reply reply);
  std::vector<SeenRequest> requests() const;
  size_t request_count() const;

  // An OpenAI chat.completion body whose first choice's message content is
  // `content`; usage is left out when prompt_tokens < 0.
  static std::string ChatCompletion(const std::string& content, int prompt_tokens = 100,
                                    int completion_tokens = 50,
                                    const std::string& finish_reason = "stop");

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::condition_variable released_;
  bool releasing_ = false;
  Reply reply_;
  std::vector<SeenRequest> seen_;
};

}  // namespace presgen::testing
