// The child's side of pipeline/render_process.h: `presgen run-job SPEC`.
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <string>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "core/json_io.h"
#include "pipeline/render_process.h"
#include "pipeline/render_process_spec.h"

namespace presgen {
namespace {

using Clock = std::chrono::steady_clock;

std::atomic<bool> g_stop_requested{false};
void OnStopSignal(int) { g_stop_requested = true; }

// Report lines go to a private copy of the original stdout; stdout itself then points at
// stderr, so whatever a library prints can never be taken for a report.
class ReportChannel {
 public:
  ReportChannel() : fd_(::dup(STDOUT_FILENO)) { ::dup2(STDERR_FILENO, STDOUT_FILENO); }
  ~ReportChannel() {
    if (fd_ >= 0) ::close(fd_);
  }
  ReportChannel(const ReportChannel&) = delete;
  ReportChannel& operator=(const ReportChannel&) = delete;

  // One write per line: a parent reading the pipe never sees half a line from us.
  void Send(std::string line) {
    line += '\n';
    size_t done = 0;
    while (done < line.size()) {
      const ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;  // the parent is gone; PR_SET_PDEATHSIG ends us soon
      done += static_cast<size_t>(n);
    }
  }

 private:
  int fd_;
};

}  // namespace

int RunRenderProcessChild(const std::string& spec_path, const RenderProcessHooks& hooks) {
  auto spec = ReadRenderProcessSpec(spec_path);
  ReportChannel report;
  if (!spec.ok()) {
    report.Send(FailureReportLine(spec.status()));
    return 2;
  }
  // End with the parent: a supervisor killed with SIGKILL must not leave renders running.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (spec->parent_pid != 0 && ::getppid() != spec->parent_pid) return 1;  // already gone
  struct sigaction stop {};
  stop.sa_handler = OnStopSignal;
  sigemptyset(&stop.sa_mask);
  ::sigaction(SIGTERM, &stop, nullptr);
  ::sigaction(SIGINT, &stop, nullptr);

  RenderOptions options = spec->options;
  if (const char* key = std::getenv(kRenderProcessLlmKeyEnv)) options.llm_api_key = key;
  SPDLOG_INFO("render process {}: attempt {} of job {}", ::getpid(), spec->attempt,
              options.workdir);

  std::string stage;
  auto last_sent = Clock::now();
  auto progress = [&](const std::string& now_stage, double fraction) {
    const auto now = Clock::now();
    const bool new_stage = now_stage != stage;
    if (!new_stage && now - last_sent < std::chrono::milliseconds(100)) return;
    stage = now_stage;
    last_sent = now;
    report.Send(ProgressReportLine(stage, fraction));
    if (new_stage && hooks.on_stage) hooks.on_stage(stage, spec->attempt);
  };
  try {
    auto result = RunRenderJob(options, progress, [] { return g_stop_requested.load(); });
    if (!result.ok()) {
      report.Send(FailureReportLine(result.status()));
      return result.status().IsUserError() ? 2 : 1;
    }
    report.Send(SuccessReportLine(nlohmann::json(*result)));
    return 0;
  } catch (const std::exception& e) {
    report.Send(FailureReportLine(Status::Internal(std::string("internal error: ") + e.what())));
    return 1;
  }
}

int RunProbeProcessChild(const std::string& path, const RenderProcessHooks& hooks) {
  ReportChannel report;
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (hooks.on_stage) hooks.on_stage("upload-probe", 1);
  try {
    auto info = ProbeInput(path);
    if (!info.ok()) {
      report.Send(FailureReportLine(info.status()));
      return info.status().IsUserError() ? 2 : 1;
    }
    report.Send(SuccessReportLine(nlohmann::json(*info)));
    return 0;
  } catch (const std::exception& e) {
    report.Send(FailureReportLine(Status::Internal(std::string("internal error: ") + e.what())));
    return 1;
  }
}

}  // namespace presgen
