#include "cli/serve_command.h"

#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "core/log.h"
#include "mcp/mcp_http.h"
#include "pipeline/circuit_breaker.h"
#include "pipeline/stage_cache.h"
#include "service/service.h"

namespace presgen {

// The options of every node that runs jobs (serve and worker): where the jobs are, how
// many run at once and with what defaults.
void AddJobNodeOptions(CLI::App& command, ServeArgs& args) {
  ServiceParams& p = args.params;
  command.add_option("--data-dir", p.data_dir,
                     "Jobs' files (and the SQLite job store); with a shared store, a folder "
                     "every node sees")
      ->capture_default_str();
  command.add_option("--store", args.store,
                     "Where the jobs are kept: sqlite:PATH (default DATA_DIR/jobs.sqlite) or "
                     "postgresql://user@host/database (shared by many nodes)");
  command.add_option("--workers", p.workers,
                     "Jobs rendered at once on this node (0 with a shared store: none)")
      ->capture_default_str()->check(CLI::Range(0, 64));
  command.add_option("--lease", args.lease,
                     "With a shared store: a job left by a worker that stopped is taken over "
                     "this long after its last heartbeat")
      ->capture_default_str();
  command.add_option("--ttl", args.ttl, "Jobs expire this long after their last activity")
      ->capture_default_str();
  command.add_option("--threads", p.render.threads, "CPU budget per job (default: all cores)");
  command.add_option("--llm-url", p.render.llm_url,
                     "OpenAI-compatible LLM for jobs with summarizer \"llm\"");
  command.add_option("--llm-model", p.render.llm_model, "LLM model name");
  command.add_option("--llm-max-cost", p.render.llm_max_cost_usd, "Most USD one job may spend")
      ->capture_default_str();
  command.add_option("--breaker-cooldown", args.breaker_cooldown,
                     "A stage's circuit breaker stays open this long before a job probes it")
      ->capture_default_str();
  AddStageDeadlineOption(command, p.render.stage_deadline_scale);
}

CLI::App* AddServeCommand(CLI::App& app, ServeArgs& args) {
  auto* serve = app.add_subcommand("serve", "HTTP job API and web page: upload, review, render");
  ServiceParams& p = args.params;
  serve->add_option("--host", p.host, "Address to listen on")->capture_default_str();
  serve->add_option("--port", p.port, "Port (0 = any free port)")->capture_default_str();
  AddJobNodeOptions(*serve, args);
  serve->add_option("--queue-limit", p.queue_limit, "Jobs waiting before uploads get 429")
      ->capture_default_str()->check(CLI::Range(1, 10000));
  serve->add_option("--max-upload-mb", args.max_upload_mb, "Largest upload (413 above)")
      ->capture_default_str()->check(CLI::Range(1, 1 << 20));
  serve->add_option("--upload-stall-timeout", args.upload_stall_timeout,
                    "An upload that sends less than 16 KB in this long is cut off (408)")
      ->capture_default_str();
  serve->add_option("--link-ttl", args.link_ttl, "Signed download links last this long")
      ->capture_default_str();
  serve->add_option("--api-key", p.api_key, "Require this key on /v1 (default $PRESGEN_API_KEY)");
  serve->add_option("--web-dir", p.web_dir, "Serve the page from this folder (development)");
  serve->add_option("--mcp-allowed-host", args.mcp_allowed_hosts,
                    "A host name clients reach this server by, for /mcp's Host and Origin "
                    "checks (repeatable; loopback and --host are always allowed)");
  serve->add_option("--mcp-input-dir", args.mcp_input_dir,
                    "MCP tools (POST /mcp) may read input videos from this folder only "
                    "(default: none; they render uploaded jobs)");
  return serve;
}

void AddStageDeadlineOption(CLI::App& command, double& scale) {
  command
      .add_option("--stage-deadline-scale", scale,
                  "Multiplies every stage's deadline (scaled to the input's length; 0 = none)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1000.0));
}

int64_t ParseDuration(const std::string& text) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || !(value > 0)) return -1;
  const std::string unit(end);
  double scale = 0;
  if (unit.empty() || unit == "s") scale = 1;
  if (unit == "m") scale = 60;
  if (unit == "h") scale = 3600;
  if (unit == "d") scale = 86400;
  if (scale == 0) return -1;
  return static_cast<int64_t>(value * scale + 0.5);
}

