#include "mcp/mcp_tools.h"

#include <filesystem>
#include <algorithm>
#include <cstring>
#include <fstream>

#include "core/json_io.h"
#include "mcp/json_rpc.h"
#include "mcp/mcp_tool_specs.h"
#include "pipeline/render_option_schema.h"

namespace fs = std::filesystem;

namespace presgen::mcp {
namespace {

constexpr auto kEventWait = std::chrono::milliseconds(500);

std::string FileUri(const std::string& path) {
  std::string uri = "file://";
  for (unsigned char c : fs::absolute(path).lexically_normal().string()) {
    if (std::isalnum(c) || std::strchr("/-._~", c)) {
      uri += static_cast<char>(c);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      uri += hex;
    }
  }
  return uri;
}

// Copies `from` to `to` through a temporary file of its own beside it, so `to` is whole or
// absent. Without `overwrite` a file that appeared at `to` meanwhile is kept (link, which
// refuses to replace, instead of rename).
Status CopyAtomically(const std::string& from, const std::string& to, bool overwrite) {
  auto suffix = RandomHex(6);
  if (!suffix.ok()) return suffix.status();
  const std::string tmp = to + ".presgen-part-" + *suffix;
  std::error_code ec;
  fs::copy_file(from, tmp, fs::copy_options::none, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return Status::InvalidInput("output_path: cannot write " + to + " (" + ec.message() + ")");
  }
  if (overwrite) {
    fs::rename(tmp, to, ec);
  } else {
    fs::create_hard_link(tmp, to, ec);
    std::error_code ignored;
    fs::remove(tmp, ignored);
  }
  if (ec) {
    fs::remove(tmp, ec);
    return Status::InvalidInput("output_path: " + to +
                                (overwrite ? ": cannot write it" : " appeared meanwhile; it was kept"));
  }
  return Status::Ok();
}

}  // namespace

McpTools::McpTools(JobManager& jobs, McpToolParams params)
    : jobs_(jobs),
      params_(std::move(params)),
      specs_(PresgenToolSpecs(params_.transport)),
      transcribe_slots_(std::clamp(jobs.params().workers, 1, 64)) {}

const ToolSpec* McpTools::Find(const std::string& name) const {
  for (const auto& s : specs_) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

ToolOutcome McpTools::Call(const std::string& name, const json& arguments,
                           const ToolContext& ctx) {
  const ToolSpec* spec = Find(name);
  if (!spec) return ToolError("there is no tool \"" + name + "\"");
  // `options` is checked field by field by ApplyClientOptions (its messages name the field).
  json shape = spec->input_schema;
  if (shape.contains("properties") && shape["properties"].contains("options")) {
    shape["properties"]["options"] = {{"type", "object"}};
  }
  if (std::string bad = SchemaViolation(shape, arguments, "arguments"); !bad.empty()) {
    return ToolError(bad);
  }
  if (name == "render_video") return RenderVideo(arguments, ctx);
  if (name == "start_render") return StartRender(arguments, ctx);
  if (name == "get_job") return GetJob(arguments, ctx);
  if (name == "list_jobs") return ListJobs(arguments, ctx);
  if (name == "cancel_job") return CancelJob(arguments);
  if (name == "get_deck") return GetDeck(arguments);
  if (name == "update_deck") return UpdateDeck(arguments, ctx);
  if (name == "render_job") return RenderJob(arguments, ctx);
  if (name == "transcribe") return Transcribe(arguments, ctx);
  if (name == "check_readiness") return CheckReadiness();
  return ToolError("there is no tool \"" + name + "\"");
}

Result<std::string> McpTools::ResolveInputPath(const std::string& given) const {
  std::error_code ec;
  fs::path path = given;
  if (params_.transport == McpTransport::kHttp) {
    if (params_.input_dir.empty()) {
      return Status::InvalidInput(
          "input_path: this server reads no files of its own (the operator allows a folder "
          "with --mcp-input-dir); upload the video with POST /v1/jobs and pass its job_id");
    }
    const fs::path root = fs::canonical(params_.input_dir, ec);
    if (ec) return Status::Unavailable("the allowed input folder is missing");
    if (path.is_relative()) path = root / path;
    // Every link resolved (the file must exist): what is checked is what is read.
    const fs::path real = fs::canonical(path, ec);
    if (ec) return Status::NotFound("input_path: " + given + " does not exist");
    const auto [end, _] = std::mismatch(root.begin(), root.end(), real.begin(), real.end());
    if (end != root.end()) {
      return Status::InvalidInput("input_path: " + given + " is outside the allowed folder");
    }
    path = real;
  }
  if (!fs::exists(path, ec)) return Status::NotFound("input_path: " + given + " does not exist");
  if (!fs::is_regular_file(path, ec)) {
    return Status::InvalidInput("input_path: " + given + " is not a file");
  }
  std::ifstream probe(path, std::ios::binary);
  if (!probe) return Status::InvalidInput("input_path: " + given + " cannot be read");
  return fs::canonical(path, ec).string();
}

Result<std::string> McpTools::CreateJobFromFile(const std::string& path, const json& options,
                                                bool review) {
  if (jobs_.QueueFull()) {
    return Status::ResourceExhausted("the render queue is full; try again later");
  }
  json opts = options.is_object() ? options : json::object();
  if (review) opts["review"] = true;
  // The same checks as the REST API, before a byte is copied.
  RenderOptions probe = jobs_.params().render;
  if (auto applied = ApplyClientOptions(opts, &probe, "options."); !applied.ok()) {
    return applied.status();
  }
  auto name = RandomHex(8);
  if (!name.ok()) return name.status();
  ReceivedUpload upload;
  upload.path = jobs_.UploadDir() + "/" + *name + ".part";
  upload.filename = CleanFileName(fs::path(path).filename().string());
  upload.options_text = opts.dump();
  std::error_code ec;
  // A link costs nothing on the same file system; a copy otherwise. The job owns its input.
  fs::create_hard_link(path, upload.path, ec);
  if (ec) {
    ec.clear();
    fs::copy_file(path, upload.path, ec);
  }
  if (ec) {
    fs::remove(upload.path, ec);
    return Status::Internal("cannot copy " + path + " into presgen's data folder");
  }
  upload.bytes = static_cast<int64_t>(fs::file_size(upload.path, ec));
  auto created = jobs_.Create(upload, "");
  if (!created.ok()) {
    // The probe names the file by its name; the caller knows it by the path it gave.
    std::string message = created.status().message();
    if (message.rfind(upload.filename, 0) == 0) {
      message = path + message.substr(upload.filename.size());
    }
    return Status(created.status().code(), "input_path: " + message);
  }
  return created->job.id;
}

Result<JobRecord> McpTools::WaitForJob(const std::string& id, const ToolContext& ctx) {
  int64_t seen = 0;
  double reported = -1;
  while (true) {
    // A stopping server keeps the job (it runs again after a restart); a caller that gave
    // up takes it away.
    if (jobs_.stopping()) return Status::Unavailable("the server is stopping");
    if (ctx.cancelled && ctx.cancelled()) {
      (void)jobs_.Delete(id);  // stops the job's process and removes its files
      return Status::Cancelled("the call was cancelled; the job was stopped and removed");
    }
    auto job = jobs_.Get(id);
    if (!job.ok()) return job.status();
    if (ctx.progress && job->progress > reported && !IsIdle(job->status)) {
      reported = job->progress;
      ctx.progress(job->progress, job->stage.empty() ? "queued" : job->stage);
    }
    if (IsIdle(job->status)) return job;
    auto batch = jobs_.events().WaitAfter(id, seen, kEventWait);
    for (const auto& e : batch.events) seen = std::max(seen, e.id);
  }
}

json McpTools::JobView(const JobRecord& job, const ToolContext& ctx) const {
  json api = jobs_.ToJson(job);
  json v = {{"job_id", job.id},
            {"status", ToString(job.status)},
            {"stage", job.stage},
            {"progress", job.progress},
            {"filename", job.filename},
            {"deck_version", job.deck_version},
            {"slide_count", job.slide_count},
            {"error", job.error},
            {"degraded", api["degraded"]},
            {"timings", api["timings"]},
            {"expires_at", api["expires_at"]}};
  if (params_.transport == McpTransport::kHttp && api.contains("download_url")) {
    v["download_url"] = ctx.base_url + api["download_url"].get<std::string>();
  }
  return v;
}

ToolOutcome McpTools::RenderedOutcome(const JobRecord& job, const std::string& output_path,
                                      bool overwrite, const ToolContext& ctx) {
  if (job.status != JobStatus::kSucceeded) {
    return ToolError(job.error.empty() ? "the render did not finish (status " +
                                         std::string(ToString(job.status)) + ")"
                                   : "the render failed: " + job.error);
  }
  const JobPaths paths = PathsOf(job);
  json out = JobView(job, ctx);
  std::string where = paths.output;
  if (!output_path.empty()) {
    if (Status st = CopyAtomically(paths.output, output_path, overwrite); !st.ok()) {
      return ToolError(st.message() + "; the video is kept as job " + job.id);
    }
    where = fs::absolute(output_path).string();
  }
  // Over HTTP the server's own paths are nobody's business: the link is the way in.
  if (params_.transport == McpTransport::kStdio) out["output_path"] = where;
  json slides = json::array();
  if (auto deck = ReadJsonFile(paths.work + "/deck.json"); deck.ok()) {
    for (const auto& s : deck->value("slides", json::array())) {
      slides.push_back({{"title", s.value("title", "")}, {"start_s", s.value("start", 0.0)}});
    }
  }
  out["slides"] = slides;
  ToolOutcome o;
  std::string titles;
  for (const auto& s : slides) titles += (titles.empty() ? "" : " | ") + s["title"].get<std::string>();
  o.text = "Rendered " + std::to_string(slides.size()) + " slides (" + titles + ")";
  json link = {{"type", "resource_link"}, {"name", fs::path(where).filename().string()},
               {"mimeType", "video/mp4"}};
  if (params_.transport == McpTransport::kHttp) {
    link["uri"] = out.value("download_url", "");
    o.text += "; download: " + link["uri"].get<std::string>();
  } else {
    link["uri"] = FileUri(where);
    o.text += "; video: " + where;
  }
  if (!out["degraded"].empty()) o.text += " (degraded: see structuredContent.degraded)";
  o.extra_content.push_back(link);
  o.structured = std::move(out);
  return o;
}

JobPaths McpTools::PathsOf(const JobRecord& job) const { return jobs_.PathsOf(job.id); }

ToolOutcome ToolError(const std::string& message) {
  ToolOutcome o;
  o.is_error = true;
  o.text = message;
  return o;
}

ToolOutcome ToolDone(json structured, std::string text) {
  ToolOutcome o;
  o.structured = std::move(structured);
  o.text = std::move(text);
  return o;
}

}  // namespace presgen::mcp
