// What a presgen child process (`run-job`, `run-probe`; render_process.h, upload_probe.h)
// and its parent say to each other: the spec file the parent writes, the report lines the
// child writes on a private copy of its stdout, and the parent's reading of them.
// Internal to the pipeline.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "core/status.h"
#include "pipeline/render_job.h"

namespace presgen {

struct RenderProcessSpec {
  RenderOptions options;  // llm_api_key is never written: it travels in the environment
  int attempt = 1;
  int parent_pid = 0;
};

// The variable that carries RenderOptions::llm_api_key to the child.
inline constexpr const char* kRenderProcessLlmKeyEnv = "PRESGEN_LLM_API_KEY";

// Writes the spec with mode 0600. Errors: kInvalidInput when an option is not valid UTF-8
// (a path the child could not get back), kInternal naming the file.
Status WriteRenderProcessSpec(const std::string& path, const RenderProcessSpec& spec);
// Errors: kInvalidInput naming the file (unreadable, not a spec).
Result<RenderProcessSpec> ReadRenderProcessSpec(const std::string& path);

// One report line each (without the newline):
//   {"stage": "transcribe", "progress": 0.42}
//   {"stage_done": {"stage": "transcribe", "seconds": 12.5, "success": true,
//                   "peak_rss_mb": 310.2, "cpu_percent": 188.0}}
//   {"done": true, "result": {...}}
//   {"done": true, "error": {"code": "invalid_input", "message": "..."}}
std::string ProgressReportLine(const std::string& stage, double fraction);
std::string StageDoneReportLine(const StageReport& report);
std::string SuccessReportLine(const nlohmann::json& result);
std::string FailureReportLine(const Status& status);

// The child's side: report lines go to a private copy of the original stdout (close-on-exec,
// so helpers it starts never get it), and stdout itself is pointed at stderr, so nothing a
// library prints can be taken for a report. Create it before anything else runs.
class ReportChannel {
 public:
  ReportChannel();
  ~ReportChannel();
  ReportChannel(const ReportChannel&) = delete;
  ReportChannel& operator=(const ReportChannel&) = delete;
  // One write per line: a parent reading the pipe never sees half a line from us.
  void Send(std::string line);

 private:
  int fd_;
};

// Runs a child's work and reports how it ended (its result, or the failure — also for an
// exception) on `report`. Returns the child's exit code: 0, 2 for the user's error, else 1.
int ReportOutcome(ReportChannel& report, const std::function<Result<nlohmann::json>()>& work);

// The child's side: when the parent dies, this process and its process group (its helpers)
// are killed (PR_SET_PDEATHSIG). False when the parent is already gone (`parent_pid` is
// not our parent any more; 0 skips the check).
bool EndWithParent(int parent_pid);

// The parent's side: reads report lines. Never throws, whatever the line holds.
class ChildReport {
 public:
  // `on_progress` (may be empty) gets each progress line's stage and fraction,
  // `on_stage_done` (may be empty) each stage's end.
  explicit ChildReport(std::function<void(const std::string&, double)> on_progress = {},
                       std::function<void(const StageReport&)> on_stage_done = {})
      : on_progress_(std::move(on_progress)), on_stage_done_(std::move(on_stage_done)) {}

  void OnLine(const std::string& line);

  bool done() const { return done_; }                       // the child said how it ended
  const Status& status() const { return status_; }          // done: Ok or the child's error
  const nlohmann::json& result() const { return result_; }  // done and Ok: the result
  const std::string& last_stage() const { return last_stage_; }

 private:
  std::function<void(const std::string&, double)> on_progress_;
  std::function<void(const StageReport&)> on_stage_done_;
  bool done_ = false;
  Status status_ = Status::Internal("the child process gave no result");
  nlohmann::json result_;
  std::string last_stage_;
};

// "SIGSEGV", or "signal 77".
std::string SignalName(int sig);

}  // namespace presgen
