// Counters for GET /metrics (Prometheus text format 0.0.4). Jobs by status
// come from the job store at scrape time; the rest is counted here.
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "service/job_record.h"

namespace presgen {

class ServiceMetrics {
 public:
  void ObserveStage(const std::string& stage, double seconds);
  void CountFailure(const std::string& stage);
  void CountRejectedUpload(int http_status);
  void CountJobFinished(bool success);
  // A job's process that died without reporting: by signal (0 = exited without a result).
  void CountProcessCrash(int term_signal);

  // jobs_by_status: the store's counts; queue_waiting/running: the runner's.
  std::string Render(const std::map<JobStatus, int>& jobs_by_status, int queue_waiting,
                     int running) const;

 private:
  struct Summary {
    double sum = 0;
    long count = 0;
  };
  mutable std::mutex mu_;
  std::map<std::string, Summary> stage_seconds_;
  std::map<std::string, long> failures_by_stage_;
  std::map<int, long> rejected_uploads_;
  std::map<int, long> process_crashes_;  // signal -> count
  long succeeded_ = 0;
  long failed_ = 0;
};

}  // namespace presgen
