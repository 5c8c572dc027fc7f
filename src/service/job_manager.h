// The jobs of `presgen serve`, without HTTP: accepting uploads, running them
// on the worker pool, review edits, re-renders, deletion, expiry and restart
// recovery. Each change of a job is committed to the store before the call
// returns and published as an event.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/sys.h"
#include "readiness/readiness.h"
#include "pipeline/render_job.h"
#include "service/event_hub.h"
#include "service/http_error.h"
#include "service/job_record.h"
#include "service/job_runner.h"
#include "service/job_scheduler.h"
#include "service/job_store.h"
#include "service/leased_job_runner.h"
#include "service/metrics.h"
#include "service/signed_link.h"
#include "service/storage_reserve.h"
#include "service/upload_receiver.h"

namespace presgen {

struct ServiceParams {
  std::string host = "127.0.0.1";
  int port = 8080;                     // 0 = any free port
  std::string data_dir = "presgen-data";
  StoreLocation store;                 // empty target: sqlite:DATA_DIR/jobs.sqlite
  int workers = 1;                     // concurrent renders; 0 (a shared store only): none here
  int64_t lease_ms = 30000;            // a shared store's job leases (leased_job_runner.h)
  int queue_limit = 8;                 // jobs waiting for a worker before 429
  int64_t max_upload_bytes = int64_t{2} << 30;
  int64_t upload_stall_s = 30;         // an upload slower than 16 KB in this long gets 408
  int64_t ttl_s = 24 * 3600;           // files and rows expire this long after the last activity
  int64_t link_ttl_s = 3600;           // signed download links
  int64_t sweep_interval_s = 60;
  int64_t min_free_disk_mb = 1024;     // /readyz
  int max_attempts = 2;                // runs interrupted (restart, crash) before a job fails
  // The presgen binary each job runs in (`run-job`, pipeline/render_process.h): a crash of
  // a job's process fails or retries that job and leaves the service running. Required.
  std::string job_executable;
  int64_t job_timeout_s = 2 * 3600;    // a job's process is killed after this long
  int job_stop_grace_ms = 10000;       // SIGTERM -> SIGKILL when a job is stopped
  std::string api_key;                 // "" = no key needed
  std::string web_dir;                 // serve the page from here, not the built-in copy
  RenderOptions render;                // every job's defaults (threads, LLM, ...)
};

// Where one job's files live: data_dir/jobs/<id>/.
struct JobPaths {
  std::string dir;
  std::string input;   // the upload, under a generated name
  std::string work;    // transcript, deck, slides, result.json
  std::string output;  // the finished MP4
  std::string next_output;  // written by a render, renamed over `output` when done
  std::string cache;   // the stage cache (transcript, face track) of this job
  std::string spec;    // the running process's spec (pipeline/render_process.h)
  std::string log;     // what the job's processes wrote to stderr, every attempt
};

class JobManager {
 public:
  static Result<std::unique_ptr<JobManager>> Open(const ServiceParams& params);
  ~JobManager();

  const ServiceParams& params() const { return params_; }
  std::string UploadDir() const { return params_.data_dir + "/uploads"; }
  JobPaths PathsOf(const std::string& id) const;

  // Idempotency keys whose first request is still being received.
  bool BeginKey(const std::string& key);
  void EndKey(const std::string& key);
  bool QueueFull() const { return runner_->QueueFull(); }

  struct Created {
    JobRecord job;
    bool replayed = false;  // an earlier request with the same key and body made it
  };
  // Errors are transport-free Status values; each front end maps them to its own form
  // (HttpErrorFromStatus for the REST API, isError for MCP). Codes: kInvalidInput (bad
  // options "invalid_options", deck "invalid_deck", a reused key "idempotency_mismatch",
  // a damaged video), kUnsupported (not a video), kNotFound (no such job), kConflict
  // (busy, no deck yet), kGone (expired), kResourceExhausted (queue full "queue_full",
  // disk "storage"), kUnavailable, kInternal.

