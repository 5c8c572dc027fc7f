// The parent's side of pipeline/render_process.h: spec, spawn, supervision, the report.
#include "pipeline/render_process.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <cstdio>
#include <map>

#include <spdlog/spdlog.h>

#include "core/json_io.h"
#include "core/subprocess.h"
#include "pipeline/render_process_spec.h"

namespace presgen {
namespace {

using nlohmann::json;

// What a user reads for the stage a child died in.
std::string DuringStage(const std::string& stage) {
  static const std::map<std::string, std::string> kDoing = {
      {"probe", "reading the video"},     {"audio", "extracting the audio"},
      {"transcribe", "transcribing"},     {"slides", "making the slides"},
      {"compose", "composing the video"},
  };
  if (stage.empty()) return "starting";
  auto it = kDoing.find(stage);
  return it != kDoing.end() ? it->second : "in stage " + stage;
}

std::string SignalName(int sig) {
  const char* abbrev = sigabbrev_np(sig);
  return abbrev != nullptr ? std::string("SIG") + abbrev : "signal " + std::to_string(sig);
}

// Reads the child's report lines into the outcome and passes progress on.
class ReportReader {
 public:
  ReportReader(RenderProcessOutcome* outcome, const JobProgressFn* progress)
      : outcome_(outcome), progress_(progress) {}

  void OnLine(const std::string& line) {
    json j;
    try {
      j = json::parse(line);
    } catch (const json::exception&) {
      SPDLOG_WARN("render process: unreadable report line: {}", line.substr(0, 200));
      return;
    }
    if (!j.is_object()) return;
    if (j.contains("stage") && j["stage"].is_string()) {
      outcome_->last_stage = j["stage"].get<std::string>();
      const double fraction = j.value("progress", 0.0);
      if (*progress_) (*progress_)(outcome_->last_stage, fraction);
      return;
    }
    if (!j.value("done", false)) return;
    done_ = true;
    if (j.contains("result") && j["result"].is_object()) {
      outcome_->status = Status::Ok();
      outcome_->result = j["result"];
    } else {
      const json error = j.value("error", json::object());
      outcome_->status = Status(StatusCodeFromName(error.value("code", "internal")),
                                error.value("message", "the render failed"));
    }
  }
  bool done() const { return done_; }

 private:
  RenderProcessOutcome* outcome_;
  const JobProgressFn* progress_;
  bool done_ = false;
};

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
  outcome.status = Status::Internal("the render process gave no result");
  ReportReader reader(&outcome, &progress);
  SubprocessOptions run;
  run.timeout_ms = params.timeout_ms;
  run.log_path = params.log_path;
  run.should_abort = should_abort;
  run.abort_grace_ms = params.abort_grace_ms;
  run.on_stdout_line = [&](const std::string& line) { reader.OnLine(line); };
  run.on_started = [&](int pid) {
    outcome.pid = pid;
    if (on_started) on_started(pid);
  };
  if (!options.llm_api_key.empty()) {
    run.extra_env.push_back(std::string(kRenderProcessLlmKeyEnv) + "=" + options.llm_api_key);
  }
  auto ended = RunSubprocess({params.executable, "run-job", params.spec_path}, run);
  std::remove(params.spec_path.c_str());
  if (!ended.ok()) return ended.status();
  outcome.term_signal = ended->term_signal;
  if (reader.done()) {
    // The job had finished (its files are written) when the process ended: a crash while
    // tearing down does not undo that, but it is worth knowing about.
    if (!ended->Succeeded() && ended->exit_code != 1 && ended->exit_code != 2) {
      SPDLOG_WARN("render process {} ended with {} after reporting its result", outcome.pid,
                  ended->Describe());
    }
  } else {
    // Died without its last word: the job crashed.
    outcome.crashed = true;
    outcome.status =
        Status::Internal(DescribeRenderProcessDeath(ended->term_signal, ended->exit_code,
                                                    outcome.last_stage));
  }
  return outcome;
}

Result<MediaInfo> ProbeInputInChild(const std::string& executable, const std::string& path,
                                    int timeout_ms) {
  if (executable.empty()) return Status::InvalidInput("no presgen executable to probe with");
  RenderProcessOutcome outcome;
  const JobProgressFn no_progress;
  ReportReader reader(&outcome, &no_progress);
  SubprocessOptions run;
  run.timeout_ms = timeout_ms;
  run.on_stdout_line = [&](const std::string& line) { reader.OnLine(line); };
  auto ended = RunSubprocess({executable, "run-probe", path}, run);
  if (!ended.ok()) return ended.status();
  if (!reader.done()) {
    const std::string how = ended->term_signal != 0 ? SignalName(ended->term_signal)
                                                     : "exit code " + std::to_string(ended->exit_code);
    return Status::InvalidInput(path + ": cannot be read (the probe crashed: " + how + ")");
  }
  if (!outcome.status.ok()) return outcome.status;
  try {
    return outcome.result.get<MediaInfo>();
  } catch (const json::exception& e) {
    return Status::Internal(std::string("unreadable probe result: ") + e.what());
  }
}

}  // namespace presgen
