// presgen's MCP tools (docs/mcp.md): the job pipeline of `presgen serve` as tool calls —
// render, review and edit the deck, re-render, transcribe, readiness — over a JobManager.
// Protocol-free: McpServer (mcp_server.h) turns calls into tools/call answers.
//
// Thread-safety: Call() may run on several threads at once (one per tool call in flight).
#pragma once

#include <functional>
#include <semaphore>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "service/job_manager.h"

namespace presgen::mcp {

using nlohmann::json;

enum class McpTransport { kStdio, kHttp };

struct McpToolParams {
  McpTransport transport = McpTransport::kStdio;
  // Over HTTP, input_path arguments must lie inside this folder (resolved, symlinks
  // followed); empty = no server paths at all (render an uploaded job by its job_id).
  // Over stdio any readable file may be given: the client is the machine's own user.
  std::string input_dir;
  // The `presgen` binary run for `transcribe` (in a child process, like every job).
  std::string executable;
};

// One tool call's channel back to its caller.
struct ToolContext {
  // Progress of the call: fraction 0..1 and what is happening. May be empty.
  std::function<void(double fraction, const std::string& message)> progress;
  // True once the caller cancelled the call. May be empty.
  std::function<bool()> cancelled;
  // HTTP: "http://host:port" as the client reached the server, for download links.
  std::string base_url;
};

struct ToolOutcome {
  bool is_error = false;
  std::string text;               // a short line for the model and the user
  json structured;                // structuredContent (null when is_error)
  json extra_content = json::array();  // more content blocks (resource links)
};

// A failed call (isError) with its one line; a successful one with its structured content.
ToolOutcome ToolError(const std::string& message);
ToolOutcome ToolDone(json structured, std::string text);

struct ToolSpec {
  std::string name, title, description;
  json input_schema, output_schema;
  bool read_only = false;
  bool destructive = false;
  bool long_running = false;  // may run as a task (2025-11-25 tasks utility)
};

class McpTools {
 public:
  McpTools(JobManager& jobs, McpToolParams params);

  const std::vector<ToolSpec>& specs() const { return specs_; }
  const ToolSpec* Find(const std::string& name) const;
  const McpToolParams& params() const { return params_; }

  // Runs tool `name` with `arguments` (already an object). Bad arguments, missing files,
  // unknown jobs and failed renders are outcomes with is_error (one line naming the field
  // or file); nothing half-written is left behind.
  ToolOutcome Call(const std::string& name, const json& arguments, const ToolContext& ctx);

 private:
  ToolOutcome RenderVideo(const json& args, const ToolContext& ctx);
  ToolOutcome StartRender(const json& args, const ToolContext& ctx);
  ToolOutcome GetJob(const json& args, const ToolContext& ctx);
  ToolOutcome ListJobs(const json& args, const ToolContext& ctx);
  ToolOutcome CancelJob(const json& args);
  ToolOutcome GetDeck(const json& args);
  ToolOutcome UpdateDeck(const json& args, const ToolContext& ctx);
  ToolOutcome RenderJob(const json& args, const ToolContext& ctx);
  ToolOutcome Transcribe(const json& args, const ToolContext& ctx);
  ToolOutcome CheckReadiness();

  // The job made from a local file (stdio) or an allowed server file (HTTP).
  Result<std::string> CreateJobFromFile(const std::string& path, const json& options,
                                        bool review);
  Result<std::string> ResolveInputPath(const std::string& given) const;
  // Waits until the job is idle again, reporting its progress; cancels (deletes) it when
  // the caller cancels.
  Result<JobRecord> WaitForJob(const std::string& id, const ToolContext& ctx);
  // The outcome of a job whose render finished: output path/link, slide titles, timings.
  ToolOutcome RenderedOutcome(const JobRecord& job, const std::string& output_path,
                              bool overwrite, const ToolContext& ctx);
  json JobView(const JobRecord& job, const ToolContext& ctx) const;
  JobPaths PathsOf(const JobRecord& job) const;

  JobManager& jobs_;
  McpToolParams params_;
  std::vector<ToolSpec> specs_;
  // transcribe runs outside the job queue: at most `workers` at once, like renders.
  std::counting_semaphore<64> transcribe_slots_;
};

}  // namespace presgen::mcp
