// MCP over Streamable HTTP at /mcp on `presgen serve`'s port (docs/mcp.md): POST one
// JSON-RPC message; a request is answered as JSON, or as an SSE stream when it asked for
// progress (its notifications, then its answer). 2025-11-25 clients get an Mcp-Session-Id
// from `initialize`; 2026-07-28 requests are stateless. A foreign Origin is refused (403,
// DNS-rebinding protection); the API key, when set, is required as on /v1.
//
// Thread-safety: the handlers run on the HTTP server's threads; the endpoint locks its own
// state.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <httplib.h>

#include "mcp/mcp_server.h"

namespace presgen::mcp {

class McpHttpEndpoint;

// Mounts POST/GET/DELETE /mcp on `server` (before any catch-all route). The endpoint lives
// as long as the server's handlers. `allowed_hosts`: names besides loopback under which
// the server may be reached (its --host when that is a name or address of its own).
void MountMcpHttp(httplib::Server& server, JobManager& jobs, McpToolParams params,
                  std::vector<std::string> allowed_hosts);

// DNS-rebinding protection: a request may call only when its Host header names loopback or
// an allowed host, and its Origin (when a browser sent one) does too. Never compares the
// two headers with each other (a rebound page sends matching ones). Exposed for tests.
bool RequestHostsAllowed(const std::string& origin, const std::string& host,
                         const std::vector<std::string>& allowed_hosts);

}  // namespace presgen::mcp
