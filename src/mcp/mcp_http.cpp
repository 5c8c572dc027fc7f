#include "mcp/mcp_http.h"

#include <map>
#include <mutex>

#include <spdlog/spdlog.h>

#include "service/job_manager.h"
#include "service/upload_receiver.h"

namespace presgen::mcp {
namespace {

constexpr size_t kMaxSessions = 256;
constexpr int64_t kSessionIdleS = 24 * 3600;

std::string Dump(const json& m) { return m.dump(-1, ' ', false, json::error_handler_t::replace); }

void SendRpc(httplib::Response& res, int status, const json& message) {
  res.status = status;
  res.set_content(Dump(message), "application/json");
}

json ErrorWithoutId(int code, const std::string& message) {
  return ErrorMessage(nullptr, {code, message, nullptr});
}

// The host part of "http://host:port" or "host:port", lower-cased.
std::string HostOf(std::string s) {
  if (auto p = s.find("://"); p != std::string::npos) s = s.substr(p + 3);
  if (auto p = s.find('/'); p != std::string::npos) s.resize(p);
  if (!s.empty() && s[0] == '[') {
    s = s.substr(0, s.find(']') + 1);
  } else if (auto p = s.rfind(':'); p != std::string::npos) {
    s.resize(p);
  }
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool IsLoopback(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "[::1]";
}

bool Listed(const std::string& host, const std::vector<std::string>& allowed) {
  for (const auto& a : allowed) {
    if (HostOf(a) == host) return true;
  }
  return false;
}

// HTTP status for an error answer: 2026-07-28 puts some JSON-RPC errors on the HTTP line.
int HttpStatusFor(const json& answer, bool modern) {
  if (!answer.contains("error")) return 200;
  const int code = answer["error"].value("code", 0);
  if (code == kUnsupportedProtocolVersion || code == kHeaderMismatch) return 400;
  if (modern && code == kMethodNotFound) return 404;
  return 200;
}

struct Session {
  std::shared_ptr<LegacySession> state = std::make_shared<LegacySession>();
  int64_t last_used_s = 0;
};

}  // namespace

bool RequestHostsAllowed(const std::string& origin, const std::string& host,
                         const std::vector<std::string>& allowed_hosts) {
  // DNS rebinding: a page of evil.example whose name now points here sends
  // Host: evil.example and Origin: http://evil.example. Both must name us.
  const std::string h = HostOf(host);
  if (!IsLoopback(h) && !Listed(h, allowed_hosts)) return false;
  if (origin.empty()) return true;  // not a browser
  const std::string o = HostOf(origin);
  return IsLoopback(o) || Listed(o, allowed_hosts);
}

class McpHttpEndpoint {
 public:
  McpHttpEndpoint(JobManager& jobs, McpToolParams params, std::vector<std::string> allowed_hosts)
      : server_(jobs, std::move(params)), allowed_hosts_(std::move(allowed_hosts)) {}

