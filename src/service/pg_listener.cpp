#include "service/pg_listener.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <spdlog/spdlog.h>

namespace presgen {
namespace {

// The server's notices (a restart's "terminating connection", warnings) go to the log, not
// to whatever stderr is.
void LogNotice(void*, const char* message) {
  spdlog::debug("job store: {}", FirstLineOf(message));
}

}  // namespace

std::string FirstLineOf(const char* message) {
  std::string s = message ? message : "";
  const size_t end = s.find('\n');
  return end == std::string::npos ? s : s.substr(0, end);
}

Result<PgConnPtr> ConnectToStore(const StoreLocation& where) {
  const char* keys[] = {"dbname", "connect_timeout", "application_name", nullptr};
  const char* values[] = {where.target.c_str(), "10", "presgen", nullptr};
  PgConnPtr conn(PQconnectdbParams(keys, values, /*expand_dbname=*/1));
  if (!conn || PQstatus(conn.get()) != CONNECTION_OK) {
    return Status::Unavailable(where.Display() + ": cannot connect to the job store (" +
                               FirstLineOf(conn ? PQerrorMessage(conn.get()) : "out of memory") +
                               ")");
  }
  PQsetNoticeProcessor(conn.get(), LogNotice, nullptr);
  return conn;
}

PgListener::PgListener(StoreLocation where, std::string channel,
                       std::function<void(const std::string&)> on_payload,
                       std::function<void()> on_reconnect)
    : where_(std::move(where)),
      channel_(std::move(channel)),
      on_payload_(std::move(on_payload)),
      on_reconnect_(std::move(on_reconnect)) {}

Result<std::unique_ptr<JobStore::Listener>> PgListener::Start(
    const StoreLocation& where, std::string channel,
    std::function<void(const std::string&)> on_payload, std::function<void()> on_reconnect) {
  std::unique_ptr<PgListener> l(new PgListener(where, std::move(channel), std::move(on_payload),
                                               std::move(on_reconnect)));
  if (::pipe2(l->wake_, O_CLOEXEC | O_NONBLOCK) != 0) {
    return Status::Internal("cannot make the listener's wake-up pipe");
  }
  if (Status st = l->Connect(); !st.ok()) return st;
  l->thread_ = std::thread([raw = l.get()] { raw->Loop(); });
  return std::unique_ptr<JobStore::Listener>(std::move(l));
}

PgListener::~PgListener() {
  stopping_ = true;
  if (wake_[1] >= 0) (void)::write(wake_[1], "x", 1);
  if (thread_.joinable()) thread_.join();
  for (int fd : wake_)
    if (fd >= 0) ::close(fd);
}

Status PgListener::Connect() {
  auto conn = ConnectToStore(where_);
  if (!conn.ok()) return conn.status();
  // The channel is ours (a constant): an identifier, not user input.
  PgResultPtr r(PQexec(conn->get(), ("LISTEN " + channel_).c_str()));
  if (!r || PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
    return Status::Unavailable(where_.Display() + ": LISTEN failed (" +
                               FirstLineOf(PQerrorMessage(conn->get())) + ")");
  }
  conn_ = std::move(conn).value();
  return Status::Ok();
}

void PgListener::Loop() {
  auto backoff = std::chrono::milliseconds(200);
  while (!stopping_) {
    if (!conn_) {
      pollfd wait{wake_[0], POLLIN, 0};
      if (::poll(&wait, 1, static_cast<int>(backoff.count())) > 0 || stopping_) break;
      if (Status st = Connect(); !st.ok()) {
        backoff = std::min<std::chrono::milliseconds>(backoff * 2, std::chrono::seconds(5));
        spdlog::warn("job store listener: {} (next try in {} ms)", st.message(), backoff.count());
        continue;
      }
      backoff = std::chrono::milliseconds(200);
      spdlog::info("job store listener: connected again");
      if (on_reconnect_) on_reconnect_();
    }
    pollfd fds[2] = {{PQsocket(conn_.get()), POLLIN, 0}, {wake_[0], POLLIN, 0}};
    const int ready = ::poll(fds, 2, 5000);
    if (stopping_) break;
    if (ready < 0) continue;  // EINTR
    if (PQconsumeInput(conn_.get()) == 0 || PQstatus(conn_.get()) != CONNECTION_OK) {
      spdlog::warn("job store listener: the connection dropped ({})",
                   FirstLineOf(PQerrorMessage(conn_.get())));
      conn_.reset();
      continue;
    }
    while (PGnotify* n = PQnotifies(conn_.get())) {
      const std::string payload = n->extra ? n->extra : "";
      PQfreemem(n);
      on_payload_(payload);
    }
  }
}

}  // namespace presgen
