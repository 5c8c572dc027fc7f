#include "mcp/mcp_stdio.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include <spdlog/spdlog.h>

namespace presgen::mcp {
namespace {

constexpr size_t kMaxLine = 16 << 20;
constexpr const char* kOwner = "stdio";  // one client per process: it owns every task

// Writes whole lines to the client; remembers when the client is gone.
class LineWriter {
 public:
  explicit LineWriter(int fd) : fd_(fd) {}
  void Write(const json& message) {
    const std::string line = message.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
    std::lock_guard lock(mu_);
    size_t done = 0;
    while (!broken_ && done < line.size()) {
      const ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) broken_ = true;
      else done += static_cast<size_t>(n);
    }
  }
  bool broken() {
    std::lock_guard lock(mu_);
    return broken_;
  }

 private:
  int fd_;
  std::mutex mu_;
  bool broken_ = false;
};

struct InFlight {
  std::atomic<bool> cancelled{false};
  std::atomic<bool> done{false};
  std::thread thread;
};

// Requests that may take long run on a thread; the rest are answered in order.
bool RunsLong(const std::string& method) {
  return method == "tools/call" || method == "tasks/result";
}

class StdioConnection {
 public:
  StdioConnection(McpServer& server, int out_fd) : server_(server), out_(out_fd) {}
  ~StdioConnection() { Finish(); }

  bool broken() { return out_.broken(); }

  void OnLine(const std::string& line) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) return;
    const json message = ParseMessage(line);
    if (message.is_discarded()) {
      out_.Write(ErrorMessage(nullptr, {kParseError,
                                        "Parse error: the line is not JSON (or nests deeper "
                                        "than 64 levels)",
                                        nullptr}));
      return;
    }
    switch (Classify(message)) {
      case MessageKind::kRequest: return OnRequest(message);
      case MessageKind::kNotification: return OnNotification(message);
      case MessageKind::kResponse: return;  // this server sends no requests
      case MessageKind::kInvalid: {
        const json id = message.is_object() && message.contains("id") &&
                                (message["id"].is_string() || message["id"].is_number_integer())
                            ? message["id"]
                            : json();
        const char* why = message.is_array() ? "Invalid Request: batches are not supported"
                                             : "Invalid Request: not a JSON-RPC 2.0 message";
        out_.Write(ErrorMessage(id, {kInvalidRequest, why, nullptr}));
        return;
      }
    }
  }

  // Cancels what still runs and waits for it.
  void Finish() {
    std::map<std::string, std::shared_ptr<InFlight>> calls;
    {
      std::lock_guard lock(mu_);
      calls.swap(calls_);
    }
    for (auto& [id, call] : calls) call->cancelled = true;
    for (auto& [id, call] : calls) {
      if (call->thread.joinable()) call->thread.join();
    }
  }

 private:
  void OnRequest(const json& request) {
    const std::string method = request["method"];
    if (!RunsLong(method)) {
      RequestChannel plain;
      plain.owner = kOwner;
      out_.Write(server_.HandleRequest(request, &session_, plain));
      return;
    }
    const std::string key = request["id"].dump();
    auto call = std::make_shared<InFlight>();
    {
      std::lock_guard lock(mu_);
      Reap();
      if (calls_.count(key)) {
        out_.Write(ErrorMessage(request["id"],
                                {kInvalidRequest, "a request with this id is still running", nullptr}));
        return;
      }
      calls_[key] = call;
    }
    // The call reads a copy of the session: `initialize` may change it meanwhile.
    call->thread = std::thread([this, request, call, session = session_]() mutable {
      RequestChannel channel;
      channel.owner = kOwner;
      channel.notify = [this, call](const json& n) {
        if (!call->cancelled) out_.Write(n);
      };
      channel.cancelled = [call] { return call->cancelled.load(); };
      json answer = server_.HandleRequest(request, &session, channel);
      // A cancelled request gets no answer (the client has given up on it).
      if (!call->cancelled) out_.Write(answer);
      call->done = true;
    });
  }

  void OnNotification(const json& note) {
    if (note["method"] == "notifications/cancelled") {
      const json params = note.value("params", json::object());
      if (!params.contains("requestId")) return;
      std::lock_guard lock(mu_);
      auto it = calls_.find(params["requestId"].dump());
      if (it != calls_.end()) it->second->cancelled = true;
      return;
    }
    server_.HandleNotification(note, &session_);
  }

  // Joins finished calls. Call with mu_ held.
  void Reap() {
    for (auto it = calls_.begin(); it != calls_.end();) {
      if (it->second->done) {
        it->second->thread.join();
        it = calls_.erase(it);
      } else {
        ++it;
      }
    }
  }

  McpServer& server_;
  LineWriter out_;
  LegacySession session_;  // one client per process
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<InFlight>> calls_;  // by the request id's JSON
};

}  // namespace

void ServeMcpStdio(McpServer& server, int in_fd, int out_fd, const std::atomic<bool>& stop) {
  StdioConnection connection(server, out_fd);
  std::string pending;
  char buffer[64 * 1024];
  bool too_long = false;
  while (!stop && !connection.broken()) {
    pollfd p{in_fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, 200);
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    const ssize_t n = ::read(in_fd, buffer, sizeof buffer);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) break;  // the client closed its end
    pending.append(buffer, static_cast<size_t>(n));
    size_t start = 0, nl;
    while ((nl = pending.find('\n', start)) != std::string::npos) {
      if (too_long) {
        too_long = false;
      } else {
        connection.OnLine(pending.substr(start, nl - start));
      }
      start = nl + 1;
    }
    pending.erase(0, start);
    if (pending.size() > kMaxLine) {
      spdlog::warn("mcp: a message longer than 16 MiB was refused");
      connection.OnLine("\x01");  // answered as a parse error
      pending.clear();
      too_long = true;
    }
  }
  if (!pending.empty() && !too_long && !stop) connection.OnLine(pending);
  connection.Finish();
}

}  // namespace presgen::mcp
