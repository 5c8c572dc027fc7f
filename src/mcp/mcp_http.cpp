#include "mcp/mcp_http.h"

#include <map>
#include <mutex>

#include "service/upload_receiver.h"

namespace presgen::mcp {
namespace {

constexpr size_t kMaxSessions = 256;

void SendRpc(httplib::Response& res, int status, const json& message) {
  res.status = status;
  res.set_content(message.dump(), "application/json");
}

// The host part of "http://host:port" or "host:port".
std::string HostOf(std::string s) {
  if (auto p = s.find("://"); p != std::string::npos) s = s.substr(p + 3);
  if (auto p = s.find('/'); p != std::string::npos) s.resize(p);
  if (!s.empty() && s[0] == '[') return s.substr(0, s.find(']') + 1);
  if (auto p = s.rfind(':'); p != std::string::npos) s.resize(p);
  return s;
}

// HTTP status for an error answer: 2026-07-28 puts some JSON-RPC errors on the HTTP line.
int HttpStatusFor(const json& answer, bool modern) {
  if (!answer.contains("error")) return 200;
  const int code = answer["error"].value("code", 0);
  if (code == kUnsupportedProtocolVersion || code == kHeaderMismatch) return 400;
  if (modern && code == kMethodNotFound) return 404;
  return 200;
}

}  // namespace

bool OriginAllowed(const std::string& origin, const std::string& host) {
  if (origin.empty()) return true;  // not a browser
  const std::string o = HostOf(origin);
  if (o == "127.0.0.1" || o == "localhost" || o == "[::1]") return true;
  return !host.empty() && o == HostOf(host);
}

class McpHttpEndpoint {
 public:
  McpHttpEndpoint(JobManager& jobs, McpToolParams params) : server_(jobs, std::move(params)) {}

  void Post(const httplib::Request& req, httplib::Response& res) {
    if (!OriginAllowed(req.get_header_value("Origin"), req.get_header_value("Host"))) {
      return SendRpc(res, 403, ErrorMessage(nullptr, {kInvalidRequest,
                                                      "Origin " + req.get_header_value("Origin") +
                                                          " may not call this server",
                                                      nullptr}));
    }
    const json message = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
    if (message.is_discarded()) {
      return SendRpc(res, 400, ErrorMessage(nullptr, {kParseError, "Parse error: the body is not JSON", nullptr}));
    }
    const MessageKind kind = Classify(message);
    if (kind == MessageKind::kInvalid) {
      return SendRpc(res, 400, ErrorMessage(nullptr, {kInvalidRequest,
                                                      "Invalid Request: not a JSON-RPC 2.0 message",
                                                      nullptr}));
    }
    const std::string session_id = req.get_header_value("Mcp-Session-Id");
    if (kind != MessageKind::kRequest) {
      if (kind == MessageKind::kNotification) OnNotification(message, session_id);
      res.status = 202;
      return;
    }
    const auto modern = McpServer::ModernVersion(message);
    const std::string method = message["method"];
    if (modern && method != "initialize") {
      const std::string header = req.get_header_value("MCP-Protocol-Version");
      if (!header.empty() && header != *modern) {
        return SendRpc(res, 400, ErrorMessage(message["id"], {kHeaderMismatch,
                                                              "MCP-Protocol-Version " + header +
                                                                  " does not match _meta's " + *modern,
                                                              nullptr}));
      }
      return Answer(req, res, message, nullptr, true);
    }
    // The 2025-11-25 era: a session from initialize.
    std::shared_ptr<LegacySession> session;
    if (method == "initialize") {
      session = std::make_shared<LegacySession>();
    } else {
      if (session_id.empty()) {
        return SendRpc(res, 400, ErrorMessage(message["id"], {kInvalidRequest,
                                                              "Mcp-Session-Id is required "
                                                              "(send initialize first)",
                                                              nullptr}));
      }
      std::lock_guard lock(mu_);
      auto it = sessions_.find(session_id);
      if (it == sessions_.end()) {
        return SendRpc(res, 404, ErrorMessage(message["id"], {kInvalidRequest,
                                                              "no such session; initialize again",
                                                              nullptr}));
      }
      session = it->second;
    }
    Answer(req, res, message, session, false);
  }

