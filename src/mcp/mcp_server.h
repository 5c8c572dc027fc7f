// presgen's MCP server core (docs/mcp.md), transport-free: one JSON-RPC message in, its
// answer out. Speaks both protocol eras, chosen per message:
//  - 2025-11-25 (and 2025-06-18, 2025-03-26): `initialize` / `notifications/initialized`,
//    `ping`, a session (stdio: the process; HTTP: Mcp-Session-Id), progress, cancellation,
//    and the tasks utility for long tool calls;
//  - 2026-07-28 (stateless): `server/discover`, every request carrying its protocol version
//    and client capabilities in `_meta`, `resultType` and cache hints on results.
// The stdio loop (mcp_stdio.h) and the HTTP endpoint (mcp_http.h) feed it.
//
// Thread-safety: HandleRequest may run on several threads at once.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "mcp/json_rpc.h"
#include "mcp/mcp_tasks.h"
#include "mcp/mcp_tools.h"

namespace presgen::mcp {

inline constexpr const char* kModernVersion = "2026-07-28";
inline constexpr const char* kLegacyLatestVersion = "2025-11-25";
// The versions `initialize` accepts as asked (others are answered with the latest).
const std::vector<std::string>& LegacyVersions();
// Every version this server speaks, newest first.
const std::vector<std::string>& SupportedVersions();

// One client of the 2025-11-25 era: stdio's process, or an HTTP session.
struct LegacySession {
  bool initialized = false;     // `initialize` answered
  std::string protocol_version;
  json client_capabilities = json::object();
};

// Where one request's notifications go, and whether its caller gave up on it.
struct RequestChannel {
  std::function<void(const json& notification)> notify;  // may be empty
  std::function<bool()> cancelled;                        // may be empty
  std::string base_url;  // HTTP: "http://host:port" as the client reached the server
  std::string owner;     // who the caller is, for the tasks it may see (its session)
};

class McpServer {
 public:
  McpServer(JobManager& jobs, McpToolParams params);

  // The answer (a result or an error message) to request `request` (Classify == kRequest).
  // `session` is the caller's 2025-11-25 session (stdio always has one; HTTP may pass
  // nullptr for a 2026-07-28 request). Long tool calls block until done.
  json HandleRequest(const json& request, LegacySession* session, const RequestChannel& channel);

  // A notification from the client (`notifications/initialized`; others are ignored — the
  // transport handles `notifications/cancelled` since it knows the calls in flight).
  void HandleNotification(const json& notification, LegacySession* session);

  // The protocol version a 2026-07-28-style request names in its _meta; nullopt for a
  // request of the older era.
  static std::optional<std::string> ModernVersion(const json& request);

  // The error answer for a 2026-07-28 request whose _meta is unusable (an unsupported
  // version, no client capabilities); nullopt when it is fine. HTTP checks it before it
  // picks the answer's form (the error goes on the HTTP status line).
  static std::optional<json> ModernEnvelopeError(const json& request);

  McpTools& tools() { return tools_; }

 private:
  json Legacy(const json& request, LegacySession& session, const RequestChannel& channel);
  json Modern(const json& request, const std::string& version, const RequestChannel& channel);
  json Initialize(const json& id, const json& params, LegacySession& session);
  json Discover();
  json ToolList(bool modern) const;
  // A CallToolResult, or the error of a call that names no tool.
  std::variant<json, RpcError> CallTool(const json& params, const RequestChannel& channel);
  json CallToolAsTask(const json& id, const json& params, const RequestChannel& channel);
  // resources/list, resources/templates/list, resources/read; nullopt for other methods.
  std::optional<json> Resources(const json& id, const std::string& method, const json& params,
                                bool modern);
  json TaskMethod(const json& id, const std::string& method, const json& params,
                  const RequestChannel& channel);

  JobManager& jobs_;
  McpTools tools_;
  TaskRegistry tasks_;  // last: its threads use tools_
};

}  // namespace presgen::mcp
