// A render job in a child process of the presgen binary (`presgen run-job SPEC`), so that
// a crash anywhere in it — FFmpeg, an engine, our own code; a signal, an abort, the OOM
// killer — ends that one job and never the process that supervises it (`presgen serve`).
//
// The parent writes a spec file (JSON: the RenderOptions without secrets, the attempt, its
// own pid) and starts `EXECUTABLE run-job SPEC`. The child reports on its stdout, one JSON
// object per line:
//   {"stage": "transcribe", "progress": 0.42}                       as the job advances
//   {"done": true, "result": {...}}                                  success (result.json)
//   {"done": true, "error": {"code": "invalid_input", "message": "..."}}   failure
// (pipeline/child_process_protocol.h). Everything else the child prints (library logs) goes
// to its stderr, appended to the log file. The child and the helpers it starts (headless
// Chromium) share one process group, which the parent kills when the child ends; the child
// takes that group down with it if the parent dies (PR_SET_PDEATHSIG), and stops cleanly
// on SIGTERM: an abort asks it to stop, then kills the group after a grace period.
#pragma once

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "pipeline/render_job.h"

namespace presgen {

struct RenderProcessParams {
  std::string executable;  // the presgen binary that runs `run-job`
  std::string spec_path;   // written before the start, removed after the end
  std::string log_path;    // the child's stderr, appended (created if missing)
  int attempt = 1;         // passed to the child (its logs; fault injection in tests)
  int timeout_ms = 2 * 3600 * 1000;
  int abort_grace_ms = 10000;  // SIGTERM -> SIGKILL
  // Each stage's end as the child reports it (may be empty; called on the calling thread).
  std::function<void(const StageReport&)> on_stage_end;
};

struct RenderProcessOutcome {
  // The job's end as the child reported it: Ok (possibly degraded) or the job's own error.
  // A child that died without reporting — or stopped on a signal the parent did not send —
  // gives kInternal with `crashed` set, and a message such as "the render process crashed
  // (SIGSEGV) while transcribing".
  Status status;
  bool crashed = false;
  int term_signal = 0;         // the signal that ended the child, else 0
  nlohmann::json result;       // success: the run's result.json
  std::string last_stage;      // the last stage the child reported ("" before the first)
  int pid = 0;
};

// Runs `options` in a child and waits for it, passing its progress on (on the calling
// thread). Errors of the supervision itself, not of the job: kInvalidInput (no executable
// given, or a path in the options that is not UTF-8), kNotFound (it does not exist),
// kInternal (spec or log cannot be written, spawn failed), kCancelled (should_abort turned
// true; the child was stopped), kTimeout ("the render did not finish within 2 hours").
// `on_started` (may be empty) gets the child's pid.
Result<RenderProcessOutcome> RunRenderProcess(const RenderOptions& options,
                                              const RenderProcessParams& params,
                                              const JobProgressFn& progress,
                                              const std::function<bool()>& should_abort,
                                              const std::function<void(int pid)>& on_started = {});

// What a child process lets its caller add: `on_stage` (may be empty) is called on the
// job's thread each time a new stage starts, with the spec's attempt number; test builds
// inject faults there (src/cli/fault_injection.h).
struct RenderProcessHooks {
  std::function<void(const std::string& stage, int attempt)> on_stage;
  // Passed to the job as JobHooks::on_step (pipeline/job_context.h): a test's hung engine.
  std::function<void(const std::string& stage, const std::function<bool()>& should_abort)> on_step;
};

// The child's side, the body of `presgen run-job SPEC`. Returns the process's exit code
// (0, 1, or 2 for a user error).
int RunRenderProcessChild(const std::string& spec_path, const RenderProcessHooks& hooks);

// "the render process crashed (SIGSEGV) while transcribing": what a user reads when the
// child ended by `term_signal` (or, with 0, exited with `exit_code` without reporting)
// during `stage`.
std::string DescribeRenderProcessDeath(int term_signal, int exit_code, const std::string& stage);

}  // namespace presgen
