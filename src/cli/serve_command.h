// `presgen serve`: its command-line options and the loop that runs the service
// until SIGINT/SIGTERM.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "service/job_manager.h"

namespace presgen {

struct ServeArgs {
  ServiceParams params;
  std::string ttl = "24h";
  std::string link_ttl = "1h";
  std::string breaker_cooldown = "60s";
  std::string upload_stall_timeout = "30s";
  std::string lease = "30s";
  std::string store;  // --store: "" = sqlite:DATA_DIR/jobs.sqlite
  int64_t max_upload_mb = 2048;
  std::string mcp_input_dir;  // MCP tools may read server files only inside this folder
  std::vector<std::string> mcp_allowed_hosts;  // /mcp: Host/Origin names besides loopback
};

CLI::App* AddServeCommand(CLI::App& app, ServeArgs& args);

// The options every node that runs jobs has (serve, worker): data folder, store, workers,
// lease, TTL and the jobs' render defaults.
void AddJobNodeOptions(CLI::App& command, ServeArgs& args);
// Parses and checks them into args.params; false after printing the one error line.
bool ResolveJobNodeArgs(ServeArgs& args);

// Parses "90s", "30m", "24h", "7d" or plain seconds; -1 when malformed.
int64_t ParseDuration(const std::string& text);

// Sets the process's circuit-breaker cool-down from "60s"/"5m"; false (after printing the
// error line) when malformed. Shared by `serve` and `mcp`.
bool ConfigureBreakers(const std::string& cooldown);

// --stage-deadline-scale on `command` (render, serve, mcp): a factor on every engine call's
// deadline (pipeline/stage_deadlines.h); 0 turns them off.
void AddStageDeadlineOption(CLI::App& command, double& scale);

// Runs the service; returns the process exit code (2 for bad options).
int RunServe(ServeArgs args);

}  // namespace presgen
