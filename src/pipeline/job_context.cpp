#include "pipeline/job_context.h"

#include <spdlog/spdlog.h>

#include "core/log.h"

#include <cstdio>

#include "pipeline/stage_deadlines.h"

namespace presgen {

void LogPhaseCompleted(const StageReport& r, const std::string& job_id) {
  char msg[160];
  std::snprintf(msg, sizeof msg, "%s %s in %.2f s (peak %.0f MB, CPU %.0f%%)", r.stage.c_str(),
                r.success ? "done" : "fell back or failed", r.seconds, r.resources.peak_rss_mb,
                r.resources.cpu_percent);
  nlohmann::json fields = {{"phase", r.stage},
                           {"duration_seconds", r.seconds},
                           {"success", r.success},
                           {"memory_usage_mb", r.resources.peak_rss_mb},
                           {"cpu_usage_percent", r.resources.cpu_percent}};
  if (!job_id.empty()) fields["job_id"] = job_id;
  LogEvent(spdlog::level::info, "phase_completed", msg, fields);
}

JobContext::JobContext(std::map<std::string, double> weights, ProgressFn progress,
                       std::function<bool()> should_abort, JobHooks hooks)
    : weights_(std::move(weights)),
      progress_(std::move(progress)),
      should_abort_(std::move(should_abort)),
      hooks_(std::move(hooks)) {}

void JobContext::SetDeadlines(std::map<std::string, double> seconds, const Clock* clock) {
  std::lock_guard<std::mutex> lock(mu_);
  deadline_s_ = std::move(seconds);
  clock_ = clock != nullptr ? clock : &SystemClock();
}

StageCallbacks JobContext::CallbacksFor(const std::string& stage) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = deadline_s_.find(stage); it != deadline_s_.end()) {
      deadline_at_ms_[stage] = clock_->NowMs() + static_cast<int64_t>(it->second * 1000);
      timed_out_.erase(stage);
    }
  }
  StageCallbacks cb;
  cb.should_abort = [this, stage] { return Aborted() || PastDeadline(stage); };
  cb.on_progress = [this, stage, abort = cb.should_abort](double f) {
    Report(stage, f);
    if (hooks_.on_step) hooks_.on_step(stage, abort);
  };
  return cb;
}

bool JobContext::PastDeadline(const std::string& stage) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = deadline_at_ms_.find(stage);
  if (it == deadline_at_ms_.end()) return false;
  if (clock_->NowMs() < it->second) return false;
  timed_out_.insert(stage);
  return true;
}

Status JobContext::Explain(const std::string& stage, const Status& status) const {
  if (status.code() != StatusCode::kCancelled || Aborted()) return status;
  std::lock_guard<std::mutex> lock(mu_);
  if (timed_out_.count(stage) == 0) return status;
  const double limit = deadline_s_.count(stage) ? deadline_s_.at(stage) : 0;
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, limit < 10 ? "%.1f" : "%.0f", limit);
  return Status::Timeout(StageDeadlineLabel(stage) + " took longer than its deadline of " +
                         seconds + " s (scaled to the input's length; --stage-deadline-scale)");
}

void JobContext::Report(const std::string& stage, double fraction) {
  std::lock_guard<std::mutex> lock(mu_);
  done_[stage] = fraction;
  if (!progress_) return;
  double total = 0, done = 0;
  for (const auto& [name, w] : weights_) {
    total += w;
    auto it = done_.find(name);
    if (it != done_.end()) done += w * it->second;
  }
  progress_(stage, total > 0 ? done / total : 0);
}

size_t JobContext::DegradationsOfLocked(const std::string& stage) const {
  size_t n = 0;
  for (const auto& d : degraded_) n += d.stage == stage;
  return n;
}

void JobContext::StartStage(const std::string& stage) {
  double fraction = 0;
  {
    const int token = meter_.Begin();
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = done_.find(stage); it != done_.end()) fraction = it->second;
    running_[stage] = {token, DegradationsOfLocked(stage), false};
  }
  Report(stage, fraction);
}

void JobContext::EndStage(const std::string& stage, double seconds) {
  StageReport report;
  report.stage = stage;
  report.seconds = seconds;
  Running run;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = running_.find(stage);
    if (it == running_.end()) return;
    run = it->second;
    running_.erase(it);
    report.success = !run.failed && DegradationsOfLocked(stage) == run.degraded_before;
  }
  report.resources = meter_.End(run.meter_token, seconds);
  {
    std::lock_guard<std::mutex> lock(mu_);
    timings_[stage] += seconds;
    StageResources& kept = resources_[stage];
    kept.peak_rss_mb = std::max(kept.peak_rss_mb, report.resources.peak_rss_mb);
    kept.cpu_percent = report.resources.cpu_percent;
  }
  if (hooks_.on_stage_end) hooks_.on_stage_end(report);
}

void JobContext::FailRunningStages() {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [stage, run] : running_) run.failed = true;
}

void JobContext::RecordTiming(const std::string& stage, double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  timings_[stage] += seconds;
}

void JobContext::Degrade(const std::string& stage, const std::string& reason,
                         const std::string& fallback) {
  SPDLOG_WARN("{}: {} -> {}", stage, reason, fallback);
  std::lock_guard<std::mutex> lock(mu_);
  degraded_.push_back({stage, reason, fallback});
}

bool JobContext::Aborted() const { return should_abort_ && should_abort_(); }

std::string JobContext::BreakerRefusal(const std::string& name) const {
  auto it = open_breakers_.find(name);
  return it == open_breakers_.end() ? "" : it->second;
}

void JobContext::RecordEngineOutcome(const std::string& breaker, bool worked) {
  std::lock_guard<std::mutex> lock(mu_);
  engine_outcomes_[breaker] = worked;
}

std::map<std::string, bool> JobContext::engine_outcomes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return engine_outcomes_;
}

std::map<std::string, double> JobContext::timings() const {
  std::lock_guard<std::mutex> lock(mu_);
  return timings_;
}

std::map<std::string, StageResources> JobContext::resources() const {
  std::lock_guard<std::mutex> lock(mu_);
  return resources_;
}

std::vector<Degradation> JobContext::degraded() const {
  std::lock_guard<std::mutex> lock(mu_);
  return degraded_;
}

}  // namespace presgen
