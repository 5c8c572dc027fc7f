// `presgen serve`: the job API and the web page on one HTTP server, the job
// store and workers behind it, and a sweeper removing expired jobs.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include <httplib.h>

#include "service/http_api.h"
#include "service/job_manager.h"

namespace presgen {

class Service {
 public:
  // Opens the data folder and the job store, re-queues interrupted jobs and
  // binds the port. Errors: kInvalidInput for a bad folder or a port in use.
  // `extra_routes` mounts more endpoints (MCP's /mcp) before the API's own routes.
  using ExtraRoutes = std::function<void(httplib::Server& server, JobManager& jobs)>;
  static Result<std::unique_ptr<Service>> Start(const ServiceParams& params,
                                                const ExtraRoutes& extra_routes = {});
  ~Service();

  int port() const { return port_; }
  std::string url() const;
  // Serves until Stop() (from another thread or a signal handler's thread).
  void Run();
  void Stop();

  JobManager& jobs() { return *jobs_; }

 private:
  Service() = default;
  void SweepLoop();

  ServiceParams params_;
  std::unique_ptr<JobManager> jobs_;
  std::unique_ptr<HttpApi> api_;
  httplib::Server server_;
  int port_ = 0;
  std::thread sweeper_;
  std::mutex sweep_mu_;
  std::condition_variable sweep_wake_;
  std::atomic<bool> stopping_{false};
};

}  // namespace presgen