bool ConfigureBreakers(const std::string& cooldown) {
  const int64_t cooldown_s = ParseDuration(cooldown);
  if (cooldown_s <= 0) {
    std::fprintf(stderr, "presgen: error: --breaker-cooldown looks like 30s, 5m or 1h\n");
    return false;
  }
  BreakerSet::Configure(cooldown_s * 1000);
  return true;
}

bool ResolveJobNodeArgs(ServeArgs& args) {
  ServiceParams& p = args.params;
  p.ttl_s = ParseDuration(args.ttl);
  p.link_ttl_s = ParseDuration(args.link_ttl);
  p.upload_stall_s = ParseDuration(args.upload_stall_timeout);
  const int64_t lease_s = ParseDuration(args.lease);
  if (p.ttl_s <= 0 || p.link_ttl_s <= 0 || p.upload_stall_s <= 0 || lease_s <= 0) {
    std::fprintf(stderr, "presgen: error: --ttl, --link-ttl, --lease and --upload-stall-timeout "
                         "look like 90s, 30m, 24h or 7d\n");
    return false;
  }
  if (lease_s < 2) {
    std::fprintf(stderr, "presgen: error: --lease must be at least 2s (it is renewed every "
                         "third of it)\n");
    return false;
  }
  p.lease_ms = lease_s * 1000;
  if (!ConfigureBreakers(args.breaker_cooldown)) return false;
  if (!args.store.empty()) {
    auto where = ParseStoreLocation(args.store);
    if (!where.ok()) {
      std::fprintf(stderr, "presgen: error: %s\n", where.status().message().c_str());
      return false;
    }
    p.store = *where;
  }
  if (const char* key = std::getenv("PRESGEN_LLM_API_KEY")) p.render.llm_api_key = key;
  // Each job runs in a process of this very binary (`presgen run-job`): /proc/self/exe is
  // the file this node started from, even after an upgrade replaced or removed it.
  p.job_executable = "/proc/self/exe";
  return true;
}

int RunServe(ServeArgs args) {
  ServiceParams& p = args.params;
  if (!ResolveJobNodeArgs(args)) return 2;
  p.max_upload_bytes = args.max_upload_mb << 20;
  p.sweep_interval_s = std::clamp<int64_t>(p.ttl_s / 10, 1, 60);
  if (p.api_key.empty()) {
    if (const char* key = std::getenv("PRESGEN_API_KEY")) p.api_key = key;
  }

  // Signals go to one waiting thread, not to whichever thread they hit.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  if (!args.mcp_input_dir.empty() && !std::filesystem::is_directory(args.mcp_input_dir)) {
    std::fprintf(stderr, "presgen: error: --mcp-input-dir %s is not a folder\n",
                 args.mcp_input_dir.c_str());
    return 2;
  }
  mcp::McpToolParams mcp_params;
  mcp_params.transport = mcp::McpTransport::kHttp;
  mcp_params.input_dir = args.mcp_input_dir;
  mcp_params.executable = p.job_executable;
  auto service = Service::Start(p, [&](httplib::Server& server, JobManager& jobs) {
    // Reached under its --host besides loopback (0.0.0.0 names no host: a proxy in front
    // must then pass a loopback Host, or the operator lists names with --mcp-allowed-host).
    std::vector<std::string> hosts = args.mcp_allowed_hosts;
    if (p.host != "0.0.0.0" && p.host != "::") hosts.push_back(p.host);
    mcp::MountMcpHttp(server, jobs, mcp_params, hosts);
  });
  if (!service.ok()) {
    std::fprintf(stderr, "presgen: error: %s\n", service.status().message().c_str());
    return 2;
  }
  std::printf("presgen serve: listening on %s\n", (*service)->url().c_str());
  std::fflush(stdout);
  LogEvent(spdlog::level::info, "service_started", "listening on " + (*service)->url(),
           {{"url", (*service)->url()}, {"data_dir", p.data_dir}, {"workers", p.workers}});
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    LogEvent(spdlog::level::warn, "service_stopping",
             "presgen serve: stopping (signal " + std::to_string(sig) + ")", {{"signal", sig}});
    (*service)->Stop();
  });
  (*service)->Run();
  (*service)->Stop();
  // Wake the waiter if the server ended on its own.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  return 0;
}

}  // namespace presgen
