#include "service/metrics.h"

#include "pipeline/circuit_breaker.h"

#include <string.h>

#include <sstream>

namespace presgen {

void ServiceMetrics::ObserveStage(const std::string& stage, double seconds) {
  std::lock_guard lock(mu_);
  auto& s = stage_seconds_[stage];
  s.sum += seconds;
  ++s.count;
}

void ServiceMetrics::CountFailure(const std::string& stage) {
  std::lock_guard lock(mu_);
  ++failures_by_stage_[stage.empty() ? "unknown" : stage];
}

void ServiceMetrics::CountRejectedUpload(int http_status) {
  std::lock_guard lock(mu_);
  ++rejected_uploads_[http_status];
}

void ServiceMetrics::CountJobFinished(bool success) {
  std::lock_guard lock(mu_);
  ++(success ? succeeded_ : failed_);
}

void ServiceMetrics::CountProcessCrash(int term_signal) {
  std::lock_guard lock(mu_);
  ++process_crashes_[term_signal];
}

std::string ServiceMetrics::Render(const std::map<JobStatus, int>& jobs_by_status,
                                   int queue_waiting, int running) const {
  std::lock_guard lock(mu_);
  std::ostringstream out;
  out << "# HELP presgen_jobs Jobs in the store by status.\n# TYPE presgen_jobs gauge\n";
  for (JobStatus s : {JobStatus::kQueued, JobStatus::kRunning, JobStatus::kReview,
                      JobStatus::kRendering, JobStatus::kSucceeded, JobStatus::kFailed,
                      JobStatus::kExpired}) {
    auto it = jobs_by_status.find(s);
    out << "presgen_jobs{status=\"" << ToString(s) << "\"} "
        << (it == jobs_by_status.end() ? 0 : it->second) << "\n";
  }
  out << "# HELP presgen_queue_waiting Jobs waiting for a worker.\n"
         "# TYPE presgen_queue_waiting gauge\npresgen_queue_waiting "
      << queue_waiting << "\n";
  out << "# HELP presgen_workers_busy Workers running a job.\n"
         "# TYPE presgen_workers_busy gauge\npresgen_workers_busy "
      << running << "\n";
  out << "# HELP presgen_runs_total Runs finished since start, by outcome.\n"
         "# TYPE presgen_runs_total counter\n"
      << "presgen_runs_total{outcome=\"succeeded\"} " << succeeded_ << "\n"
      << "presgen_runs_total{outcome=\"failed\"} " << failed_ << "\n";
  out << "# HELP presgen_stage_seconds Time spent in each pipeline stage.\n"
         "# TYPE presgen_stage_seconds summary\n";
  for (const auto& [stage, s] : stage_seconds_) {
    out << "presgen_stage_seconds_sum{stage=\"" << stage << "\"} " << s.sum << "\n"
        << "presgen_stage_seconds_count{stage=\"" << stage << "\"} " << s.count << "\n";
  }
  out << "# HELP presgen_failures_total Failed runs by the stage that failed.\n"
         "# TYPE presgen_failures_total counter\n";
  for (const auto& [stage, n] : failures_by_stage_) {
    out << "presgen_failures_total{stage=\"" << stage << "\"} " << n << "\n";
  }
  out << "# HELP presgen_job_process_crashes_total Job processes that died without a result, "
         "by signal (\"exit\": exited without one).\n"
         "# TYPE presgen_job_process_crashes_total counter\n";
  for (const auto& [sig, n] : process_crashes_) {
    const char* name = sig != 0 ? sigabbrev_np(sig) : nullptr;
    const std::string label = sig == 0 ? "exit" : name ? std::string("SIG") + name : std::to_string(sig);
    out << "presgen_job_process_crashes_total{signal=\"" << label << "\"} " << n << "\n";
  }
  out << "# HELP presgen_uploads_rejected_total Uploads refused, by HTTP status.\n"
         "# TYPE presgen_uploads_rejected_total counter\n";
  for (const auto& [code, n] : rejected_uploads_) {
    out << "presgen_uploads_rejected_total{code=\"" << code << "\"} " << n << "\n";
  }
  out << "# HELP presgen_circuit_state Circuit breakers: 0 closed, 1 open, 2 half-open.\n"
         "# TYPE presgen_circuit_state gauge\n";
  for (CircuitBreaker* b : BreakerSet::Process().All()) {
    const BreakerState st = b->state();
    out << "presgen_circuit_state{breaker=\"" << b->name() << "\"} "
        << (st == BreakerState::kClosed ? 0 : st == BreakerState::kOpen ? 1 : 2) << "\n";
  }
  return out.str();
}

}  // namespace presgen
