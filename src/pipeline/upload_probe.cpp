#include "pipeline/upload_probe.h"

#include <signal.h>
#include <spdlog/spdlog.h>

#include <exception>
#include <nlohmann/json.hpp>

#include "core/json_io.h"
#include "core/subprocess.h"
#include "pipeline/child_process_protocol.h"

namespace presgen {
namespace {

// Signals a damaged or hostile file makes a demuxer or decoder die of.
bool IsCrashSignal(int sig) {
  return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE || sig == SIGABRT;
}

}  // namespace

Result<MediaInfo> ProbeUploadInChild(const std::string& path, const UploadProbeParams& params) {
  if (params.executable.empty()) return Status::InvalidInput("no presgen executable to probe with");
  ChildReport report;
  SubprocessOptions run;
  run.timeout_ms = params.timeout_ms;
  run.should_abort = params.should_abort;
  run.on_stdout_line = [&](const std::string& line) { report.OnLine(line); };
  auto ended = RunSubprocess({params.executable, "run-probe", path}, run);
  if (!ended.ok()) return ended.status();
  if (!report.done()) {
    const std::string how = ended->term_signal != 0
                                ? SignalName(ended->term_signal)
                                : "exit code " + std::to_string(ended->exit_code);
    SPDLOG_WARN("probe of {} ended without a result ({})", path, how);
    if (IsCrashSignal(ended->term_signal)) {
      return Status::InvalidInput(path + ": cannot be read (the probe crashed: " + how + ")");
    }
    return Status::Unavailable("the upload could not be checked (the probe process ended: " + how +
                               "); try again");
  }
  if (!report.status().ok()) return report.status();
  try {
    return report.result().get<MediaInfo>();
  } catch (const nlohmann::json::exception& e) {
    return Status::Internal(std::string("unreadable probe result: ") + e.what());
  }
}

int RunUploadProbeChild(const std::string& path, const RenderProcessHooks& hooks) {
  ReportChannel report;
  EndWithParent(0);
  if (hooks.on_stage) hooks.on_stage("upload-probe", 1);
  return ReportOutcome(report, [&]() -> Result<nlohmann::json> {
    auto info = ProbeInput(path);
    if (!info.ok()) return info.status();
    return nlohmann::json(*info);
  });
}

}  // namespace presgen