  void Post(const httplib::Request& req, httplib::Response& res) {
    if (!RequestHostsAllowed(req.get_header_value("Origin"), req.get_header_value("Host"),
                             allowed_hosts_)) {
      return SendRpc(res, 403, ErrorWithoutId(kInvalidRequest,
                                              "this server does not answer requests for host " +
                                                  req.get_header_value("Host") + " from origin " +
                                                  req.get_header_value("Origin")));
    }
    const json message = ParseMessage(req.body);
    if (message.is_discarded()) {
      return SendRpc(res, 400, ErrorWithoutId(kParseError,
                                              "Parse error: the body is not JSON (or nests "
                                              "deeper than 64 levels)"));
    }
    const MessageKind kind = Classify(message);
    if (kind == MessageKind::kInvalid) {
      return SendRpc(res, 400, ErrorWithoutId(kInvalidRequest,
                                              "Invalid Request: not a JSON-RPC 2.0 message"));
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
      if (header != *modern) {
        return SendRpc(res, 400, ErrorMessage(message["id"], {kHeaderMismatch,
                                                              "the MCP-Protocol-Version header (\"" +
                                                                  header + "\") must match _meta's " +
                                                                  *modern,
                                                              nullptr}));
      }
      if (auto bad = McpServer::ModernEnvelopeError(message)) return SendRpc(res, 400, *bad);
      return Answer(req, res, message, nullptr, "", true);
    }
    // The 2025-11-25 era: a session from initialize.
    if (method == "initialize") return Answer(req, res, message, nullptr, "", false);
    if (session_id.empty()) {
      return SendRpc(res, 400, ErrorMessage(message["id"], {kInvalidRequest,
                                                            "Mcp-Session-Id is required "
                                                            "(send initialize first)",
                                                            nullptr}));
    }
    std::shared_ptr<LegacySession> session = FindSession(session_id);
    if (!session) {
      return SendRpc(res, 404, ErrorMessage(message["id"], {kInvalidRequest,
                                                            "no such session; initialize again",
                                                            nullptr}));
    }
    Answer(req, res, message, session, session_id, false);
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
  std::shared_ptr<LegacySession> FindSession(const std::string& id) {
    std::lock_guard lock(mu_);
    auto it = sessions_.find(id);
    if (it == sessions_.end()) return nullptr;
    it->second.last_used_s = NowSeconds();
    return it->second.state;
  }

  // A new session's id; the least recently used one goes when there are too many.
  Result<std::string> AddSession(std::shared_ptr<LegacySession> state) {
    auto id = RandomHex(16);
    if (!id.ok()) return id.status();
    const int64_t now = NowSeconds();
    std::lock_guard lock(mu_);
    for (auto it = sessions_.begin(); it != sessions_.end();) {
      it = now - it->second.last_used_s > kSessionIdleS ? sessions_.erase(it) : std::next(it);
    }
    if (sessions_.size() >= kMaxSessions) {
      auto oldest = std::min_element(sessions_.begin(), sessions_.end(), [](const auto& a, const auto& b) {
        return a.second.last_used_s < b.second.last_used_s;
      });
      sessions_.erase(oldest);
    }
    sessions_["s_" + *id] = Session{std::move(state), now};
    return "s_" + *id;
  }

  void OnNotification(const json& note, const std::string& session_id) {
    // Only a session's own calls can be cancelled by notification; a 2026-07-28 call is
    // cancelled by closing its stream.
    if (session_id.empty()) return;
    std::shared_ptr<LegacySession> session = FindSession(session_id);
    if (!session) return;
    if (note["method"] == "notifications/cancelled") {
      const json params = note.value("params", json::object());
      std::lock_guard lock(mu_);
      auto it = in_flight_.find(session_id + "/" + params.value("requestId", json()).dump());
      if (it != in_flight_.end()) *it->second = true;
      return;
    }
    std::lock_guard lock(mu_);
    server_.HandleNotification(note, session.get());
  }

  void Answer(const httplib::Request& req, httplib::Response& res, const json& request,
              std::shared_ptr<LegacySession> session, const std::string& session_id, bool modern) {
    const std::string method = request["method"];
    RequestChannel channel;
    // Links in answers point where this client reached us.
    channel.base_url = "http://" + req.get_header_value("Host");
    channel.owner = session_id;
    if (method == "initialize") {
      auto state = std::make_shared<LegacySession>();
      json answer = server_.HandleRequest(request, state.get(), channel);
      if (!answer.contains("error")) {
        auto id = AddSession(state);
        if (!id.ok()) {
          return SendRpc(res, 500, ErrorMessage(request["id"], {kInternalError, id.status().message(), nullptr}));
        }
        res.set_header("Mcp-Session-Id", *id);
      }
      return SendRpc(res, HttpStatusFor(answer, false), answer);
    }
    const bool streams = method == "tools/call" || method == "tasks/result";
    if (!streams) {
      json answer = server_.HandleRequest(request, session.get(), channel);
      return SendRpc(res, HttpStatusFor(answer, modern), answer);
    }
    // A call that may take minutes: an SSE stream with its notifications, then its answer.
    // The client closing the stream, or (2025-11-25) notifications/cancelled, cancels it.
    auto cancelled = std::make_shared<std::atomic<bool>>(false);
    std::string key;
    if (!session_id.empty()) {
      key = session_id + "/" + request["id"].dump();
      std::lock_guard lock(mu_);
      in_flight_[key] = cancelled;
    }
    res.set_header("Cache-Control", "no-cache");
    res.set_header("X-Accel-Buffering", "no");
    res.set_chunked_content_provider(
        "text/event-stream",
        [this, request, session, cancelled, channel](size_t, httplib::DataSink& sink) mutable {
          std::mutex write_mu;
          auto write = [&](const json& m) {
            std::lock_guard lock(write_mu);
            const std::string event = "event: message\ndata: " + Dump(m) + "\n\n";
            if (!sink.is_writable() || !sink.write(event.data(), event.size())) *cancelled = true;
          };
          channel.notify = write;
          channel.cancelled = [cancelled, &sink] {
            return cancelled->load() || !sink.is_writable();
          };
          try {
            json answer = server_.HandleRequest(request, session.get(), channel);
            if (!cancelled->load()) write(answer);
          } catch (const std::exception& e) {
            spdlog::error("mcp: a streamed answer failed: {}", e.what());
          }
          sink.done();
          return true;
        },
        [this, key](bool) {
          if (key.empty()) return;
          std::lock_guard lock(mu_);
          in_flight_.erase(key);
        });
  }

  McpServer server_;
  const std::vector<std::string> allowed_hosts_;
  std::mutex mu_;
  std::map<std::string, Session> sessions_;
  std::map<std::string, std::shared_ptr<std::atomic<bool>>> in_flight_;
};

void MountMcpHttp(httplib::Server& server, JobManager& jobs, McpToolParams params,
                  std::vector<std::string> allowed_hosts) {
  auto endpoint = std::make_shared<McpHttpEndpoint>(jobs, std::move(params), std::move(allowed_hosts));
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
