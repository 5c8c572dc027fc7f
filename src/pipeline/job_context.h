// Shared bookkeeping of one job: stage timings, degradations, progress and
// cancellation. Thread-safe: stages running in parallel report through it.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "core/sys.h"
#include "core/types.h"

namespace presgen {

class JobContext {
 public:
  using ProgressFn = std::function<void(const std::string& stage, double fraction)>;

  // weights: stage name -> share of the whole job's work (need not sum to 1).
  JobContext(std::map<std::string, double> weights, ProgressFn progress,
             std::function<bool()> should_abort);

  // Callbacks for one stage: progress feeds the job's overall fraction.
  StageCallbacks CallbacksFor(const std::string& stage);
  // Says that `stage` has begun (a progress report at its current fraction), so watchers
  // and crash reports name it even before its first step ends.
  void StartStage(const std::string& stage);
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
  std::vector<Degradation> degraded() const;

 private:
  void Report(const std::string& stage, double fraction);

  mutable std::mutex mu_;
  std::map<std::string, double> weights_;
  std::map<std::string, double> done_;  // stage -> fraction done
  std::map<std::string, double> timings_;
  std::vector<Degradation> degraded_;
  std::map<std::string, std::string> open_breakers_;  // set before the stages run
  std::map<std::string, bool> engine_outcomes_;
  ProgressFn progress_;
  std::function<bool()> should_abort_;
};

// Times a stage into a JobContext for the scope's lifetime.
class StageTimer {
 public:
  StageTimer(JobContext& ctx, std::string stage) : ctx_(ctx), stage_(std::move(stage)) {
    ctx_.StartStage(stage_);
  }
  ~StageTimer() { ctx_.RecordTiming(stage_, watch_.ElapsedSeconds()); }
  StageTimer(const StageTimer&) = delete;
  StageTimer& operator=(const StageTimer&) = delete;

 private:
  JobContext& ctx_;
  std::string stage_;
  Stopwatch watch_;
};

}  // namespace presgen
