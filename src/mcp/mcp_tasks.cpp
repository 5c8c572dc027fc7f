#include "mcp/mcp_tasks.h"

#include <chrono>
#include <ctime>
#include <thread>

#include "service/upload_receiver.h"

namespace presgen::mcp {
namespace {

constexpr int64_t kDefaultTtlMs = 60 * 60 * 1000;
constexpr int64_t kMaxTtlMs = 24 * 60 * 60 * 1000;
constexpr int kPollIntervalMs = 1000;

int64_t NowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string IsoMs(int64_t ms) {
  const std::time_t s = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&s, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms % 1000));
  return out;
}

bool Ended(const std::string& status) { return status != "working"; }

}  // namespace

TaskRegistry::~TaskRegistry() {
  std::unique_lock lock(mu_);
  for (auto& [id, t] : tasks_) t->cancel_requested = true;
  // A task's thread touches the registry last while holding mu_ (see Start).
  changed_.wait(lock, [&] { return running_ == 0; });
}

json TaskRegistry::ToJson(const Task& t) const {
  json j = {{"taskId", t.id},
            {"status", t.status},
            {"createdAt", IsoMs(t.created_ms)},
            {"lastUpdatedAt", IsoMs(t.updated_ms)},
            {"ttl", t.ttl_ms},
            {"pollInterval", kPollIntervalMs}};
  if (!t.status_message.empty()) j["statusMessage"] = t.status_message;
  return j;
}

void TaskRegistry::DropExpiredLocked(int64_t now_ms) {
  for (auto it = tasks_.begin(); it != tasks_.end();) {
    const Task& t = *it->second;
    if (Ended(t.status) && now_ms - t.updated_ms > t.ttl_ms) {
      it = tasks_.erase(it);  // a thread still finishing keeps its Task alive
    } else {
      ++it;
    }
  }
}

std::shared_ptr<TaskRegistry::Task> TaskRegistry::FindLocked(const std::string& owner,
                                                             const std::string& id) {
  DropExpiredLocked(NowMs());
  auto it = tasks_.find(id);
  if (it == tasks_.end() || it->second->owner != owner) return nullptr;
  return it->second;
}

Result<json> TaskRegistry::Start(const std::string& owner, Work work, int64_t ttl_ms) {
  auto id = RandomHex(16);
  if (!id.ok()) return id.status();
  auto task = std::make_shared<Task>();
  task->id = "t_" + *id;
  task->owner = owner;
  task->created_ms = task->updated_ms = NowMs();
  task->ttl_ms = ttl_ms > 0 ? std::min(ttl_ms, kMaxTtlMs) : kDefaultTtlMs;
  std::lock_guard lock(mu_);
  if (running_ >= kMaxRunning) {
    return Status::ResourceExhausted("too many tasks are running; try again later");
  }
  DropExpiredLocked(task->created_ms);
  tasks_[task->id] = task;
  ++running_;
  std::thread([this, task, work = std::move(work)] {
    bool failed = false;
    json result = work(
        [this, task] {
          std::lock_guard l(mu_);
          return task->cancel_requested;
        },
        &failed);
    std::lock_guard l(mu_);
    if (task->status == "working") task->status = failed ? "failed" : "completed";
    task->result = std::move(result);
    task->updated_ms = NowMs();
    --running_;
    changed_.notify_all();  // under the lock: the destructor may go on once it is released
  }).detach();
  return ToJson(*task);
}

Result<json> TaskRegistry::Get(const std::string& owner, const std::string& id) {
  std::lock_guard lock(mu_);
  auto task = FindLocked(owner, id);
  if (!task) return Status::NotFound("no task " + id);
  return ToJson(*task);
}

Result<json> TaskRegistry::WaitResult(const std::string& owner, const std::string& id,
                                      const std::function<bool()>& give_up) {
  std::unique_lock lock(mu_);
  std::shared_ptr<Task> task = FindLocked(owner, id);
  if (!task) return Status::NotFound("no task " + id);
  while (!Ended(task->status)) {
    changed_.wait_for(lock, std::chrono::milliseconds(200));
    if (give_up && give_up()) return Status::Cancelled("the wait was cancelled");
  }
  if (task->status == "cancelled") return Status::Cancelled("task " + id + " was cancelled");
  return task->result;
}

json TaskRegistry::List(const std::string& owner) {
  std::lock_guard lock(mu_);
  DropExpiredLocked(NowMs());
  json list = json::array();
  for (const auto& [id, t] : tasks_) {
    if (t->owner == owner) list.push_back(ToJson(*t));
  }
  return list;
}

Result<json> TaskRegistry::Cancel(const std::string& owner, const std::string& id) {
  std::lock_guard lock(mu_);
  auto task = FindLocked(owner, id);
  if (!task) return Status::NotFound("no task " + id);
  if (Ended(task->status)) {
    return Status::InvalidInput("task " + id + " has already ended (" + task->status + ")");
  }
  task->cancel_requested = true;
  task->status = "cancelled";
  task->updated_ms = NowMs();
  changed_.notify_all();
  return ToJson(*task);
}

}  // namespace presgen::mcp
