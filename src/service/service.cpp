#include "service/service.h"

#include <csignal>
#include <spdlog/spdlog.h>

namespace presgen {
namespace {

constexpr int kHttpThreads = 32;  // event streams hold a thread each

}  // namespace

Result<std::unique_ptr<Service>> Service::Start(const ServiceParams& params,
                                                const ExtraRoutes& extra_routes) {
  // A client that goes away mid-answer must not kill the process.
  std::signal(SIGPIPE, SIG_IGN);
  std::unique_ptr<Service> s(new Service());
  s->params_ = params;
  auto jobs = JobManager::Open(params);
  if (!jobs.ok()) return jobs.status();
  s->jobs_ = std::move(jobs).value();
  s->api_ = std::make_unique<HttpApi>(*s->jobs_);
  s->server_.new_task_queue = [] { return new httplib::ThreadPool(kHttpThreads); };
  // Uploads are bounded by the API itself (413 before reading); this only
  // guards the bodies cpp-httplib reads for us.
  s->server_.set_payload_max_length(static_cast<size_t>(params.max_upload_bytes) + (1 << 20));
  s->server_.set_read_timeout(60, 0);
  s->server_.set_write_timeout(60, 0);
  if (extra_routes) extra_routes(s->server_, *s->jobs_);
  s->api_->Register(s->server_);
  if (params.port == 0) {
    s->port_ = s->server_.bind_to_any_port(params.host);
  } else if (s->server_.bind_to_port(params.host, params.port)) {
    s->port_ = params.port;
  }
  if (s->port_ <= 0) {
    return Status::InvalidInput("cannot listen on " + params.host + ":" +
                                std::to_string(params.port) + " (in use or not allowed)");
  }
  s->sweeper_ = std::thread([raw = s.get()] { raw->SweepLoop(); });
  return s;
}

Service::~Service() {
  Stop();
  if (sweeper_.joinable()) sweeper_.join();
}

std::string Service::url() const {
  return "http://" + params_.host + ":" + std::to_string(port_);
}

void Service::Run() { server_.listen_after_bind(); }

void Service::Stop() {
  {
    std::lock_guard lock(sweep_mu_);  // the sweeper is waiting or will see the flag
    if (stopping_.exchange(true)) return;
  }
  sweep_wake_.notify_all();
  jobs_->Stop();  // wakes event streams and puts running jobs back in the queue
  server_.stop();
}

void Service::SweepLoop() {
  const auto interval = std::chrono::seconds(std::max<int64_t>(1, params_.sweep_interval_s));
  while (!stopping_) {
    jobs_->SweepExpired(NowSeconds());
    std::unique_lock lock(sweep_mu_);
    sweep_wake_.wait_for(lock, interval, [&] { return stopping_.load(); });
  }
}

}  // namespace presgen