  // Takes over a received upload (its file is moved or removed): checks the
  // options and the media, stores the job and queues it.
  Result<Created> Create(const ReceivedUpload& upload, const std::string& idempotency_key);

  Result<JobRecord> Get(const std::string& id);
  Result<std::vector<JobRecord>> List(int limit);
  Result<JobRecord> PutDeck(const std::string& id, const std::string& body);
  Result<JobRecord> Render(const std::string& id);
  // Stops the job if it runs and removes it with its files.
  Status Delete(const std::string& id);

  // Expires jobs past their TTL: files removed, the row kept as `expired`.
  void SweepExpired(int64_t now);

  // The API's view of a job: links, the signed download link, the last result.
  nlohmann::json ToJson(const JobRecord& job) const;
  Status VerifyDownloadLink(const std::string& id, const std::string& expires,
                            const std::string& signature) const;

  EventHub& events() { return events_; }
  ServiceMetrics& metrics() { return metrics_; }
  Result<std::map<JobStatus, int>> CountByStatus() { return store_->CountByStatus(); }
  // The readiness checklist (/readyz, MCP check_readiness): the engines (really started),
  // storage, the job store. The first call runs the checks (~2 s); later calls answer at
  // once with the last run's results and, once those are a minute old, re-run them on a
  // thread of their own, so a load balancer's probe never waits for them.
  std::vector<ReadinessCheck> CheckReadiness();
  int Waiting() const { return runner_->Waiting(); }
  int Running() const { return runner_->Running(); }
  // Stops the workers; running jobs go back to the queue in the store.
  void Stop();
  bool stopping() const { return stopping_; }

 private:
  JobManager(ServiceParams params, std::optional<FileLock> lock, std::unique_ptr<JobStore> store,
             LinkSigner signer);
  void Recover();
  void Run(const std::string& id, const std::function<bool()>& should_abort,
           const std::string& lease_owner);
  // Commits the row and then publishes it (on a shared store, to every node); bumps
  // event_seq. With a lease owner, only while that lease holds. Call with mu_ held.
  Status CommitLocked(JobRecord& job, const char* event_type, const std::string& lease_owner = "");
  // CommitLocked for a job's end: when the store cannot write (the disk is full), the
  // storage reserve is given back and the commit tried once more.
  Status CommitEndLocked(JobRecord& job, const std::string& lease_owner);
  // A shared store's notification from any node (job_sharing.cpp).
  void OnStoreNotice(const std::string& payload);
  // SweepExpired's work, once this node may do it.
  void SweepExpiredLocked(int64_t now);
  Result<RenderOptions> RenderOptionsFor(const JobRecord& job) const;

  // Events kept for an idle job (enough for a reader to resume a finished run's end).
  static constexpr size_t kIdleEventHistory = 16;

  ServiceParams params_;
  std::optional<FileLock> lock_;  // data_dir/lock: one process per data folder (SQLite)
  std::unique_ptr<JobStore> store_;
  StorageReserve reserve_;  // given back when the disk fills, so a job's end is recorded
  LinkSigner signer_;
  EventHub events_;
  ServiceMetrics metrics_;
  std::mutex mu_;  // read-modify-write of job rows
  std::mutex keys_mu_;
  std::set<std::string> keys_in_flight_;
  std::atomic<bool> stopping_{false};
  std::mutex ready_mu_;
  std::vector<ReadinessCheck> engine_checks_;
  int64_t engine_checked_at_ = 0;  // unix seconds; 0 = never
  bool engine_refreshing_ = false;  // ready_thread_ is re-running the checks
  std::thread ready_thread_;        // joined by the destructor
  std::unique_ptr<JobScheduler> runner_;  // its workers use the members above
  LeasedJobRunner* leased_ = nullptr;       // runner_, when the store is shared
  std::unique_ptr<JobStore::Listener> listener_;  // last: its thread uses everything above
};

int64_t NowSeconds();
std::string Iso8601(int64_t unix_seconds);

}  // namespace presgen
