// Faults injected into `presgen run-job` on purpose, so tests can watch a job's process
// crash. The shipped binary links fault_injection_off.cpp (no faults, no switch to turn
// them on); only the test binary built by tests/service links a real implementation.
#pragma once

#include "pipeline/render_process.h"

namespace presgen {

RenderProcessHooks FaultInjectionHooks();

}  // namespace presgen
