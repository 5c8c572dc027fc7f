// JobManager's readiness checklist: what /readyz and MCP's check_readiness answer — the
// checks of `presgen doctor` that are cheap and free to repeat (readiness/readiness.h), for
// this server's model and data folder, plus the job store.
#include "service/job_manager.h"

namespace presgen {
namespace {

constexpr int64_t kEngineRecheckS = 60;  // running the checks takes ~2 s of CPU

}  // namespace

std::vector<ReadinessCheck> JobManager::CheckReadiness() {
  ReadinessParams rp;
  rp.asr_model = params_.render.asr_model;
  rp.data_dir = params_.data_dir;
  rp.min_free_mb = params_.min_free_disk_mb;
  rp.smoke_render = false;  // seconds of CPU: `presgen doctor` runs it
  // The LLM is not called: a paid endpoint would bill every probe of a load balancer.
  std::vector<ReadinessCheck> checks;
  {
    std::unique_lock lock(ready_mu_);
    const int64_t now = NowSeconds();
    if (engine_checks_.empty()) {
      engine_checks_ = RunReadinessChecks(rp);  // the first answer has to wait for them
      engine_checked_at_ = now;
    } else if (now - engine_checked_at_ >= kEngineRecheckS && !engine_refreshing_ &&
               !stopping_) {
      engine_refreshing_ = true;
      if (ready_thread_.joinable()) ready_thread_.join();  // the last refresh, finished
      ready_thread_ = std::thread([this, rp] {
        auto fresh = RunReadinessChecks(rp);
        std::lock_guard done(ready_mu_);
        engine_checks_ = std::move(fresh);
        engine_checked_at_ = NowSeconds();
        engine_refreshing_ = false;
      });
    }
    checks = engine_checks_;
  }
  auto counts = store_->CountByStatus();
  checks.push_back({"store", counts.ok(), CheckSeverity::kRequired,
                    counts.ok() ? (store_->shared() ? "postgresql" : "sqlite") : counts.status().message(), 0});
  return checks;
}

}  // namespace presgen
