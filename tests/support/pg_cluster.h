// A real PostgreSQL server for one test binary: a temporary cluster made with initdb,
// started with pg_ctl on a free loopback port (and a socket in its own folder), stopped
// and removed when the object goes. As root (CI), the server runs as the `postgres` user.
#pragma once

#include <string>

namespace presgen::testing {

class PgCluster {
 public:
  PgCluster();  // starts it; ok() says whether it runs, error() why not
  ~PgCluster();
  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;

  bool ok() const { return running_; }
  const std::string& error() const { return error_; }
  int port() const { return port_; }
  // The cluster's data folder (postgresql.conf, pg_hba.conf).
  std::string data_dir() const { return dir_ + "/data"; }
  // postgresql://presgen@127.0.0.1:PORT/NAME
  std::string Uri(const std::string& database) const;
  // A new, empty database; "" on success, else why not.
  std::string CreateDatabase(const std::string& name) const;
  // Runs `sql` in `database` (for tests that reach behind the store); "" or the error.
  std::string Execute(const std::string& database, const std::string& sql) const;
  // The first row's first column of `sql` ("" when none or on error).
  std::string QueryValue(const std::string& database, const std::string& sql) const;
  // Stops the server and starts it again on the same port (its clients' connections drop).
  bool Restart();
  // Stops it (clients see it unreachable) until Start() brings it back on the same port.
  bool Stop();
  bool Start();

 private:
  bool PgCtl(const std::string& action);

  std::string dir_, bin_, error_;
  int port_ = 0;
  bool running_ = false;
};

// The cluster shared by a test binary's PostgreSQL tests, started on first use.
PgCluster& SharedPgCluster();

}  // namespace presgen::testing
