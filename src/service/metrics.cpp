#include "service/metrics.h"

#include <string.h>

#include <algorithm>
#include <ostream>
#include <sstream>

#include "core/sys.h"
#include "pipeline/circuit_breaker.h"

namespace presgen {
namespace {

// Label values are ours (stage and code names), but escape them as the format asks.
std::string Escaped(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string Label(const char* key, const std::string& value) {
  return std::string(key) + "=\"" + Escaped(value) + "\"";
}

void Header(std::ostream& out, const char* name, const char* type, const char* help) {
  out << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type << "\n";
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(bounds_.size() + 1, 0) {}

std::vector<double> Histogram::DefaultSecondsBounds() {
  return {0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800};
}

void Histogram::Observe(double value) {
  const size_t i = std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin();
  ++counts_[i];
  sum_ += value;
  ++count_;
}

void Histogram::Render(std::ostream& out, const std::string& name,
                       const std::string& labels) const {
  const std::string sep = labels.empty() ? "" : ",";
  long cumulative = 0;
  for (size_t i = 0; i < bounds_.size(); ++i) {
    cumulative += counts_[i];
    out << name << "_bucket{" << labels << sep << "le=\"" << bounds_[i] << "\"} " << cumulative
        << "\n";
  }
  out << name << "_bucket{" << labels << sep << "le=\"+Inf\"} " << count_ << "\n";
  const std::string braces = labels.empty() ? "" : "{" + labels + "}";
  out << name << "_sum" << braces << " " << sum_ << "\n";
  out << name << "_count" << braces << " " << count_ << "\n";
}

void ServiceMetrics::ObserveStage(const std::string& stage, double seconds) {
  std::lock_guard lock(mu_);
  stage_seconds_[stage].Observe(seconds);
}

void ServiceMetrics::CountStageFailure(const std::string& stage, const std::string& code) {
  std::lock_guard lock(mu_);
  ++stage_failures_[{stage.empty() ? "unknown" : stage, code}];
}

void ServiceMetrics::CountFallback(const std::string& stage) {
  std::lock_guard lock(mu_);
  ++fallbacks_[stage];
}

void ServiceMetrics::CountCacheRequest(const std::string& stage, bool hit) {
  std::lock_guard lock(mu_);
  ++cache_requests_[{stage, hit ? "hit" : "miss"}];
}

void ServiceMetrics::CountRejectedUpload(int http_status) {
  std::lock_guard lock(mu_);
  ++rejected_uploads_[http_status];
}

void ServiceMetrics::CountJobFinished(bool success, double seconds) {
  std::lock_guard lock(mu_);
  ++(success ? succeeded_ : failed_);
  job_seconds_.Observe(seconds);
}

void ServiceMetrics::CountProcessCrash(int term_signal) {
  std::lock_guard lock(mu_);
  ++process_crashes_[term_signal];
}

std::string ServiceMetrics::Render(const std::map<JobStatus, int>& jobs_by_status,
                                   int queue_waiting, int running) const {
  std::lock_guard lock(mu_);
  std::ostringstream out;
  Header(out, "presgen_jobs", "gauge", "Jobs in the store by status.");
  for (JobStatus s : {JobStatus::kQueued, JobStatus::kRunning, JobStatus::kReview,
                      JobStatus::kRendering, JobStatus::kSucceeded, JobStatus::kFailed,
                      JobStatus::kExpired}) {
    auto it = jobs_by_status.find(s);
    out << "presgen_jobs{status=\"" << ToString(s) << "\"} "
        << (it == jobs_by_status.end() ? 0 : it->second) << "\n";
  }
  Header(out, "presgen_queue_waiting", "gauge", "Jobs waiting for a worker.");
  out << "presgen_queue_waiting " << queue_waiting << "\n";
  Header(out, "presgen_workers_busy", "gauge", "Workers running a job.");
  out << "presgen_workers_busy " << running << "\n";
  Header(out, "presgen_runs_total", "counter", "Runs finished since start, by outcome.");
  out << "presgen_runs_total{outcome=\"succeeded\"} " << succeeded_ << "\n"
      << "presgen_runs_total{outcome=\"failed\"} " << failed_ << "\n";
  Header(out, "presgen_job_duration_seconds", "histogram",
         "Wall time of finished runs (analyse or render), process start to result.");
  job_seconds_.Render(out, "presgen_job_duration_seconds", "");
  Header(out, "presgen_stage_duration_seconds", "histogram",
         "Time spent in each pipeline stage, failed stages included.");
  for (const auto& [stage, h] : stage_seconds_) {
    h.Render(out, "presgen_stage_duration_seconds", Label("stage", stage));
  }
  Header(out, "presgen_stage_failures_total", "counter",
         "Failed runs, by the stage that failed and the failure's code.");
  for (const auto& [key, n] : stage_failures_) {
    out << "presgen_stage_failures_total{" << Label("stage", key.first) << ","
        << Label("code", key.second) << "} " << n << "\n";
  }
  Header(out, "presgen_fallbacks_total", "counter",
         "Fallbacks taken (degradations recorded), by stage.");
  for (const auto& [stage, n] : fallbacks_) {
    out << "presgen_fallbacks_total{" << Label("stage", stage) << "} " << n << "\n";
  }
  Header(out, "presgen_cache_requests_total", "counter",
         "Stage-cache look-ups of re-renders, by stage and result (hit, miss).");
  for (const auto& [key, n] : cache_requests_) {
    out << "presgen_cache_requests_total{" << Label("stage", key.first) << ","
        << Label("result", key.second) << "} " << n << "\n";
  }
  Header(out, "presgen_job_process_crashes_total", "counter",
         "Job processes that died without a result, by signal (\"exit\": exited without one).");
  for (const auto& [sig, n] : process_crashes_) {
    const char* name = sig != 0 ? sigabbrev_np(sig) : nullptr;
    const std::string label = sig == 0 ? "exit" : name ? std::string("SIG") + name : std::to_string(sig);
    out << "presgen_job_process_crashes_total{" << Label("signal", label) << "} " << n << "\n";
  }
  Header(out, "presgen_uploads_rejected_total", "counter", "Uploads refused, by HTTP status.");
  for (const auto& [code, n] : rejected_uploads_) {
    out << "presgen_uploads_rejected_total{code=\"" << code << "\"} " << n << "\n";
  }
  Header(out, "presgen_circuit_state", "gauge", "Circuit breakers: 0 closed, 1 open, 2 half-open.");
  for (CircuitBreaker* b : BreakerSet::Process().All()) {
    const BreakerState st = b->state();
    out << "presgen_circuit_state{" << Label("breaker", b->name()) << "} "
        << (st == BreakerState::kClosed ? 0 : st == BreakerState::kOpen ? 1 : 2) << "\n";
  }
  Header(out, "process_resident_memory_bytes", "gauge",
         "Resident memory of the presgen serve process (jobs run in processes of their own).");
  out << "process_resident_memory_bytes " << static_cast<long long>(CurrentRssMb() * 1024 * 1024)
      << "\n";
  Header(out, "process_cpu_seconds_total", "counter",
         "CPU time of the presgen serve process (user + system).");
  out << "process_cpu_seconds_total " << ProcessCpuSeconds() << "\n";
  return out.str();
}

}  // namespace presgen
