// The parent's side of pipeline/render_process.h: spec, spawn, supervision, the report.
#include "pipeline/render_process.h"

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <map>

#include <spdlog/spdlog.h>

#include "core/subprocess.h"
#include "pipeline/child_process_protocol.h"

namespace presgen {
namespace {

// What a user reads for the stage a child died in.
std::string DuringStage(const std::string& stage) {
  static const std::map<std::string, std::string> kDoing = {
      {"hash", "reading the video"},      {"probe", "reading the video"},
      {"audio", "extracting the audio"},
      {"transcribe", "transcribing"},     {"slides", "making the slides"},
      {"compose", "composing the video"},
  };
  if (stage.empty()) return "starting";
  auto it = kDoing.find(stage);
  return it != kDoing.end() ? it->second : "in stage " + stage;
}

std::string HoursOrMinutes(int ms) {
  const int minutes = ms / 60000;
  if (minutes >= 120 && minutes % 60 == 0) return std::to_string(minutes / 60) + " hours";
  return std::to_string(std::max(1, minutes)) + " minutes";
}

}  // namespace

std::string DescribeRenderProcessDeath(int term_signal, int exit_code, const std::string& stage) {
  const std::string during = " while " + DuringStage(stage);
  if (term_signal == SIGKILL) {
    return "the render process was killed (SIGKILL" + during +
           "; the system may have run out of memory)";
  }
  if (term_signal == SIGABRT) return "the render process aborted (SIGABRT)" + during;
  if (term_signal != 0) return "the render process crashed (" + SignalName(term_signal) + ")" + during;
  return "the render process exited with code " + std::to_string(exit_code) +
         " without a result" + during;
}

Result<RenderProcessOutcome> RunRenderProcess(const RenderOptions& options,
                                              const RenderProcessParams& params,
                                              const JobProgressFn& progress,
                                              const std::function<bool()>& should_abort,
                                              const std::function<void(int pid)>& on_started) {
  if (params.executable.empty()) {
    return Status::InvalidInput("no presgen executable to run the render in");
  }
  RenderProcessSpec spec;
  spec.options = options;
  spec.options.llm_api_key.clear();
  spec.attempt = params.attempt;
  spec.parent_pid = static_cast<int>(::getpid());
  PRESGEN_RETURN_IF_ERROR(WriteRenderProcessSpec(params.spec_path, spec));

  RenderProcessOutcome outcome;
  ChildReport report(progress, params.on_stage_end);
  bool aborted = false;
  SubprocessOptions run;
  run.timeout_ms = params.timeout_ms;
  run.log_path = params.log_path;
  run.should_abort = [&] {
    aborted = aborted || (should_abort && should_abort());
    return aborted;
  };
  run.abort_grace_ms = params.abort_grace_ms;
  run.on_stdout_line = [&](const std::string& line) { report.OnLine(line); };
  run.on_started = [&](int pid) {
    outcome.pid = pid;
    if (on_started) on_started(pid);
  };
  if (!options.llm_api_key.empty()) {
    run.extra_env.push_back(std::string(kRenderProcessLlmKeyEnv) + "=" + options.llm_api_key);
  }
  auto ended = RunSubprocess({params.executable, "run-job", params.spec_path}, run);
  std::remove(params.spec_path.c_str());
  outcome.last_stage = report.last_stage();
  if (!ended.ok()) {
    if (ended.status().code() == StatusCode::kTimeout) {
      return Status::Timeout("the render did not finish within " +
                             HoursOrMinutes(params.timeout_ms) + " (stopped while " +
                             DuringStage(outcome.last_stage) + ")");
    }
    return ended.status();
  }
  outcome.term_signal = ended->term_signal;
  if (report.done() && !(report.status().code() == StatusCode::kCancelled && !aborted)) {
    // The job had finished (its files are written) when the process ended: a crash while
    // tearing down does not undo that, but it is worth knowing about.
    outcome.status = report.status();
    outcome.result = report.result();
    if (!ended->Succeeded() && ended->exit_code != 1 && ended->exit_code != 2) {
      SPDLOG_WARN("render process {} ended with {} after reporting its result", outcome.pid,
                  ended->Describe());
    }
  } else if (report.done()) {
    // It stopped on a signal nobody here sent (an operator, the system shutting down):
    // the run was interrupted, not the job's fault.
    outcome.crashed = true;
    outcome.status = Status::Internal("the render process was stopped from outside while " +
                                      DuringStage(outcome.last_stage));
  } else {
    // Died without its last word: the job crashed.
    outcome.crashed = true;
    outcome.status = Status::Internal(
        DescribeRenderProcessDeath(ended->term_signal, ended->exit_code, outcome.last_stage));
  }
  return outcome;
}

}  // namespace presgen
