#include "pipeline/resource_meter.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "core/sys.h"

namespace presgen {
namespace {

constexpr auto kSampleInterval = std::chrono::milliseconds(100);

double Round1(double v) { return std::round(v * 10) / 10; }

}  // namespace

ResourceMeter::~ResourceMeter() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (sampler_.joinable()) sampler_.join();
}

int ResourceMeter::Begin() {
  const double rss = CurrentRssMb();
  const double cpu = ProcessCpuSeconds();
  std::lock_guard lock(mu_);
  const int token = next_token_++;
  open_[token] = {cpu, rss};
  if (!sampler_.joinable()) sampler_ = std::thread([this] { SampleLoop(); });
  wake_.notify_all();
  return token;
}

StageResources ResourceMeter::End(int token, double wall_seconds) {
  const double rss = CurrentRssMb();
  const double cpu = ProcessCpuSeconds();
  std::lock_guard lock(mu_);
  auto it = open_.find(token);
  if (it == open_.end()) return {};
  StageResources used;
  used.peak_rss_mb = Round1(std::max(it->second.peak_rss_mb, rss));
  used.cpu_percent = wall_seconds > 0 ? Round1(100.0 * (cpu - it->second.cpu_start) / wall_seconds) : 0;
  open_.erase(it);
  return used;
}

void ResourceMeter::SampleLoop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    if (open_.empty()) {
      wake_.wait(lock, [this] { return stopping_ || !open_.empty(); });
      continue;
    }
    lock.unlock();
    const double rss = CurrentRssMb();
    lock.lock();
    for (auto& [token, open] : open_) open.peak_rss_mb = std::max(open.peak_rss_mb, rss);
    wake_.wait_for(lock, kSampleInterval, [this] { return stopping_; });
  }
}

}  // namespace presgen
