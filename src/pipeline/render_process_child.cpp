// The child's side of pipeline/render_process.h: `presgen run-job SPEC`.
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "core/json_io.h"
#include "core/subprocess.h"
#include "pipeline/child_process_protocol.h"
#include "pipeline/render_process.h"

namespace presgen {
namespace {

using SteadyTime = std::chrono::steady_clock;

std::atomic<bool> g_stop_requested{false};
void OnStopSignal(int) { g_stop_requested = true; }

}  // namespace

int RunRenderProcessChild(const std::string& spec_path, const RenderProcessHooks& hooks) {
  ReportChannel report;
  auto spec = ReadRenderProcessSpec(spec_path);
  if (!spec.ok()) {
    report.Send(FailureReportLine(spec.status()));
    return 2;
  }
  if (!EndWithParent(spec->parent_pid)) return 1;  // the parent is already gone
  // Helpers (headless Chromium) stay in this process's group, which the parent kills.
  SetSubprocessGrouping(SubprocessGrouping::kCallerGroup);
  struct sigaction stop {};
  stop.sa_handler = OnStopSignal;
  stop.sa_flags = SA_RESTART;
  sigemptyset(&stop.sa_mask);
  ::sigaction(SIGTERM, &stop, nullptr);
  ::sigaction(SIGINT, &stop, nullptr);

  RenderOptions options = spec->options;
  if (const char* key = std::getenv(kRenderProcessLlmKeyEnv)) {
    options.llm_api_key = key;
    ::unsetenv(kRenderProcessLlmKeyEnv);  // helpers never see it
  }
  SPDLOG_INFO("render process {}: attempt {} of {}", ::getpid(), spec->attempt, options.workdir);

  std::string stage;
  auto last_sent = SteadyTime::now();
  auto progress = [&](const std::string& now_stage, double fraction) {
    const auto now = SteadyTime::now();
    const bool new_stage = now_stage != stage;
    if (!new_stage && now - last_sent < std::chrono::milliseconds(100)) return;
    stage = now_stage;
    last_sent = now;
    report.Send(ProgressReportLine(stage, fraction));
    if (new_stage && hooks.on_stage) hooks.on_stage(stage, spec->attempt);
  };
  return ReportOutcome(report, [&]() -> Result<nlohmann::json> {
    JobHooks job_hooks;
    job_hooks.on_stage_end = [&](const StageReport& r) { report.Send(StageDoneReportLine(r)); };
    job_hooks.on_step = hooks.on_step;
    auto result =
        RunRenderJob(options, progress, [] { return g_stop_requested.load(); }, job_hooks);
    if (!result.ok()) return result.status();
    return nlohmann::json(*result);
  });
}

}  // namespace presgen
