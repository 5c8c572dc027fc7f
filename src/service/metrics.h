// Counters for GET /metrics (Prometheus text format 0.0.4; the names are listed in
// docs/api.md). Jobs by status come from the job store at scrape time, breaker states from
// the process's breakers, process RSS and CPU from /proc; the rest is counted here.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "service/job_record.h"

namespace presgen {

// A Prometheus histogram: cumulative buckets (upper bounds in seconds), sum and count.
class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds = DefaultSecondsBounds());
  void Observe(double value);
  // `name`_bucket{labels,le=...}, `name`_sum, `name`_count; `labels` is `k="v",...` or "".
  void Render(std::ostream& out, const std::string& name, const std::string& labels) const;
  long count() const { return count_; }
  static std::vector<double> DefaultSecondsBounds();

 private:
  std::vector<double> bounds_;
  std::vector<long> counts_;  // per bucket, not cumulative; the last is +Inf
  double sum_ = 0;
  long count_ = 0;
};

class ServiceMetrics {
 public:
  void ObserveStage(const std::string& stage, double seconds);
  // A run that failed, by the stage it failed in and the failure's code ("timeout",
  // "internal", "crash", "restart", ...).
  void CountStageFailure(const std::string& stage, const std::string& code);
  void CountFallback(const std::string& stage);
  void CountCacheRequest(const std::string& stage, bool hit);
  void CountRejectedUpload(int http_status);
  void CountJobFinished(bool success, double seconds);
  // A job's process that died without reporting: by signal (0 = exited without a result).
  void CountProcessCrash(int term_signal);

  // jobs_by_status: the store's counts; queue_waiting/running: the runner's.
  std::string Render(const std::map<JobStatus, int>& jobs_by_status, int queue_waiting,
                     int running) const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, Histogram> stage_seconds_;
  std::map<std::pair<std::string, std::string>, long> stage_failures_;  // (stage, code)
  std::map<std::string, long> fallbacks_;
  std::map<std::pair<std::string, std::string>, long> cache_requests_;  // (stage, hit|miss)
  std::map<int, long> rejected_uploads_;
  std::map<int, long> process_crashes_;  // signal -> count
  Histogram job_seconds_;
  long succeeded_ = 0;
  long failed_ = 0;
};

}  // namespace presgen
