#include "service/service.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <spdlog/spdlog.h>

#include "service/elastic_pool.h"

namespace presgen {
namespace {

// A connection holds a thread for its life (an event stream, a keep-alive client): the pool
// grows with them (service/elastic_pool.h) so watchers never starve the API.
constexpr size_t kHttpThreadsAtStart = 16;
constexpr size_t kHttpThreadsMost = 1024;
// cpp-httplib listens with a backlog of 5: a burst of connections (a page's assets, a load
// balancer, many watchers) then waits a second for SYN retries. The kernel's cap applies.
constexpr int kListenBacklog = 1024;
// A keep-alive client may send this many requests on one connection (cpp-httplib: 5, so a
// busy client reconnects every fifth request).
constexpr size_t kKeepAliveRequests = 1000;

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
  s->server_.new_task_queue = [] {
    return new ElasticThreadPool(kHttpThreadsAtStart, kHttpThreadsMost);
  };
  // Uploads are bounded by the API itself (413 before reading); this only
  // guards the bodies cpp-httplib reads for us.
  s->server_.set_payload_max_length(static_cast<size_t>(params.max_upload_bytes) + (1 << 20));
  s->server_.set_read_timeout(60, 0);
  s->server_.set_write_timeout(60, 0);
  s->server_.set_keep_alive_max_count(kKeepAliveRequests);
  // The listening socket, to raise its backlog once bound (listen() again may change it).
  // TCP_NODELAY (inherited by accepted sockets): cpp-httplib writes an answer's headers and
  // body apart, and Nagle would hold the body for the client's delayed ACK — 40 ms a request.
  int listen_fd = -1;
  s->server_.set_socket_options([&listen_fd](socket_t sock) {
    httplib::default_socket_options(sock);
    const int on = 1;
    ::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    listen_fd = sock;
  });
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
  if (listen_fd >= 0 && ::listen(listen_fd, kListenBacklog) != 0) {
    spdlog::warn("cannot raise the listen backlog: {}", std::strerror(errno));
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
  if (jobs_) jobs_->Stop();  // wakes event streams and puts running jobs back in the queue
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
