// An in-process `presgen serve` on a free loopback port with its own data
// folder, and the HTTP helpers the API tests share. Real HTTP, real SQLite,
// real renders of the generated fixtures.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <fstream>
#include <initializer_list>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "service/service.h"
#include "support/temp_dir.h"

namespace presgen::testing {

inline std::string FixturePath(const std::string& name) {
  return std::string(PRESGEN_FIXTURES_DIR) + "/" + name;
}

inline std::string ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Small, fast renders: the fixtures are 640x360.
inline ServiceParams TestServiceParams(const std::string& data_dir) {
  ServiceParams p;
  p.port = 0;
  p.data_dir = data_dir;
  p.render.asr = "pocketsphinx";
  p.render.threads = 2;
  p.sweep_interval_s = 1;
  p.job_executable = PRESGEN_BINARY;  // every job runs in a real `presgen run-job` process
  return p;
}

class ServiceHarness {
 public:
  explicit ServiceHarness(ServiceParams params) {
    InitLibraries(/*verbose=*/false);  // as `presgen serve` does: FFmpeg's log stays quiet
    auto started = Service::Start(params);
    if (!started.ok()) throw std::runtime_error(started.status().message());
    service_ = std::move(started).value();
    thread_ = std::thread([this] { service_->Run(); });
  }
  ~ServiceHarness() {
    service_->Stop();
    thread_.join();
  }

  int port() const { return service_->port(); }
  Service& service() { return *service_; }
  std::unique_ptr<httplib::Client> Client() const {
    auto c = std::make_unique<httplib::Client>("127.0.0.1", port());
    c->set_read_timeout(120, 0);
    c->set_write_timeout(120, 0);
    return c;
  }

 private:
  std::unique_ptr<Service> service_;
  std::thread thread_;
};

// POST /v1/jobs, multipart: the file's bytes and the options JSON.
inline httplib::Result PostVideo(httplib::Client& client, const std::string& bytes,
                                 const std::string& options,
                                 const httplib::Headers& headers = {}) {
  httplib::MultipartFormDataItems items = {{"file", bytes, "my pitch.mp4", "video/mp4"}};
  if (!options.empty()) items.push_back({"options", options, "", ""});
  return client.Post("/v1/jobs", headers, items);
}

inline nlohmann::json JsonOf(const httplib::Result& r) {
  return nlohmann::json::parse(r->body, nullptr, false);
}

// Polls GET /v1/jobs/{id} until its status is one of `wanted`; returns the job
// (or the last one seen, after `timeout`).
inline nlohmann::json WaitForStatus(httplib::Client& client, const std::string& id,
                                    std::initializer_list<const char*> wanted,
                                    std::chrono::seconds timeout = std::chrono::seconds(180)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  nlohmann::json job;
  while (std::chrono::steady_clock::now() < deadline) {
    auto r = client.Get("/v1/jobs/" + id);
    if (r && r->status == 200) {
      job = nlohmann::json::parse(r->body);
      for (const char* s : wanted)
        if (job["status"] == s) return job;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return job;
}

// One server-sent event of GET /v1/jobs/{id}/events.
struct SseEvent {
  int64_t id = 0;
  std::string type;
  nlohmann::json data;
};

// Reads an event stream to its end (the job reached a final state).
inline std::vector<SseEvent> ReadEvents(httplib::Client& client, const std::string& id,
                                 int64_t last_event_id = -1) {
  httplib::Headers headers;
  if (last_event_id >= 0) headers.emplace("Last-Event-ID", std::to_string(last_event_id));
  std::string text;
  auto r = client.Get("/v1/jobs/" + id + "/events", headers, [&](const char* data, size_t n) {
    text.append(data, n);
    return true;
  });
  EXPECT_TRUE(r) << "stream error";
  std::vector<SseEvent> events;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find("\n\n", pos);
    if (end == std::string::npos) break;
    std::istringstream block(text.substr(pos, end - pos));
    pos = end + 2;
    SseEvent e;
    std::string line;
    while (std::getline(block, line)) {
      if (line.rfind("id: ", 0) == 0) e.id = std::stoll(line.substr(4));
      if (line.rfind("event: ", 0) == 0) e.type = line.substr(7);
      if (line.rfind("data: ", 0) == 0) e.data = nlohmann::json::parse(line.substr(6));
    }
    if (!e.type.empty()) events.push_back(e);
  }
  return events;
}

}  // namespace presgen::testing
