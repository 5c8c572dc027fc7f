// Shared bookkeeping of one job: stage timings and resources, degradations, progress,
// cancellation and stage deadlines. Thread-safe: stages running in parallel report through it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "core/sys.h"
#include "core/types.h"
#include "pipeline/resource_meter.h"

namespace presgen {

// One stage's end, as `phase_completed` logs and metrics see it.
struct StageReport {
  std::string stage;
  double seconds = 0;
  bool success = true;  // false: the stage took a fallback or failed the job
  StageResources resources;
};

// Logs `report` as a `phase_completed` event (core/log.h), with `job_id` when not empty.
void LogPhaseCompleted(const StageReport& report, const std::string& job_id = "");

// What a job's launcher may hang on it (all may be empty).
struct JobHooks {
  std::function<void(const StageReport&)> on_stage_end;
  // Test seam (faults): called at each progress step of an engine call with that call's
  // abort check; a test makes an engine "hang" by blocking here until the check turns true.
  std::function<void(const std::string& stage, const std::function<bool()>& should_abort)> on_step;
};

class JobContext {
 public:
  using ProgressFn = std::function<void(const std::string& stage, double fraction)>;

  // weights: stage name -> share of the whole job's work (need not sum to 1).
  JobContext(std::map<std::string, double> weights, ProgressFn progress,
             std::function<bool()> should_abort, JobHooks hooks = {});

  // Engine call -> seconds it may take (pipeline/stage_deadlines.h), measured on `clock`.
  void SetDeadlines(std::map<std::string, double> seconds, const Clock* clock = &SystemClock());

  // Callbacks for one engine call: progress feeds the job's overall fraction; should_abort
  // turns true when the job is cancelled or, if `stage` has a deadline, once the deadline
  // (started by this call) has passed.
  StageCallbacks CallbacksFor(const std::string& stage);
  // `status` from the engine call `stage`, with a cancellation caused by its deadline
  // turned into kTimeout ("... took longer than its deadline of 94 s").
  Status Explain(const std::string& stage, const Status& status) const;
  template <typename T>
  Result<T> Explain(const std::string& stage, Result<T> result) const {
    if (result.ok()) return result;
    return Explain(stage, result.status());
  }

  // A stage begins (a progress report at its current fraction, so watchers and crash
  // reports name it before its first step ends) and ends (its timing and resources are
  // recorded and reported).
  void StartStage(const std::string& stage);
  void EndStage(const std::string& stage, double seconds);
  // The job fails: the stages still running did not succeed.
  void FailRunningStages();
  void RecordTiming(const std::string& stage, double seconds);
  void Degrade(const std::string& stage, const std::string& reason, const std::string& fallback);
  bool Aborted() const;

  // Circuit breakers (pipeline/circuit_breaker.h): the ones the job's launcher found open
  // (name -> why), so the stage takes its fallback at once, and what each engine the job
  // did call came to (name -> worked), for the launcher to record.
  void SetOpenBreakers(std::map<std::string, std::string> open) { open_breakers_ = std::move(open); }
  // Why breaker `name` keeps its engine from being called; "" = call it.
  std::string BreakerRefusal(const std::string& name) const;
  void RecordEngineOutcome(const std::string& breaker, bool worked);
  std::map<std::string, bool> engine_outcomes() const;

  std::map<std::string, double> timings() const;
  std::map<std::string, StageResources> resources() const;
  std::vector<Degradation> degraded() const;

 private:
  struct Running {
    int meter_token = 0;
    size_t degraded_before = 0;  // degradations of this stage when it started
    bool failed = false;
  };
  void Report(const std::string& stage, double fraction);
  bool PastDeadline(const std::string& stage);
  size_t DegradationsOfLocked(const std::string& stage) const;

  mutable std::mutex mu_;
  std::map<std::string, double> weights_;
  std::map<std::string, double> done_;  // stage -> fraction done
  std::map<std::string, double> timings_;
  std::map<std::string, StageResources> resources_;
  std::map<std::string, Running> running_;
  std::vector<Degradation> degraded_;
  std::map<std::string, std::string> open_breakers_;  // set before the stages run
  std::map<std::string, bool> engine_outcomes_;
  std::map<std::string, double> deadline_s_;        // set before the stages run
  std::map<std::string, int64_t> deadline_at_ms_;  // engine call -> when it must end
  std::set<std::string> timed_out_;
  const Clock* clock_ = &SystemClock();
  ProgressFn progress_;
  std::function<bool()> should_abort_;
  JobHooks hooks_;
  ResourceMeter meter_;
};

// Times a stage into a JobContext for the scope's lifetime.
class StageTimer {
 public:
  StageTimer(JobContext& ctx, std::string stage) : ctx_(ctx), stage_(std::move(stage)) {
    ctx_.StartStage(stage_);
  }
  ~StageTimer() { ctx_.EndStage(stage_, watch_.ElapsedSeconds()); }
  StageTimer(const StageTimer&) = delete;
  StageTimer& operator=(const StageTimer&) = delete;

 private:
  JobContext& ctx_;
  std::string stage_;
  Stopwatch watch_;
};

}  // namespace presgen
