#include "pipeline/job_context.h"

#include <spdlog/spdlog.h>

namespace presgen {

JobContext::JobContext(std::map<std::string, double> weights, ProgressFn progress,
                       std::function<bool()> should_abort)
    : weights_(std::move(weights)),
      progress_(std::move(progress)),
      should_abort_(std::move(should_abort)) {}

StageCallbacks JobContext::CallbacksFor(const std::string& stage) {
  StageCallbacks cb;
  cb.on_progress = [this, stage](double f) { Report(stage, f); };
  cb.should_abort = [this] { return Aborted(); };
  return cb;
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

void JobContext::StartStage(const std::string& stage) {
  double fraction = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = done_.find(stage); it != done_.end()) fraction = it->second;
  }
  Report(stage, fraction);
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

std::vector<Degradation> JobContext::degraded() const {
  std::lock_guard<std::mutex> lock(mu_);
  return degraded_;
}

}  // namespace presgen
