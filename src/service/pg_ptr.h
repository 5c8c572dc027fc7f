// RAII handles for libpq, PostgreSQL's C client (one header per C library, DESIGN §10).
#pragma once

#include <libpq-fe.h>

#include <memory>

namespace presgen {

struct PgConnCloser {
  void operator()(PGconn* conn) const { PQfinish(conn); }
};
struct PgResultClearer {
  void operator()(PGresult* result) const { PQclear(result); }
};

using PgConnPtr = std::unique_ptr<PGconn, PgConnCloser>;
using PgResultPtr = std::unique_ptr<PGresult, PgResultClearer>;

}  // namespace presgen
