// The worker side of JobManager: running a job's queued task through the
// pipeline, reporting progress, and putting interrupted jobs back at start-up.
#include <algorithm>
#include <chrono>
#include <climits>
#include <filesystem>
#include <spdlog/spdlog.h>

#include "core/json_io.h"
#include "core/log.h"
#include "pipeline/circuit_breaker.h"
#include "pipeline/render_process.h"
#include "service/job_manager.h"

namespace fs = std::filesystem;

namespace presgen {
namespace {

using nlohmann::json;
using SteadyClock = std::chrono::steady_clock;

constexpr auto kProgressInterval = std::chrono::milliseconds(250);

// A process killed mid-write leaves its temporary files behind: the MP4 that Mp4Writer
// writes beside its target (".output.next.mp4.part<pid>.mp4") and the artifacts that
// WriteFileAtomic writes beside theirs ("deck.json.tmp.<pid>").
void RemoveUnfinishedFiles(const JobPaths& paths) {
  std::error_code ec;
  for (const std::string& dir : {paths.dir, paths.work}) {
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      const std::string name = entry.path().filename().string();
      if (name.rfind(".output.next.mp4.part", 0) == 0 || name.find(".tmp.") != std::string::npos) {
        fs::remove(entry.path(), ec);
      }
    }
  }
}

// What a run's result.json (also a failed run's) says about fallbacks and the stage cache,
// counted; returns the fallbacks as "stage: reason" lines for the job's log event.
json CountResult(const json& result, ServiceMetrics& metrics) {
  json fallbacks = json::array();
  if (const auto d = result.find("degraded"); d != result.end() && d->is_array()) {
    for (const auto& item : *d) {
      if (item.is_object() && item.contains("stage") && item["stage"].is_string()) {
        metrics.CountFallback(item["stage"].get<std::string>());
        fallbacks.push_back(item["stage"].get<std::string>() + ": " + item.value("reason", ""));
      }
    }
  }
  if (const auto c = result.find("cache"); c != result.end() && c->is_object()) {
    for (const auto& [stage, looked] : c->items()) {
      if (looked.is_string()) metrics.CountCacheRequest(stage, looked.get<std::string>() == "hit");
    }
  }
  return fallbacks;
}

const char* TaskName(JobTask task) { return task == JobTask::kRender ? "render" : "analyse"; }

int SlideCount(const std::string& deck_path) {
  auto j = ReadJsonFile(deck_path);
  if (!j.ok() || !j->contains("slides") || !(*j)["slides"].is_array()) return 0;
  return static_cast<int>((*j)["slides"].size());
}

}  // namespace

void JobManager::Recover() {
  auto rows = store_->List(0);
  if (!rows.ok()) {
    spdlog::error("recovery: {}", rows.status().message());
    return;
  }
  // Oldest first, so the queue keeps its order.
  for (auto it = rows->rbegin(); it != rows->rend(); ++it) {
    JobRecord job = *it;
    const bool interrupted = job.status == JobStatus::kRunning ||
                             (job.status == JobStatus::kRendering && job.attempts > 0);
    if (!interrupted && job.status != JobStatus::kQueued && job.status != JobStatus::kRendering) {
      continue;
    }
    std::lock_guard lock(mu_);
    if (interrupted && job.attempts >= params_.max_attempts) {
      job.status = JobStatus::kFailed;
      // One budget for every interrupted run, whether the service stopped or the job's
      // process died: say what the last interruption was.
      job.error = "the job's run was interrupted " + std::to_string(job.attempts) +
                  " times, the last time because the service stopped; it was not retried again";
      job.task = JobTask::kNone;
      job.stage.clear();
      (void)CommitLocked(job, "status");  // a failure is logged; the row stays as it was
      metrics_.CountStageFailure("restart", "interrupted");
      LogEvent(spdlog::level::warn, "job_failed", job.error,
               {{"job_id", job.id}, {"stage", "restart"}, {"code", "interrupted"}});
      continue;
    }
    if (job.status == JobStatus::kRunning) job.status = JobStatus::kQueued;
    if (job.task == JobTask::kNone) {
      job.task = job.status == JobStatus::kRendering ? JobTask::kRender : JobTask::kAnalyse;
    }
    job.stage.clear();
    job.progress = 0;
    if (!CommitLocked(job, "status").ok()) continue;
    runner_->Enqueue(job.id, /*force=*/true);
    spdlog::info("job {} {} again after a restart", job.id,
                 interrupted ? "runs" : "is queued");
  }
  // Folders without a row: jobs deleted while their worker was writing.
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(params_.data_dir + "/jobs", ec)) {
    const std::string id = entry.path().filename().string();
    if (!store_->Get(id).ok()) fs::remove_all(entry.path(), ec);
  }
}

