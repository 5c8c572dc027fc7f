#include "cli/worker_command.h"

#include <pthread.h>
#include <signal.h>

#include <cstdio>

#include "core/log.h"
#include "service/job_manager.h"

namespace presgen {

CLI::App* AddWorkerCommand(CLI::App& app, ServeArgs& args) {
  auto* worker = app.add_subcommand(
      "worker", "Render jobs from a shared job store (PostgreSQL), beside `presgen serve` nodes");
  AddJobNodeOptions(*worker, args);
  return worker;
}

int RunWorker(ServeArgs args) {
  ServiceParams& p = args.params;
  if (!ResolveJobNodeArgs(args)) return 2;
  if (p.store.kind != StoreLocation::Kind::kPostgres) {
    std::fprintf(stderr, "presgen: error: --store: a worker needs the job store the API nodes "
                         "share (postgresql://user@host/database)\n");
    return 2;
  }
  if (p.workers < 1) {
    std::fprintf(stderr, "presgen: error: --workers: a worker renders at least 1 job at once\n");
    return 2;
  }
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // before any thread starts

  auto jobs = JobManager::Open(p);
  if (!jobs.ok()) {
    std::fprintf(stderr, "presgen: error: %s\n", jobs.status().message().c_str());
    return 2;
  }
  std::printf("presgen worker: %d workers on %s\n", p.workers, p.store.Display().c_str());
  std::fflush(stdout);
  LogEvent(spdlog::level::info, "worker_started", "rendering jobs from " + p.store.Display(),
           {{"store", p.store.Display()}, {"data_dir", p.data_dir}, {"workers", p.workers}});
  int sig = 0;
  sigwait(&signals, &sig);
  LogEvent(spdlog::level::warn, "worker_stopping",
           "presgen worker: stopping (signal " + std::to_string(sig) + ")", {{"signal", sig}});
  (*jobs)->Stop();  // running jobs go back to the queue, their leases free at once
  return 0;
}

}  // namespace presgen
