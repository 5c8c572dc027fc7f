// `presgen worker`: a render node on a shared job store. It serves no HTTP; it claims jobs
// from PostgreSQL, renders them in its data folder (shared with the API nodes) and stops
// on SIGINT/SIGTERM, giving its running jobs back to the queue.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/serve_command.h"

namespace presgen {

CLI::App* AddWorkerCommand(CLI::App& app, ServeArgs& args);
// Returns the process exit code (2 for bad options or a store it cannot use).
int RunWorker(ServeArgs args);

}  // namespace presgen