void JobManager::Run(const std::string& id, const std::function<bool()>& should_abort,
                     const std::string& lease_owner) {
  JobRecord job;
  RenderOptions opt;
  {
    std::lock_guard lock(mu_);
    auto row = store_->Get(id);
    if (!row.ok() || row->task == JobTask::kNone) return;  // deleted or expired meanwhile
    job = std::move(row).value();
    // A leased job still in a stage was left by a worker that stopped heartbeating (it
    // died, or lost the store for longer than its lease): the same budget as a restart.
    // (A run that ends, a crash's retry or a stop, always clears the stage.)
    const bool taken_over = !lease_owner.empty() && !job.stage.empty() &&
                            (job.status == JobStatus::kRunning || job.status == JobStatus::kRendering);
    if (taken_over && job.attempts >= params_.max_attempts) {
      job.status = JobStatus::kFailed;
      job.error = "the job's run was interrupted " + std::to_string(job.attempts) +
                  " times, the last time because its worker stopped (its lease ran out); it "
                  "was not retried again";
      job.task = JobTask::kNone;
      job.stage.clear();
      job.expires_at = NowSeconds() + params_.ttl_s;
      (void)CommitLocked(job, "status", lease_owner);
      metrics_.CountStageFailure("takeover", "interrupted");
      LogEvent(spdlog::level::warn, "job_failed", job.error,
               {{"job_id", id}, {"stage", "takeover"}, {"code", "interrupted"}});
      return;
    }
    if (taken_over) {
      LogEvent(spdlog::level::warn, "job_taken_over",
               "job " + id + ": its last worker stopped; attempt " +
                   std::to_string(job.attempts + 1) + " runs here",
               {{"job_id", id}, {"attempt", job.attempts + 1}, {"worker", lease_owner}});
    }
    auto made = RenderOptionsFor(job);
    if (!made.ok()) {
      job.status = JobStatus::kFailed;
      job.error = made.status().message();
      job.task = JobTask::kNone;
      (void)CommitLocked(job, "status", lease_owner);
      return;
    }
    opt = std::move(made).value();
    job.status = job.task == JobTask::kRender ? JobStatus::kRendering : JobStatus::kRunning;
    job.stage = "probe";
    job.progress = 0;
    job.error.clear();
    ++job.attempts;
    // Still queued in the store: runs after a restart (or, leased, by the next claimer).
    if (!CommitLocked(job, "status", lease_owner).ok()) return;
  }
  const JobTask task = job.task;
  const JobPaths paths = PathsOf(id);
  if (task == JobTask::kRender) {
    opt.deck_path = paths.work + "/deck.json";
  } else {
    opt.deck_only = job.review;
  }

  std::string last_stage = "probe";
  auto last_report = SteadyClock::now() - kProgressInterval;
  auto progress = [&](const std::string& stage, double fraction) {
    const auto now = SteadyClock::now();
    if (stage == last_stage && now - last_report < kProgressInterval) return;
    last_stage = stage;
    last_report = now;
    std::lock_guard lock(mu_);
    auto row = store_->Get(id);
    if (!row.ok() || row->task != task) return;
    row->stage = stage;
    row->progress = fraction;
    (void)CommitLocked(*row, "progress", lease_owner);
  };
  // The job runs in a process of its own: whatever kills it, this process lives on.
  RemoveUnfinishedFiles(paths);
  RenderProcessParams process;
  process.executable = params_.job_executable;
  process.spec_path = paths.spec;
  process.log_path = paths.log;
  process.attempt = job.attempts;
  process.timeout_ms = static_cast<int>(std::min<int64_t>(params_.job_timeout_s * 1000, INT32_MAX));
  process.abort_grace_ms = params_.job_stop_grace_ms;
  process.on_stage_end = [&](const StageReport& r) {
    metrics_.ObserveStage(r.stage, r.seconds);
    LogPhaseCompleted(r, id);
  };
  const int attempt = job.attempts;
  // The breakers are this process's, shared by every job: the child is told which are open.
  ApplyOpenBreakers(BreakerSet::Process(), &opt);
  const Stopwatch run_time;
  auto ran = RunRenderProcess(opt, process, progress, should_abort, [&](int pid) {
    LogEvent(spdlog::level::info, "job_started",
             TaskName(task) + std::string(": attempt ") + std::to_string(attempt) +
                 " runs in process " + std::to_string(pid),
             {{"job_id", id}, {"task", TaskName(task)}, {"attempt", attempt}, {"pid", pid}});
  });
  const Status outcome = ran.ok() ? ran->status : ran.status();
  const bool crashed = ran.ok() && ran->crashed;
  if (ran.ok()) BreakerSet::Process().Record(EngineOutcomesOf(ran->result));
  if (!lease_owner.empty()) {
    const Status held = store_->RenewLease(id, lease_owner, params_.lease_ms);
    if (held.code() == StatusCode::kNotFound) {  // deleted meanwhile: leave nothing behind
      std::error_code ec;
      fs::remove_all(paths.dir, ec);
      return;
    }
    // Taken over (another worker's files are in the folder now), or the store is out of
    // reach: this run's outcome cannot be recorded; the lease's next holder runs the job.
    if (!held.ok()) {
      spdlog::warn("job {}: this run's outcome is dropped ({})", id, held.message());
      return;
    }
  }
  if (crashed || !outcome.ok()) RemoveUnfinishedFiles(paths);  // a failed run's half-outputs

  std::lock_guard lock(mu_);
  auto row = store_->Get(id);
  if (!row.ok() || row->status == JobStatus::kExpired || row->task != task) {
    // Deleted or expired while running: leave nothing behind.
    const bool gone = !row.ok() && row.status().code() == StatusCode::kNotFound;
    std::error_code ec;
    if (gone || (row.ok() && row->status == JobStatus::kExpired)) fs::remove_all(paths.dir, ec);
    if (!row.ok() && !gone) spdlog::error("job {}: {}", id, row.status().message());
    return;
  }
  job = std::move(row).value();
  if (outcome.code() == StatusCode::kCancelled && stopping_) {
    // The service is stopping: the job goes back to the queue for the next start.
    job.status = task == JobTask::kRender ? JobStatus::kRendering : JobStatus::kQueued;
    job.stage.clear();
    job.progress = 0;
    --job.attempts;
    (void)CommitLocked(job, "status", lease_owner);
    return;
  }
  if (crashed) {
    metrics_.CountProcessCrash(ran->term_signal);
    LogEvent(spdlog::level::warn, "job_process_crashed",
             outcome.message() + " (attempt " + std::to_string(job.attempts) + " of " +
                 std::to_string(params_.max_attempts) + "; log: " + paths.log + ")",
             {{"job_id", id}, {"stage", ran->last_stage}, {"attempt", job.attempts},
              {"signal", ran->term_signal}});
    if (job.attempts < params_.max_attempts && !stopping_) {
      // One crash may be the machine's (memory, a neighbour): the job gets another run.
      job.status = task == JobTask::kRender ? JobStatus::kRendering : JobStatus::kQueued;
      job.stage.clear();
      job.progress = 0;
      job.error = outcome.message() + "; trying again";
      if (CommitLocked(job, "status", lease_owner).ok()) runner_->Enqueue(id, /*force=*/true);
      return;
    }
  }
  const int attempts_made = job.attempts;  // kept in the row: the API shows the runs it took
  job.task = JobTask::kNone;
  job.expires_at = NowSeconds() + params_.ttl_s;
  json degraded = json::array();  // the fallbacks the run took
  if (auto written = ReadJsonFile(paths.work + "/result.json"); written.ok()) {
    job.result_json = written->dump();
    degraded = CountResult(*written, metrics_);
  }
  if (!outcome.ok()) {
    job.status = JobStatus::kFailed;
    job.error = outcome.message();
    if (crashed && attempts_made > 1) {
      job.error += " (tried " + std::to_string(attempts_made) + " times)";
    }
    if (task == JobTask::kAnalyse && job.deck_version == 0) {
      // The deck was made before composition failed: it can still be edited and rendered.
      job.slide_count = SlideCount(paths.work + "/deck.json");
      if (job.slide_count > 0) job.deck_version = 1;
    }
    const std::string code = crashed ? "crash" : StatusCodeName(outcome.code());
    metrics_.CountStageFailure(last_stage, code);
    metrics_.CountJobFinished(false, run_time.ElapsedSeconds());
    LogEvent(spdlog::level::warn, "job_failed", "failed in " + last_stage + ": " + job.error,
             {{"job_id", id}, {"task", TaskName(task)}, {"stage", last_stage}, {"code", code},
              {"error", job.error}, {"duration_seconds", run_time.ElapsedSeconds()}});
  } else {
    const json& result = ran->result;
    metrics_.CountJobFinished(true, run_time.ElapsedSeconds());
    job.result_json = result.dump(-1, ' ', false, json::error_handler_t::replace);
    if (task == JobTask::kAnalyse) ++job.deck_version;
    job.slide_count = SlideCount(paths.work + "/deck.json");
    if (opt.deck_only) {
      job.status = JobStatus::kReview;
    } else {
      std::error_code ec;
      fs::rename(paths.next_output, paths.output, ec);
      if (ec) {
        job.status = JobStatus::kFailed;
        job.error = "cannot store the rendered video: " + ec.message();
      } else {
        job.status = JobStatus::kSucceeded;
        job.has_output = true;
      }
    }
  }
  if (job.status != JobStatus::kFailed) {
    // With the fallbacks it took, so an operator sees a degraded run without opening the job.
    LogEvent(spdlog::level::info, "job_finished",
             std::string(TaskName(task)) + " finished: " + ToString(job.status) +
                 (degraded.empty() ? "" : " (" + std::to_string(degraded.size()) + " fallbacks)"),
             {{"job_id", id}, {"task", TaskName(task)}, {"status", ToString(job.status)},
              {"duration_seconds", run_time.ElapsedSeconds()}, {"degraded", degraded}});
  }
  job.stage.clear();
  job.progress = job.status == JobStatus::kFailed ? job.progress : 1.0;
  (void)CommitEndLocked(job, lease_owner);  // logged; the job is re-run after a restart
}

Status JobManager::CommitEndLocked(JobRecord& job, const std::string& lease_owner) {
  Status st = CommitLocked(job, "status", lease_owner);
  if (!st.ok() && reserve_.Release()) {
    LogEvent(spdlog::level::err, "storage_reserve_released",
             "the job store could not record the end of job " + job.id + " (" + st.message() +
                 "); the storage reserve was given back to the disk",
             {{"job_id", job.id}});
    st = CommitLocked(job, "status", lease_owner);
  }
  return st;
}

}  // namespace presgen
