// What a stage costs the machine: a sampler of this process's resident memory (every
// 100 ms, on a thread of its own, only while a measurement is open) and its CPU time.
// Stages of one job run one after the other, so the process's figures are the stage's.
#pragma once

#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "core/types.h"

namespace presgen {

class ResourceMeter {
 public:
  ResourceMeter() = default;
  ~ResourceMeter();
  ResourceMeter(const ResourceMeter&) = delete;
  ResourceMeter& operator=(const ResourceMeter&) = delete;

  // Opens a measurement; returns its token for End().
  int Begin();
  // Closes it: the peak RSS seen since Begin() (sampled, and at both ends) and the CPU time
  // used over `wall_seconds`, as a percentage of one core.
  StageResources End(int token, double wall_seconds);

 private:
  struct Open {
    double cpu_start = 0;
    double peak_rss_mb = 0;
  };
  void SampleLoop();

  std::mutex mu_;
  std::condition_variable wake_;
  std::map<int, Open> open_;
  int next_token_ = 1;
  bool stopping_ = false;
  std::thread sampler_;  // started by the first Begin()
};

}  // namespace presgen
