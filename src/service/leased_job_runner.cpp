#include "service/leased_job_runner.h"

#include <chrono>
#include <spdlog/spdlog.h>

namespace presgen {
namespace {

int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

LeasedJobRunner::LeasedJobRunner(JobStore& store, RunFn run, LeasedRunnerParams params)
    : store_(store), run_(std::move(run)), params_(std::move(params)) {
  for (int i = 0; i < params_.workers; ++i) workers_.emplace_back([this, i] { WorkerLoop(i); });
}

LeasedJobRunner::~LeasedJobRunner() { Stop(); }

bool LeasedJobRunner::Enqueue(const std::string&, bool) {
  Wake();  // the job's row is the queue entry; every node's workers hear of it (Notify)
  return true;
}

void LeasedJobRunner::Wake() {
  {
    std::lock_guard lock(mu_);
    ++wakes_;
  }
  wake_.notify_all();
}

bool LeasedJobRunner::QueueFull() const {
  auto waiting = store_.CountWaiting();
  if (!waiting.ok()) {
    spdlog::warn("job queue: {}", waiting.status().message());
    return false;  // the upload's own store writes fail with the reason
  }
  return *waiting >= params_.queue_limit;
}

int LeasedJobRunner::Waiting() const {
  auto waiting = store_.CountWaiting();
  return waiting.ok() ? *waiting : 0;
}

int LeasedJobRunner::Running() const {
  std::lock_guard lock(mu_);
  return static_cast<int>(running_.size());
}

bool LeasedJobRunner::Cancel(const std::string& id) {
  std::lock_guard lock(mu_);
  auto it = running_.find(id);
  if (it == running_.end()) return false;
  it->second->store(true);
  return true;
}

void LeasedJobRunner::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && workers_.empty()) return;
    stopping_ = true;
    for (auto& [id, flag] : running_) flag->store(true);
  }
  wake_.notify_all();
  for (auto& t : workers_)
    if (t.joinable()) t.join();
  workers_.clear();
}

bool LeasedJobRunner::CheckLease(const std::string& id, const std::string& owner,
                                 const std::atomic<bool>& abort, int64_t* renewed_at_ms) {
  if (abort.load()) return true;
  const int64_t now = SteadyMs();
  if (now - *renewed_at_ms < params_.lease_ms / 3) return false;
  const Status renewed = store_.RenewLease(id, owner, params_.lease_ms);
  if (renewed.ok()) {
    *renewed_at_ms = now;
    return false;
  }
  if (renewed.code() == StatusCode::kNotFound || renewed.code() == StatusCode::kConflict) {
    spdlog::warn("job {}: stopping its run ({})", id, renewed.message());
    return true;  // deleted on some node, or taken over: this run's work is not wanted
  }
  // The store is out of reach: go on while the lease surely holds, then give the job up.
  if (now - *renewed_at_ms >= params_.lease_ms) {
    spdlog::warn("job {}: its lease ran out while the job store was unreachable ({})", id,
                 renewed.message());
    return true;
  }
  return false;
}

void LeasedJobRunner::WorkerLoop(int index) {
  const std::string owner = params_.node_id + "/" + std::to_string(index);
  auto backoff = std::chrono::milliseconds(200);
  uint64_t seen = 0;
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
      seen = wakes_;
    }
    const int64_t claimed_at = SteadyMs();
    auto job = store_.ClaimNext(owner, params_.lease_ms);
    if (!job.ok()) {
      auto wait = std::chrono::milliseconds(params_.lease_ms);
      if (job.status().code() != StatusCode::kNotFound) {
        spdlog::warn("worker {}: cannot claim a job ({})", owner, job.status().message());
        wait = backoff;
        backoff = std::min<std::chrono::milliseconds>(backoff * 2, std::chrono::seconds(5));
      } else {
        backoff = std::chrono::milliseconds(200);
      }
      std::unique_lock lock(mu_);
      wake_.wait_for(lock, wait, [&] { return stopping_ || wakes_ != seen; });
      continue;
    }
    backoff = std::chrono::milliseconds(200);
    const std::string id = job->id;
    auto abort = std::make_shared<std::atomic<bool>>(false);
    {
      std::lock_guard lock(mu_);
      if (stopping_) abort->store(true);
      running_[id] = abort;
    }
    int64_t renewed_at = claimed_at;
    run_(id, [&] { return CheckLease(id, owner, *abort, &renewed_at); }, owner);
    // Free at once for the next claimer (a stop, a retry); a lease that was lost is not ours.
    (void)store_.ReleaseLease(id, owner);
    std::lock_guard lock(mu_);
    if (auto it = running_.find(id); it != running_.end() && it->second == abort) running_.erase(it);
  }
}

}  // namespace presgen
