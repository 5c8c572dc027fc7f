// LISTEN on a PostgreSQL channel, on a connection and a thread of its own: every NOTIFY on
// the channel (from any node) reaches `on_payload`. A dropped connection is re-made with
// backoff (0.2 s doubling to 5 s); `on_reconnect` runs once it is back, because what was
// notified meanwhile is lost and the listener's owner has to look again.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "service/job_store.h"
#include "service/pg_ptr.h"

namespace presgen {

class PgListener : public JobStore::Listener {
 public:
  // Errors: kUnavailable when the first connection or LISTEN fails (naming the location).
  static Result<std::unique_ptr<JobStore::Listener>> Start(
      const StoreLocation& where, std::string channel,
      std::function<void(const std::string&)> on_payload, std::function<void()> on_reconnect);
  ~PgListener() override;  // stops and joins the thread

 private:
  PgListener(StoreLocation where, std::string channel,
             std::function<void(const std::string&)> on_payload,
             std::function<void()> on_reconnect);
  Status Connect();
  void Loop();

  StoreLocation where_;
  std::string channel_;
  std::function<void(const std::string&)> on_payload_;
  std::function<void()> on_reconnect_;
  PgConnPtr conn_;
  int wake_[2] = {-1, -1};  // a pipe: the destructor's write ends the loop's poll at once
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

// A libpq connection to `where` (the store's connection settings; a 10 s connect timeout).
// Errors: kUnavailable "LOCATION: cannot connect to the job store (why)".
Result<PgConnPtr> ConnectToStore(const StoreLocation& where);

// libpq's messages are several lines (ERROR, DETAIL, HINT): the first is the one line.
std::string FirstLineOf(const char* message);

}  // namespace presgen