  void Delete(const httplib::Request& req, httplib::Response& res) {
    const std::string id = req.get_header_value("Mcp-Session-Id");
    if (id.empty()) {
      res.status = 405;
      return;
    }
    std::lock_guard lock(mu_);
    res.status = sessions_.erase(id) ? 204 : 404;
  }

 private:
  void OnNotification(const json& note, const std::string& session_id) {
    if (note["method"] == "notifications/cancelled") {
      const json params = note.value("params", json::object());
      std::lock_guard lock(mu_);
      auto it = in_flight_.find(session_id + "/" + params.value("requestId", json()).dump());
      if (it != in_flight_.end()) *it->second = true;
      return;
    }
    std::lock_guard lock(mu_);
    auto it = sessions_.find(session_id);
    if (it != sessions_.end()) server_.HandleNotification(note, it->second.get());
  }

  void Answer(const httplib::Request& req, httplib::Response& res, const json& request,
              std::shared_ptr<LegacySession> session, bool modern) {
    const std::string method = request["method"];
    const json params = request.value("params", json::object());
    const bool streams = method == "tools/call" || method == "tasks/result";
    const std::string key =
        req.get_header_value("Mcp-Session-Id") + "/" + request["id"].dump();
    // Links in answers point where this client reached us.
    const std::string base_url = "http://" + req.get_header_value("Host");
    if (!streams) {
      RequestChannel plain;
      plain.base_url = base_url;
      json answer = server_.HandleRequest(request, session.get(), plain);
      if (method == "initialize" && !answer.contains("error")) {
        auto id = RandomHex(16);
        if (!id.ok()) return SendRpc(res, 500, ErrorMessage(request["id"], {kInternalError, id.status().message(), nullptr}));
        std::lock_guard lock(mu_);
        if (sessions_.size() >= kMaxSessions) sessions_.erase(sessions_.begin());
        sessions_["s_" + *id] = session;
        res.set_header("Mcp-Session-Id", "s_" + *id);
      }
      return SendRpc(res, HttpStatusFor(answer, modern), answer);
    }
    // A call that may take minutes: an SSE stream with its notifications, then its answer.
    // The client closing the stream (2026-07-28) or notifications/cancelled (2025-11-25)
    // cancels it.
    auto cancelled = std::make_shared<std::atomic<bool>>(false);
    {
      std::lock_guard lock(mu_);
      in_flight_[key] = cancelled;
    }
    res.set_header("Cache-Control", "no-cache");
    res.set_header("X-Accel-Buffering", "no");
    res.set_chunked_content_provider(
        "text/event-stream",
        [this, request, session, cancelled, key, base_url](size_t, httplib::DataSink& sink) {
          std::mutex write_mu;
          auto write = [&](const json& m) {
            std::lock_guard lock(write_mu);
            const std::string event = "event: message\ndata: " + m.dump() + "\n\n";
            if (!sink.is_writable() || !sink.write(event.data(), event.size())) *cancelled = true;
          };
          RequestChannel channel;
          channel.base_url = base_url;
          channel.notify = write;
          channel.cancelled = [cancelled, &sink] {
            return cancelled->load() || !sink.is_writable();
          };
          json answer = server_.HandleRequest(request, session.get(), channel);
          if (!cancelled->load()) write(answer);
          {
            std::lock_guard lock(mu_);
            in_flight_.erase(key);
          }
          sink.done();
          return true;
        });
  }

  McpServer server_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<LegacySession>> sessions_;
  std::map<std::string, std::shared_ptr<std::atomic<bool>>> in_flight_;
};

void MountMcpHttp(httplib::Server& server, JobManager& jobs, McpToolParams params) {
  auto endpoint = std::make_shared<McpHttpEndpoint>(jobs, std::move(params));
  server.Post("/mcp", [endpoint](const httplib::Request& req, httplib::Response& res) {
    endpoint->Post(req, res);
  });
  server.Get("/mcp", [](const httplib::Request&, httplib::Response& res) {
    res.status = 405;  // no server-initiated stream
    res.set_header("Allow", "POST, DELETE");
  });
  server.Delete("/mcp", [endpoint](const httplib::Request& req, httplib::Response& res) {
    endpoint->Delete(req, res);
  });
}

}  // namespace presgen::mcp
