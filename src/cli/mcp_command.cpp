#include "cli/mcp_command.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "cli/serve_command.h"
#include "core/log.h"
#include "mcp/mcp_stdio.h"
#include "service/job_manager.h"

namespace presgen {
namespace {

std::string DefaultDataDir() {
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg == '/') {
    return std::string(xdg) + "/presgen";
  }
  if (const char* home = std::getenv("HOME"); home && *home) {
    return std::string(home) + "/.local/share/presgen";
  }
  return "presgen-data";
}

}  // namespace

CLI::App* AddMcpCommand(CLI::App& app, McpArgs& args) {
  auto* mcp = app.add_subcommand(
      "mcp", "MCP server on stdin/stdout for AI agents (Claude Desktop, VS Code, Cursor, ...)");
  mcp->add_option("--data-dir", args.data_dir,
                  "Jobs' files and the job store (default $XDG_DATA_HOME/presgen)");
  mcp->add_option("--workers", args.workers, "Jobs rendered at once")
      ->capture_default_str()->check(CLI::Range(1, 64));
  mcp->add_option("--ttl", args.ttl, "Jobs expire this long after their last activity")
      ->capture_default_str();
  mcp->add_option("--breaker-cooldown", args.breaker_cooldown,
                  "A stage's circuit breaker stays open this long before a job probes it")
      ->capture_default_str();
  AddStageDeadlineOption(*mcp, args.stage_deadline_scale);
  return mcp;
}

int RunMcp(const McpArgs& args) {
  ServiceParams p;
  p.data_dir = args.data_dir.empty() ? DefaultDataDir() : args.data_dir;
  p.workers = args.workers;
  p.ttl_s = ParseDuration(args.ttl);
  if (p.ttl_s <= 0) {
    std::fprintf(stderr, "presgen: error: --ttl looks like 90s, 30m, 24h or 7d\n");
    return 2;
  }
  if (!ConfigureBreakers(args.breaker_cooldown)) return 2;
  p.queue_limit = 64;
  p.render.stage_deadline_scale = args.stage_deadline_scale;
  p.job_executable = "/proc/self/exe";
  if (const char* key = std::getenv("PRESGEN_LLM_API_KEY")) p.render.llm_api_key = key;
  std::error_code ec;
  std::filesystem::create_directories(p.data_dir, ec);

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // A client that closes the pipe mid-answer ends the session, not the process by signal.
  std::signal(SIGPIPE, SIG_IGN);

  auto jobs = JobManager::Open(p);
  if (!jobs.ok()) {
    std::fprintf(stderr, "presgen: error: %s\n", jobs.status().message().c_str());
    return 2;
  }
  std::atomic<bool> stop{false};
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    // Stopping the jobs first keeps them: calls waiting on them end without cancelling
    // (a restarted server runs them again); only a client that goes away cancels its calls.
    (*jobs)->Stop();
    stop = true;
  });
  {
    mcp::McpToolParams tool_params;
    tool_params.transport = mcp::McpTransport::kStdio;
    tool_params.executable = p.job_executable;
    mcp::McpServer server(**jobs, tool_params);
    LogEvent(spdlog::level::info, "service_started",
             "presgen mcp: serving on stdio (data in " + p.data_dir + ")",
             {{"transport", "stdio"}, {"data_dir", p.data_dir}});
    mcp::ServeMcpStdio(server, STDIN_FILENO, STDOUT_FILENO, stop);
  }
  // Wake the waiter (it stops the jobs) before stopping them here: never two Stop()s at once.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  (*jobs)->Stop();
  return 0;
}

}  // namespace presgen
