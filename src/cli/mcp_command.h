// `presgen mcp`: the MCP server on stdin/stdout (docs/mcp.md).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace presgen {

struct McpArgs {
  std::string data_dir;  // "" = $XDG_DATA_HOME/presgen (~/.local/share/presgen)
  int workers = 1;
  std::string ttl = "7d";
  std::string breaker_cooldown = "60s";
  double stage_deadline_scale = 1.0;
};

CLI::App* AddMcpCommand(CLI::App& app, McpArgs& args);

// Serves one MCP client on stdio until it goes away or SIGINT/SIGTERM; the exit code.
int RunMcp(const McpArgs& args);

}  // namespace presgen
