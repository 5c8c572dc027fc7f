#include "service/job_manager.h"

#include <chrono>
#include <ctime>
#include <filesystem>
#include <spdlog/spdlog.h>

#include "core/json_io.h"
#include "core/subprocess.h"
#include "pipeline/upload_probe.h"
#include "pipeline/stage_cache.h"
#include "service/job_options.h"
#include "service/job_sharing.h"

namespace fs = std::filesystem;

namespace presgen {
namespace {

using nlohmann::json;

// Kept back for the job store (storage_reserve.h); at most an eighth of the free space.
constexpr int64_t kStorageReserveBytes = 8 << 20;

Status ExpiredError(const std::string& id) {
  return Status::Gone("job " + id + " has expired; its files are removed");
}

// Why a deck edit or render cannot happen now (no job, expired, busy, no deck yet).
Status RefuseDeckAction(const Result<JobRecord>& job, const char* busy) {
  if (!job.ok()) return job.status();
  if (job->status == JobStatus::kExpired) return ExpiredError(job->id);
  if (!IsIdle(job->status) || job->deck_version == 0) {
    return Status::Conflict(busy + std::string(ToString(job->status)));
  }
  return Status::Ok();
}

Status IdempotencyMismatch(const std::string& key) {
  return Status::InvalidInput("Idempotency-Key \"" + key + "\" was used for a different upload")
      .WithReason("idempotency_mismatch");
}

}  // namespace

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string Iso8601(int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

JobManager::JobManager(ServiceParams params, std::optional<FileLock> lock,
                       std::unique_ptr<JobStore> store, LinkSigner signer)
    : params_(std::move(params)),
      lock_(std::move(lock)),
      store_(std::move(store)),
      reserve_(params_.data_dir + "/reserve", kStorageReserveBytes),
      signer_(std::move(signer)) {
  if (!reserve_.Replenish()) spdlog::warn("{}: no room for the storage reserve", params_.data_dir);
}

Result<std::unique_ptr<JobManager>> JobManager::Open(const ServiceParams& params) {
  if (params.job_executable.empty() || FindExecutable(params.job_executable).empty()) {
    return Status::InvalidInput("cannot run jobs: no presgen executable at '" +
                                params.job_executable + "'");
  }
  std::error_code ec;
  for (const char* sub : {"", "/jobs", "/uploads"}) {
    fs::create_directories(params.data_dir + sub, ec);
    if (ec) {
      return Status::InvalidInput(params.data_dir + ": cannot create the data folder (" +
                                  ec.message() + ")");
    }
  }
  StoreLocation where = params.store;
  if (where.target.empty()) {
    where = {StoreLocation::Kind::kSqlite, params.data_dir + "/jobs.sqlite"};
  }
  auto opened = OpenJobStore(where);
  if (!opened.ok()) return opened.status();
  std::unique_ptr<JobStore> store = std::move(opened).value();
  const bool shared = store->shared();
  if (!shared && params.workers < 1) {
    return Status::InvalidInput("--workers 0 needs a job store that other nodes share "
                                "(--store postgresql://…): nothing would render the jobs");
  }
  std::optional<FileLock> lock;
  std::optional<LinkSigner> signer;
  if (shared) {
    // Many nodes share the folder and the store: the store's id marks the folder, and the
    // link secret lives in the store so a link signed by one node opens on every other.
    PRESGEN_RETURN_IF_ERROR(CheckSharedDataDir(*store, params.data_dir));
    auto made = SharedLinkSigner(*store);
    if (!made.ok()) return made.status();
    signer = std::move(made).value();
  } else {
    // Another process on the same folder would clear its uploads and run its jobs twice.
    auto held = FileLock::Acquire(params.data_dir + "/lock");
    if (!held.ok()) return held.status();
    lock = std::move(held).value();
    auto made = LinkSigner::LoadOrCreate(params.data_dir + "/link-secret");
    if (!made.ok()) return made.status();
    signer = std::move(made).value();
  }
  std::unique_ptr<JobManager> m(
      new JobManager(params, std::move(lock), std::move(store), std::move(signer).value()));
  // Uploads cut off by the last stop never became jobs. On a shared folder other nodes'
  // uploads arrive here too: only files no upload has written to for long are left over.
  const auto stale_before = fs::file_time_type::clock::now() -
                            std::chrono::seconds(std::max<int64_t>(60, 2 * params.upload_stall_s));
  for (const auto& entry : fs::directory_iterator(m->UploadDir(), ec)) {
    if (!shared || entry.last_write_time(ec) < stale_before) fs::remove(entry.path(), ec);
  }
  auto run = [raw = m.get()](const std::string& id, const std::function<bool()>& abort,
                             const std::string& lease_owner) { raw->Run(id, abort, lease_owner); };
  if (shared) {
    LeasedRunnerParams lp;
    lp.workers = params.workers;
    lp.queue_limit = params.queue_limit;
    lp.lease_ms = params.lease_ms;
    lp.node_id = MakeNodeId();
    auto leased = std::make_unique<LeasedJobRunner>(*m->store_, run, lp);
    m->leased_ = leased.get();
    m->runner_ = std::move(leased);
    // Every node hears every node's changes: event streams here follow jobs run elsewhere.
    auto listener = m->store_->Listen(
        [raw = m.get()](const std::string& payload) { raw->OnStoreNotice(payload); },
        [raw = m.get()] { raw->leased_->Wake(); });
    if (!listener.ok()) return listener.status();
    m->listener_ = std::move(listener).value();
    spdlog::info("node {}: {} workers on the shared job store {}", lp.node_id, params.workers,
                 where.Display());
  } else {
    m->runner_ = std::make_unique<JobRunner>(run, params.workers, params.queue_limit);
    m->Recover();  // on a shared store, leases bring interrupted jobs back
  }
  return m;
}

JobManager::~JobManager() {
  Stop();
  std::thread refresh;
  {
    std::lock_guard lock(ready_mu_);
    refresh = std::move(ready_thread_);
  }
  if (refresh.joinable()) refresh.join();  // it takes ready_mu_ at its end
}

void JobManager::Stop() {
  stopping_ = true;
  listener_.reset();  // its thread calls into the runner
  if (runner_) runner_->Stop();
  events_.Close();
}

JobPaths JobManager::PathsOf(const std::string& id) const {
  JobPaths p;
  p.dir = params_.data_dir + "/jobs/" + id;
  p.input = p.dir + "/input.video";
  p.work = p.dir + "/work";
  p.output = p.dir + "/output.mp4";
  p.next_output = p.dir + "/output.next.mp4";
  p.cache = p.dir + "/cache";
  p.spec = p.dir + "/job-spec.json";
  p.log = p.dir + "/render.log";
  return p;
}

bool JobManager::BeginKey(const std::string& key) {
  std::lock_guard lock(keys_mu_);
  return keys_in_flight_.insert(key).second;
}

void JobManager::EndKey(const std::string& key) {
  std::lock_guard lock(keys_mu_);
  keys_in_flight_.erase(key);
}

Status JobManager::CommitLocked(JobRecord& job, const char* event_type,
                                const std::string& lease_owner) {
  job.updated_at = NowSeconds();
  ++job.event_seq;
  const Status st = lease_owner.empty() ? store_->Update(job) : store_->UpdateLeased(job, lease_owner);
  if (!st.ok()) {
    spdlog::error("job {}: {}", job.id, st.message());
    return st;  // nothing is announced that the store does not have
  }
  if (store_->shared()) {
    // Lost, the notice costs other nodes' watchers this one event (the next one carries
    // the whole row again).
    if (Status told = store_->Notify(
            FormatNotice({StoreNotice::Kind::kJob, job.id, job.event_seq, event_type}));
        !told.ok()) {
      spdlog::warn("job {}: other nodes were not told of its change ({})", job.id, told.message());
    }
  }
  events_.Publish(job.id, {job.event_seq, event_type,
                           ToJson(job).dump(-1, ' ', false, json::error_handler_t::replace),
                           IsFinal(job.status)});
  if (IsIdle(job.status)) events_.Trim(job.id, kIdleEventHistory);
  return Status::Ok();
}

Result<RenderOptions> JobManager::RenderOptionsFor(const JobRecord& job) const {
  RenderOptions opt = params_.render;
  const JobPaths paths = PathsOf(job.id);
  opt.input_path = paths.input;
  opt.output_path = paths.next_output;
  opt.workdir = paths.work;
  opt.cache_dir = paths.cache;
  auto applied = ApplyJobOptions(job.options_json, &opt);
  if (!applied.ok()) return applied.status();
  return opt;
}

Result<JobManager::Created> JobManager::Create(
    const ReceivedUpload& upload, const std::string& idempotency_key) {
  struct RemoveUnlessMoved {
    std::string path;
    ~RemoveUnlessMoved() {
      std::error_code ec;
      if (!path.empty()) fs::remove_all(path, ec);
    }
  } cleanup{upload.path};

  JobRecord job;
  if (!idempotency_key.empty()) {
    auto body = Sha256OfFile(upload.path);
    if (!body.ok()) return body.status();
    job.idempotency_key = idempotency_key;
    job.body_sha256 = Sha256OfText(*body + "\n" + upload.options_text);
    if (auto earlier = store_->FindByIdempotencyKey(idempotency_key); earlier.ok()) {
      if (earlier->body_sha256 != job.body_sha256) return IdempotencyMismatch(idempotency_key);
      return Created{*earlier, true};
    }
  }

  const auto id = RandomHex(8);
  if (!id.ok()) return id.status();
  job.id = "j_" + *id;
  const JobPaths paths = PathsOf(job.id);
  std::error_code ec;
  fs::create_directories(paths.work, ec);
  if (ec) {
    return Status::ResourceExhausted("cannot create the job's folder").WithReason("storage");
  }
  fs::rename(upload.path, paths.input, ec);
  if (ec) {
    fs::remove_all(paths.dir, ec);
    return Status::Internal("cannot store the upload").WithReason("storage");
  }
  cleanup.path = paths.dir;  // removed again unless the job is stored

  RenderOptions opt = params_.render;
  opt.input_path = paths.input;
  opt.output_path = paths.next_output;
  auto options = ApplyJobOptions(upload.options_text, &opt);
  if (!options.ok()) {
    return Status::InvalidInput(options.status().message()).WithReason("invalid_options");
  }
  // Untrusted bytes: parsed in a child process, so a file that crashes FFmpeg is one
  // refused upload.
  UploadProbeParams probe;
  probe.executable = params_.job_executable;
  probe.should_abort = [this] { return stopping_.load(); };
  auto probed = ProbeUploadInChild(paths.input, probe);
  if (!probed.ok()) {
    // Messages name our stored path; the user knows the file by its own name.
    std::string message = probed.status().message();
    if (message.rfind(paths.input, 0) == 0) {
      message = upload.filename + message.substr(paths.input.size());
    }
    return Status(probed.status().code(), message);
  }

  const int64_t now = NowSeconds();
  job.status = JobStatus::kQueued;
  job.task = JobTask::kAnalyse;
  job.review = options->review;
  job.filename = upload.filename;
  job.options_json = options->normalized_json;
  job.duration_s = probed->duration_s;
  job.created_at = job.updated_at = now;
  job.expires_at = now + params_.ttl_s;
  job.event_seq = 1;
  {
    std::lock_guard lock(mu_);
    if (Status st = store_->Insert(job); !st.ok()) {
      if (!job.idempotency_key.empty()) {
        if (auto raced = store_->FindByIdempotencyKey(job.idempotency_key); raced.ok()) {
          if (raced->body_sha256 == job.body_sha256) return Created{*raced, true};
          return IdempotencyMismatch(job.idempotency_key);
        }
      }
      return st;
    }
    events_.Publish(job.id, {job.event_seq, "status",
                             ToJson(job).dump(-1, ' ', false, json::error_handler_t::replace),
                             false});
  }
  if (store_->shared()) {  // the workers of every node look for it
    (void)store_->Notify(FormatNotice({StoreNotice::Kind::kJob, job.id, job.event_seq, "status"}));
  }
  cleanup.path.clear();
  runner_->Enqueue(job.id, /*force=*/true);  // the API checked the queue before the upload
  return Created{job, false};
}

Result<JobRecord> JobManager::Get(const std::string& id) { return store_->Get(id); }

Result<std::vector<JobRecord>> JobManager::List(int limit) { return store_->List(limit); }

Result<JobRecord> JobManager::PutDeck(const std::string& id,
                                                       const std::string& body) {
  std::lock_guard lock(mu_);
  auto job = store_->Get(id);
  PRESGEN_RETURN_IF_ERROR(RefuseDeckAction(job, "the deck cannot be changed while the job is "));
  const json j = json::parse(body, nullptr, false);
  if (j.is_discarded()) {
    return Status::InvalidInput("the deck is not valid JSON").WithReason("invalid_deck");
  }
  auto deck = ParseDeck(j, job->duration_s);
  if (!deck.ok()) {
    return Status::InvalidInput(deck.status().message()).WithReason("invalid_deck");
  }
  auto opt = RenderOptionsFor(*job);
  if (!opt.ok()) return opt.status();
  deck->template_name = opt->template_name;
  // Images first: a deck that cannot be drawn is not saved.
  auto redrawn = RedrawDeckFiles(*opt, *deck);
  if (!redrawn.ok()) return redrawn.status();
  PRESGEN_RETURN_IF_ERROR(WriteJsonFile(PathsOf(id).work + "/deck.json", *deck));
  ++job->deck_version;
  job->slide_count = static_cast<int>(deck->slides.size());
  job->expires_at = NowSeconds() + params_.ttl_s;
  PRESGEN_RETURN_IF_ERROR(CommitLocked(*job, "status"));
  return *job;
}

Result<JobRecord> JobManager::Render(const std::string& id) {
  std::lock_guard lock(mu_);
  auto job = store_->Get(id);
  PRESGEN_RETURN_IF_ERROR(RefuseDeckAction(job, "the job cannot render now: it is "));
  if (runner_->QueueFull()) {
    return Status::ResourceExhausted("the render queue is full; try again later")
        .WithReason("queue_full");
  }
  job->status = JobStatus::kRendering;
  job->task = JobTask::kRender;
  job->stage.clear();
  job->progress = 0;
  job->error.clear();
  job->attempts = 0;
  PRESGEN_RETURN_IF_ERROR(CommitLocked(*job, "status"));
  runner_->Enqueue(id, /*force=*/true);  // committed first: a worker finds the task
  return *job;
}

Status JobManager::Delete(const std::string& id) {
  {
    std::lock_guard lock(mu_);
    auto job = store_->Get(id);
    if (!job.ok()) return job.status();
    PRESGEN_RETURN_IF_ERROR(store_->Delete(id));
  }
  runner_->Cancel(id);  // a running job stops soon and removes what it wrote
  if (store_->shared()) {  // or on whichever node runs it
    (void)store_->Notify(FormatNotice({StoreNotice::Kind::kGone, id, 0, ""}));
  }
  std::error_code ec;
  fs::remove_all(PathsOf(id).dir, ec);
  events_.Forget(id);
  return Status::Ok();
}

void JobManager::SweepExpired(int64_t now) {
  reserve_.Replenish();  // once a full disk has room again
  if (store_->shared()) {
    // One node at a time sweeps the shared store; the others skip this round.
    auto mine = store_->TryLockShared("expiry_sweep");
    if (!mine.ok() || !*mine) return;
    SweepExpiredLocked(now);
    store_->UnlockShared("expiry_sweep");
    return;
  }
  SweepExpiredLocked(now);
}

void JobManager::SweepExpiredLocked(int64_t now) {
  auto due = store_->ListExpiredBy(now);
  if (!due.ok()) {
    spdlog::error("expiry sweep: {}", due.status().message());
    return;
  }
  for (const auto& stale : *due) {
    std::lock_guard lock(mu_);
    auto job = store_->Get(stale.id);
    // An edit or a render may have come in since the listing: then it is not due.
    if (!job.ok() || !IsIdle(job->status) || job->status == JobStatus::kExpired ||
        job->expires_at > now) {
      continue;
    }
    std::error_code ec;
    fs::remove_all(PathsOf(job->id).dir, ec);
    job->status = JobStatus::kExpired;
    job->task = JobTask::kNone;
    job->stage.clear();
    job->has_output = false;
    if (CommitLocked(*job, "status").ok()) {
      events_.Forget(job->id);  // readers now get the expired job from the store
      spdlog::info("job {} expired; its files are removed", job->id);
    }
  }
  // Expired rows stay queryable for a week, then go too.
  (void)store_->DeleteExpiredBefore(now - 7 * 24 * 3600);
}

Status JobManager::VerifyDownloadLink(const std::string& id, const std::string& expires,
                                      const std::string& signature) const {
  char* end = nullptr;
  const long long t = std::strtoll(expires.c_str(), &end, 10);
  if (expires.empty() || *end != '\0') return Status::InvalidInput("bad expiry");
  return signer_.Verify(id, t, signature, NowSeconds());
}

json JobManager::ToJson(const JobRecord& job) const {
  const std::string self = "/v1/jobs/" + job.id;
  json j = {{"id", job.id},
            {"status", ToString(job.status)},
            {"stage", job.stage},
            {"progress", job.progress},
            {"review", job.review},
            {"filename", job.filename},
            {"options", json::parse(job.options_json, nullptr, false)},
            {"duration", job.duration_s},
            {"created_at", Iso8601(job.created_at)},
            {"updated_at", Iso8601(job.updated_at)},
            {"expires_at", Iso8601(job.expires_at)},
            {"deck_version", job.deck_version},
            {"event_id", job.event_seq},
            {"attempts", job.attempts},
            {"slide_count", job.slide_count},
            {"timings", json::object()},
            {"degraded", json::array()},
            {"reused", json::array()},
            {"error", job.error.empty() ? json(nullptr) : json(job.error)},
            {"links",
             {{"self", self},
              {"events", self + "/events"},
              {"deck", self + "/deck"},
              {"render", self + "/render"},
              {"transcript", self + "/transcript"},
              {"pdf", self + "/deck.pdf"},
              {"download", self + "/download"}}}};
  if (!job.result_json.empty()) {
    const json r = json::parse(job.result_json, nullptr, false);
    for (const char* key : {"timings", "degraded", "reused", "engines", "cost_usd"})
      if (r.is_object() && r.contains(key)) j[key] = r[key];
  }
  if (job.has_output) {
    const int64_t expires = std::min(NowSeconds() + params_.link_ttl_s, job.expires_at);
    // Without a signature there is no link (the API key still opens `links.download`).
    if (auto sig = signer_.Sign(job.id, expires); sig.ok()) {
      j["download_url"] = self + "/download?expires=" + std::to_string(expires) + "&sig=" + *sig;
    }
  }
  return j;
}

}  // namespace presgen
