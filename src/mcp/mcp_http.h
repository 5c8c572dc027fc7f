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

#include <httplib.h>

#include "mcp/mcp_server.h"

namespace presgen::mcp {

class McpHttpEndpoint;

// Mounts POST/GET/DELETE /mcp on `server` (before any catch-all route). The endpoint lives
// as long as the server's handlers.
void MountMcpHttp(httplib::Server& server, JobManager& jobs, McpToolParams params);

// Whether `origin` (an Origin header) may call: loopback origins, and the server's own
// host as the client named it in `host` (a Host header). Exposed for tests.
bool OriginAllowed(const std::string& origin, const std::string& host);

}  // namespace presgen::mcp
