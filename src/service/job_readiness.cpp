// JobManager's readiness checklist: what /readyz and MCP's check_readiness answer.
#include <sys/statvfs.h>

#include "service/job_manager.h"

namespace presgen {
namespace {

constexpr int64_t kEngineRecheckS = 60;  // starting every engine takes ~0.5 s

}  // namespace

std::vector<ReadinessCheck> JobManager::CheckReadiness() {
  std::vector<ReadinessCheck> checks;
  {
    std::lock_guard lock(ready_mu_);
    const int64_t now = NowSeconds();
    if (engine_checks_.empty() || now - engine_checked_at_ >= kEngineRecheckS) {
      engine_checks_ = CheckEngines();
      engine_checked_at_ = now;
    }
    checks = engine_checks_;
  }
  struct statvfs fs_stat {};
  if (statvfs(params_.data_dir.c_str(), &fs_stat) == 0) {
    const int64_t free_mb =
        static_cast<int64_t>(fs_stat.f_bavail) * static_cast<int64_t>(fs_stat.f_frsize) >> 20;
    checks.push_back({"disk", free_mb >= params_.min_free_disk_mb,
                      std::to_string(free_mb) + " MB free in " + params_.data_dir + " (need " +
                          std::to_string(params_.min_free_disk_mb) + ")"});
  } else {
    checks.push_back({"disk", false, params_.data_dir + " is not readable"});
  }
  auto counts = store_->CountByStatus();
  checks.push_back({"store", counts.ok(), counts.ok() ? "sqlite" : counts.status().message()});
  return checks;
}

}  // namespace presgen
