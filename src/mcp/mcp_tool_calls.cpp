// The tools' bodies (McpTools::Call dispatches here after checking the arguments).
#include <filesystem>
#include <fstream>

#include "core/json_io.h"
#include "core/subprocess.h"
#include "core/transcript_format.h"
#include "mcp/mcp_tools.h"

namespace fs = std::filesystem;

namespace presgen::mcp {
namespace {

constexpr int kTranscribeTimeoutMs = 30 * 60 * 1000;

// An output_path argument: its folder must exist; an existing file needs `overwrite`.
Status CheckOutputPath(const std::string& path, bool overwrite) {
  std::error_code ec;
  const fs::path parent = fs::absolute(path).parent_path();
  if (!fs::is_directory(parent, ec)) {
    return Status::InvalidInput("output_path: folder " + parent.string() + " does not exist");
  }
  if (fs::is_directory(path, ec)) {
    return Status::InvalidInput("output_path: " + path + " is a folder");
  }
  if (fs::exists(path, ec) && !overwrite) {
    return Status::InvalidInput("output_path: " + path +
                                " exists (pass overwrite: true to replace it)");
  }
  return Status::Ok();
}

std::string LastErrorLine(const std::string& log_path) {
  std::ifstream in(log_path);
  std::string line, last;
  while (std::getline(in, line)) {
    if (line.find("error") != std::string::npos) last = line;
  }
  const std::string prefix = "presgen: error: ";
  if (last.rfind(prefix, 0) == 0) last = last.substr(prefix.size());
  return last;
}


std::string JobIdArgument(const json& args) { return args.value("job_id", ""); }

// "no job j_x" for an unknown id, else the store's message.
std::string JobLookupError(const std::string& id, const Status& st) {
  if (st.code() == StatusCode::kNotFound) return "job_id: there is no job " + id;
  return st.message();
}

}  // namespace

ToolOutcome McpTools::RenderVideo(const json& args, const ToolContext& ctx) {
  const std::string output = args.value("output_path", "");
  if (!output.empty()) {
    if (Status st = CheckOutputPath(output, args.value("overwrite", false)); !st.ok()) {
      return ToolError(st.message());
    }
  }
  std::string id = args.value("job_id", "");
  if (id.empty()) {
    if (!args.contains("input_path")) return ToolError("arguments.input_path is required");
    auto path = ResolveInputPath(args["input_path"].get<std::string>());
    if (!path.ok()) return ToolError(path.status().message());
    auto created = CreateJobFromFile(*path, args.value("options", json::object()), false);
    if (!created.ok()) return ToolError(created.status().message());
    id = *created;
  } else {
    // An uploaded job (HTTP): render it if it stopped for review, else wait for it.
    auto job = jobs_.Get(id);
    if (!job.ok()) return ToolError(JobLookupError(id, job.status()));
    if (job->status == JobStatus::kReview) {
      auto started = jobs_.Render(id);
      if (!started.ok()) return ToolError(JobLookupError(id, started.status()));
    }
  }
  auto job = WaitForJob(id, ctx);
  if (job.ok() && job->status == JobStatus::kReview) {
    // An uploaded job that was made for review: this call asks for the video.
    auto started = jobs_.Render(id);
    if (!started.ok()) return ToolError(JobLookupError(id, started.status()));
    job = WaitForJob(id, ctx);
  }
  if (!job.ok()) return ToolError(job.status().message());
  return RenderedOutcome(*job, output, args.value("overwrite", false), ctx);
}

ToolOutcome McpTools::StartRender(const json& args, const ToolContext& ctx) {
  auto path = ResolveInputPath(args["input_path"].get<std::string>());
  if (!path.ok()) return ToolError(path.status().message());
  const bool review = args.value("review", false);
  auto created = CreateJobFromFile(*path, args.value("options", json::object()), review);
  if (!created.ok()) return ToolError(created.status().message());
  auto job = jobs_.Get(*created);
  if (!job.ok()) return ToolError(job.status().message());
  return ToolDone(JobView(*job, ctx), "Started job " + *created +
                                 (review ? " (stops for review after the deck)" : ""));
}

ToolOutcome McpTools::GetJob(const json& args, const ToolContext& ctx) {
  const std::string id = JobIdArgument(args);
  auto job = jobs_.Get(id);
  if (!job.ok()) return ToolError(JobLookupError(id, job.status()));
  std::string text = "Job " + id + ": " + ToString(job->status);
  if (!job->stage.empty()) text += " (" + job->stage + ")";
  if (!job->error.empty()) text += ": " + job->error;
  return ToolDone(JobView(*job, ctx), text);
}

ToolOutcome McpTools::ListJobs(const json& args, const ToolContext& ctx) {
  auto rows = jobs_.List(100);
  if (!rows.ok()) return ToolError(rows.status().message());
  const std::string want = args.value("status", "");
  json list = json::array();
  for (const auto& job : *rows) {
    if (want.empty() || want == ToString(job.status)) list.push_back(JobView(job, ctx));
  }
  return ToolDone({{"jobs", list}}, std::to_string(list.size()) + " jobs");
}

ToolOutcome McpTools::CancelJob(const json& args) {
  const std::string id = JobIdArgument(args);
  if (Status st = jobs_.Delete(id); !st.ok()) return ToolError(JobLookupError(id, st));
  return ToolDone({{"job_id", id}, {"cancelled", true}}, "Job " + id + " was stopped and removed");
}

ToolOutcome McpTools::GetDeck(const json& args) {
  const std::string id = JobIdArgument(args);
  auto job = jobs_.Get(id);
  if (!job.ok()) return ToolError(JobLookupError(id, job.status()));
  auto deck = ReadJsonFile(jobs_.PathsOf(id).work + "/deck.json");
  if (job->status == JobStatus::kExpired || !deck.ok()) {
    return ToolError("job " + id + " has no deck (status " + ToString(job->status) + ")");
  }
  std::string text = "Deck v" + std::to_string(job->deck_version) + ":";
  for (const auto& s : deck->value("slides", json::array())) text += " [" + s.value("title", "") + "]";
  return ToolDone({{"job_id", id}, {"deck_version", job->deck_version}, {"deck", *deck}}, text);
}

ToolOutcome McpTools::UpdateDeck(const json& args, const ToolContext& ctx) {
  const std::string id = JobIdArgument(args);
  auto changed = jobs_.PutDeck(id, args["deck"].dump());
  if (!changed.ok()) {
    const Status& st = changed.status();
    return ToolError(st.reason() == "invalid_deck" ? "deck: " + st.message()
                                                   : JobLookupError(id, st));
  }
  const JobRecord& job = *changed;
  return ToolDone(JobView(job, ctx), "Deck saved as version " + std::to_string(job.deck_version) +
                                "; call render_job to make the video");
}

ToolOutcome McpTools::RenderJob(const json& args, const ToolContext& ctx) {
  const std::string id = JobIdArgument(args);
  const std::string output = args.value("output_path", "");
  if (!output.empty()) {
    if (Status st = CheckOutputPath(output, args.value("overwrite", false)); !st.ok()) {
      return ToolError(st.message());
    }
  }
  auto started = jobs_.Render(id);
  if (!started.ok()) return ToolError(JobLookupError(id, started.status()));
  auto job = WaitForJob(id, ctx);
  if (!job.ok()) return ToolError(job.status().message());
  return RenderedOutcome(*job, output, args.value("overwrite", false), ctx);
}

ToolOutcome McpTools::Transcribe(const json& args, const ToolContext& ctx) {
  auto path = ResolveInputPath(args["input_path"].get<std::string>());
  if (!path.ok()) return ToolError(path.status().message());
  while (!transcribe_slots_.try_acquire_for(std::chrono::milliseconds(200))) {
    if (ctx.cancelled && ctx.cancelled()) return ToolError("the call was cancelled");
  }
  struct Release {
    std::counting_semaphore<64>& slots;
    ~Release() { slots.release(); }
  } release{transcribe_slots_};
  auto tmp = RandomHex(8);
  if (!tmp.ok()) return ToolError(tmp.status().message());
  const std::string base = jobs_.UploadDir() + "/transcribe-" + *tmp;
  struct Cleanup {
    std::string base;
    ~Cleanup() {
      std::error_code ec;
      for (const char* ext : {".json", ".srt", ".log"}) fs::remove(base + ext, ec);
    }
  } cleanup{base};
  // In a process of its own, like every job: a file that crashes a decoder fails the call.
  SubprocessOptions run;
  run.timeout_ms = kTranscribeTimeoutMs;
  run.log_path = base + ".log";
  run.should_abort = ctx.cancelled;
  const std::vector<std::string> argv = {params_.executable, "transcribe", *path, "-o",
                                         base + ".json", "--srt", base + ".srt", "-q"};
  auto ran = RunSubprocess(argv, run);
  if (!ran.ok()) return ToolError(ran.status().message());
  if (!ran->Succeeded()) {
    const std::string why = LastErrorLine(run.log_path);
    return ToolError(why.empty() ? "transcription failed (" + ran->Describe() + ")" : why);
  }
  auto j = ReadJsonFile(base + ".json");
  if (!j.ok()) return ToolError("transcription wrote no transcript");
  Transcript t = j->get<Transcript>();
  std::string text;
  json sentences = json::array();
  for (const auto& s : t.segments) {
    text += (text.empty() ? "" : " ") + s.text;
    sentences.push_back({{"start_s", s.start_s}, {"end_s", s.end_s}, {"text", s.text}});
  }
  json out = {{"engine", t.engine}, {"text", text}, {"sentences", sentences},
              {"duration_s", t.duration_s}};
  if (args.value("srt", false)) out["srt"] = ToSrt(t);
  return ToolDone(out, text.empty() ? "No speech was heard" : text);
}

ToolOutcome McpTools::CheckReadiness() {
  const auto checks = jobs_.CheckReadiness();
  const bool ready = IsReady(checks);
  std::string failing, warnings;
  for (const auto& c : checks) {
    if (c.ok) continue;
    std::string& list = c.severity == CheckSeverity::kRequired ? failing : warnings;
    list += (list.empty() ? "" : "; ") + c.name + ": " + c.detail;
  }
  const std::string text = ready ? "Ready to render" + (warnings.empty() ? "" : " (warnings: " + warnings + ")")
                                 : "Not ready: " + failing;
  return ToolDone(ReadinessJson(checks), text);
}

}  // namespace presgen::mcp
