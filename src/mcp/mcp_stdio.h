// MCP over stdio: one JSON-RPC message per line on `in_fd`, answers and notifications one
// per line on `out_fd`, nothing else on it (logs go to stderr). Tool calls run on threads
// of their own so pings, cancellations and other calls are answered meanwhile.
#pragma once

#include <atomic>

#include "mcp/mcp_server.h"

namespace presgen::mcp {

// Serves until the input ends (the client went away), the output breaks, or *stop turns
// true (polled every 200 ms). Calls still running are then cancelled (their jobs stopped
// and removed) and waited for. Lines longer than 16 MiB are refused.
void ServeMcpStdio(McpServer& server, int in_fd, int out_fd, const std::atomic<bool>& stop);

}  // namespace presgen::mcp
