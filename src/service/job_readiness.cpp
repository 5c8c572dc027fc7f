// JobManager's readiness checklist: what /readyz and MCP's check_readiness answer — the
// checks of `presgen doctor` that are cheap and free to repeat (readiness/readiness.h), for
// this server's model and data folder, plus the job store.
#include "service/job_manager.h"

namespace presgen {
namespace {

constexpr int64_t kEngineRecheckS = 60;  // starting every engine takes ~1 s

}  // namespace

std::vector<ReadinessCheck> JobManager::CheckReadiness() {
  std::vector<ReadinessCheck> checks;
  {
    std::lock_guard lock(ready_mu_);
    const int64_t now = NowSeconds();
    if (engine_checks_.empty() || now - engine_checked_at_ >= kEngineRecheckS) {
      ReadinessParams rp;
      rp.asr_model = params_.render.asr_model;
      rp.data_dir = params_.data_dir;
      rp.min_free_mb = params_.min_free_disk_mb;
      rp.smoke_render = false;  // seconds of CPU: `presgen doctor` runs it
      // The LLM is not called: a paid endpoint would bill every probe of a load balancer.
      engine_checks_ = RunReadinessChecks(rp);
      engine_checked_at_ = now;
    }
    checks = engine_checks_;
  }
  auto counts = store_->CountByStatus();
  checks.push_back({"store", counts.ok(), CheckSeverity::kRequired,
                    counts.ok() ? "sqlite" : counts.status().message(), 0});
  return checks;
}

}  // namespace presgen
