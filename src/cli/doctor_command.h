// `presgen doctor`: the pre-demo checklist (readiness/readiness.h) as a table for people or
// JSON for machines; exit 0 when ready (warnings allowed), 1 when a required check fails.
#pragma once

#include <CLI/CLI.hpp>

#include "readiness/readiness.h"

namespace presgen {

struct DoctorArgs {
  ReadinessParams params;
  bool json = false;
  bool no_smoke_render = false;
};

CLI::App* AddDoctorCommand(CLI::App& app, DoctorArgs& args);
int RunDoctor(DoctorArgs args);

}  // namespace presgen
