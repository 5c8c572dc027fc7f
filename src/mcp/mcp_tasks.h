// The tasks utility of MCP 2025-11-25: a tools/call that the client asked to run as a task
// returns a task id at once; the call runs on a thread of its own and the client polls
// tasks/get, waits on tasks/result, lists with tasks/list and stops it with tasks/cancel.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace presgen::mcp {

using nlohmann::json;

class TaskRegistry {
 public:
  // Runs the work; `cancelled` turns true on tasks/cancel; returns the CallToolResult and
  // whether it is an error (the task then ends `failed`).
  using Work = std::function<json(const std::function<bool()>& cancelled, bool* failed)>;

  TaskRegistry() = default;
  ~TaskRegistry();  // cancels what still runs and waits for it

  // Starts `work` as a task of `owner` (the client's session: only it sees the task) kept
  // `ttl_ms` after it ends (0 = the default); returns the Task.
  // Errors: kResourceExhausted when kMaxRunning tasks already run.
  Result<json> Start(const std::string& owner, Work work, int64_t ttl_ms);
  // The Task (flat: taskId, status, createdAt, lastUpdatedAt, ttl, pollInterval).
  // Errors: kNotFound for an unknown or expired id, or another owner's.
  Result<json> Get(const std::string& owner, const std::string& id);
  // Waits until the task has ended, then its result. Errors: kNotFound; kCancelled for a
  // cancelled task.
  Result<json> WaitResult(const std::string& owner, const std::string& id,
                          const std::function<bool()>& give_up);
  json List(const std::string& owner);
  // Errors: kNotFound; kInvalidInput when the task has already ended.
  Result<json> Cancel(const std::string& owner, const std::string& id);

  static constexpr int kMaxRunning = 16;

 private:
  struct Task {
    std::string id;
    std::string owner;
    std::string status = "working";  // working | completed | failed | cancelled
    std::string status_message;
    int64_t created_ms = 0, updated_ms = 0, ttl_ms = 0;
    bool cancel_requested = false;
    json result;
  };
  json ToJson(const Task& t) const;
  void DropExpiredLocked(int64_t now_ms);
  // The owner's task `id`, or null. Call with mu_ held.
  std::shared_ptr<Task> FindLocked(const std::string& owner, const std::string& id);

  std::mutex mu_;
  std::condition_variable changed_;
  std::map<std::string, std::shared_ptr<Task>> tasks_;
  int running_ = 0;  // task threads not yet finished (they are detached)
};

}  // namespace presgen::mcp
