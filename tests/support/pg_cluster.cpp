#include "support/pg_cluster.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>

#include "service/pg_ptr.h"

namespace presgen::testing {
namespace {

namespace fs = std::filesystem;

int FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

// Debian keeps the server programs in /usr/lib/postgresql/<version>/bin.
std::string ServerBinDir() {
  std::error_code ec;
  std::string best;
  for (const auto& e : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    const fs::path bin = e.path() / "bin";
    if (fs::exists(bin / "initdb") && fs::exists(bin / "pg_ctl") && bin.string() > best) best = bin;
  }
  return best;
}

std::string Quote(const std::string& s) { return "'" + s + "'"; }

}  // namespace

PgCluster::PgCluster() {
  bin_ = ServerBinDir();
  if (bin_.empty()) {
    error_ = "no PostgreSQL server under /usr/lib/postgresql (apt install postgresql-15)";
    return;
  }
  std::string pattern = (fs::temp_directory_path() / "presgen-pg-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    error_ = "mkdtemp failed";
    return;
  }
  dir_ = pattern;
  if (::geteuid() == 0) {  // initdb refuses root: the cluster belongs to `postgres`
    const passwd* pg = ::getpwnam("postgres");
    if (pg == nullptr || ::chown(dir_.c_str(), pg->pw_uid, pg->pw_gid) != 0) {
      error_ = "running as root, but there is no `postgres` user to own the cluster";
      return;
    }
  }
  const std::string as_user = ::geteuid() == 0 ? "runuser -u postgres -- " : "";
  const std::string initdb = as_user + Quote(bin_ + "/initdb") + " -D " + Quote(dir_ + "/data") +
                             " -U presgen -A trust -E UTF8 --no-sync > " +
                             Quote(dir_ + "/initdb.log") + " 2>&1";
  if (std::system(initdb.c_str()) != 0) {
    error_ = "initdb failed (see " + dir_ + "/initdb.log)";
    return;
  }
  port_ = FreePort();
  running_ = PgCtl("start");
}

PgCluster::~PgCluster() {
  if (running_) PgCtl("stop");
  std::error_code ec;
  if (!dir_.empty()) fs::remove_all(dir_, ec);
}

bool PgCluster::PgCtl(const std::string& action) {
  const std::string as_user = ::geteuid() == 0 ? "runuser -u postgres -- " : "";
  std::string cmd = as_user + Quote(bin_ + "/pg_ctl") + " -D " + Quote(dir_ + "/data") + " -l " +
                    Quote(dir_ + "/server.log") + " -w -t 60 ";
  if (action == "stop") {
    cmd += "-m fast stop";
  } else {
    cmd += "-o " + Quote("-p " + std::to_string(port_) + " -k " + dir_ +
                         " -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off") +
           " " + action;
  }
  cmd += " > /dev/null 2>&1";
  if (std::system(cmd.c_str()) != 0) {
    error_ = "pg_ctl " + action + " failed (see " + dir_ + "/server.log)";
    return false;
  }
  return true;
}

bool PgCluster::Restart() {
  running_ = PgCtl("restart");
  return running_;
}

std::string PgCluster::Uri(const std::string& database) const {
  return "postgresql://presgen@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

std::string PgCluster::Execute(const std::string& database, const std::string& sql) const {
  PgConnPtr conn(PQconnectdb(Uri(database).c_str()));
  if (!conn || PQstatus(conn.get()) != CONNECTION_OK) {
    return "cannot connect: " + std::string(conn ? PQerrorMessage(conn.get()) : "");
  }
  PgResultPtr r(PQexec(conn.get(), sql.c_str()));
  const ExecStatusType st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return PQerrorMessage(conn.get());
  return "";
}

std::string PgCluster::QueryValue(const std::string& database, const std::string& sql) const {
  PgConnPtr conn(PQconnectdb(Uri(database).c_str()));
  if (!conn || PQstatus(conn.get()) != CONNECTION_OK) return "";
  PgResultPtr r(PQexec(conn.get(), sql.c_str()));
  if (!r || PQresultStatus(r.get()) != PGRES_TUPLES_OK || PQntuples(r.get()) == 0) return "";
  return PQgetvalue(r.get(), 0, 0);
}

bool PgCluster::Stop() {
  if (running_ && PgCtl("stop")) running_ = false;
  return !running_;
}

bool PgCluster::Start() {
  if (!running_) running_ = PgCtl("start");
  return running_;
}

std::string PgCluster::CreateDatabase(const std::string& name) const {
  return Execute("postgres", "CREATE DATABASE \"" + name + "\"");
}

PgCluster& SharedPgCluster() {
  static PgCluster cluster;  // stopped when the test binary exits
  return cluster;
}

}  // namespace presgen::testing
