#include "pipeline/child_process_protocol.h"

#include <fcntl.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <exception>
#include <fstream>

namespace presgen {

using nlohmann::json;

// Every option but the LLM key; a field missing from a spec keeps its default. A new
// RenderOptions field must be added here (tests/pipeline checks every field round-trips).
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(
    RenderOptions, input_path, output_path, workdir, width, height, max_slides, max_bullets,
    title_slide, template_name, brand_color, logo_path, slides_renderer, template_dir, summarizer,
    llm_url, llm_model, llm_max_cost_usd, llm_price_in_per_mtok_usd, llm_price_out_per_mtok_usd,
    llm_timeout_ms, asr, asr_model, deck_path, cache_dir, deck_only, threads, preset, crf,
    stage_deadline_scale, open_breakers)

namespace {

// One line: no newlines inside, and text that is not UTF-8 (a message naming a file from a
// phone) replaced rather than thrown over.
std::string Line(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

Status WriteRenderProcessSpec(const std::string& path, const RenderProcessSpec& spec) {
  std::string text;
  try {
    text =
        json{{"options", spec.options}, {"attempt", spec.attempt}, {"parent_pid", spec.parent_pid}}
            .dump();  // strict: a path must reach the child exactly as it is
  } catch (const json::exception&) {
    return Status::InvalidInput("a file or folder name of this job is not valid UTF-8");
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Internal("cannot write the job spec " + path);
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  const bool closed = ::close(fd) == 0;
  if (!written || !closed) return Status::Internal("cannot write the job spec " + path);
  return Status::Ok();
}

Result<RenderProcessSpec> ReadRenderProcessSpec(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::InvalidInput(path + ": cannot read the job spec");
  try {
    const json j = json::parse(in);
    RenderProcessSpec spec;
    spec.options = j.at("options").get<RenderOptions>();
    spec.attempt = j.value("attempt", 1);
    spec.parent_pid = j.value("parent_pid", 0);
    return spec;
  } catch (const json::exception& e) {
    return Status::InvalidInput(path + ": not a job spec (" + e.what() + ")");
  }
}

std::string ProgressReportLine(const std::string& stage, double fraction) {
  return Line({{"stage", stage}, {"progress", std::isfinite(fraction) ? fraction : 0.0}});
}

std::string StageDoneReportLine(const StageReport& r) {
  const auto finite = [](double v) { return std::isfinite(v) ? v : 0.0; };
  return Line({{"stage_done",
                {{"stage", r.stage},
                 {"seconds", finite(r.seconds)},
                 {"success", r.success},
                 {"peak_rss_mb", finite(r.resources.peak_rss_mb)},
                 {"cpu_percent", finite(r.resources.cpu_percent)}}}});
}

std::string SuccessReportLine(const json& result) {
  return Line({{"done", true}, {"result", result}});
}

std::string FailureReportLine(const Status& status) {
  return Line(
      {{"done", true},
       {"error", {{"code", StatusCodeName(status.code())}, {"message", status.message()}}}});
}

ReportChannel::ReportChannel() : fd_(::fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3)) {
  ::dup2(STDERR_FILENO, STDOUT_FILENO);
}

ReportChannel::~ReportChannel() {
  if (fd_ >= 0) ::close(fd_);
}

void ReportChannel::Send(std::string line) {
  line += '\n';
  size_t done = 0;
  while (fd_ >= 0 && done < line.size()) {
    const ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the parent is gone; its death signal ends us soon
    done += static_cast<size_t>(n);
  }
}

int ReportOutcome(ReportChannel& report, const std::function<Result<nlohmann::json>()>& work) {
  try {
    auto result = work();
    if (!result.ok()) {
      report.Send(FailureReportLine(result.status()));
      return result.status().IsUserError() ? 2 : 1;
    }
    report.Send(SuccessReportLine(*result));
    return 0;
  } catch (const std::exception& e) {
    report.Send(FailureReportLine(Status::Internal(std::string("internal error: ") + e.what())));
    return 1;
  }
}

namespace {
void KillOwnGroup(int) { ::kill(0, SIGKILL); }  // async-signal-safe; ends us as well
}  // namespace

bool EndWithParent(int parent_pid) {
  struct sigaction orphaned {};
  orphaned.sa_handler = KillOwnGroup;
  sigemptyset(&orphaned.sa_mask);
  ::sigaction(SIGHUP, &orphaned, nullptr);
  ::prctl(PR_SET_PDEATHSIG, SIGHUP);
  return parent_pid == 0 || ::getppid() == parent_pid;
}

void ChildReport::OnLine(const std::string& line) {
  const json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) {
    SPDLOG_WARN("child process: unreadable report line: {}", line.substr(0, 200));
    return;
  }
  const auto stage = j.find("stage");
  if (stage != j.end() && stage->is_string()) {
    last_stage_ = stage->get<std::string>();
    const auto progress = j.find("progress");
    const double fraction =
        progress != j.end() && progress->is_number() ? progress->get<double>() : 0;
    if (on_progress_) on_progress_(last_stage_, std::isfinite(fraction) ? fraction : 0.0);
    return;
  }
  if (const auto ended = j.find("stage_done"); ended != j.end()) {
    if (!ended->is_object() || !on_stage_done_) return;
    const auto number = [&](const char* key) {
      const auto it = ended->find(key);
      return it != ended->end() && it->is_number() ? it->get<double>() : 0.0;
    };
    StageReport r;
    const auto name = ended->find("stage");
    if (name == ended->end() || !name->is_string()) return;
    r.stage = name->get<std::string>();
    r.seconds = number("seconds");
    const auto success = ended->find("success");
    r.success = success == ended->end() || !success->is_boolean() || success->get<bool>();
    r.resources.peak_rss_mb = number("peak_rss_mb");
    r.resources.cpu_percent = number("cpu_percent");
    on_stage_done_(r);
    return;
  }
  const auto done = j.find("done");
  if (done == j.end() || !done->is_boolean() || !done->get<bool>()) return;
  done_ = true;
  const auto result = j.find("result");
  if (result != j.end() && result->is_object()) {
    status_ = Status::Ok();
    result_ = *result;
    return;
  }
  std::string code = "internal", message = "the child process failed";
  if (const auto error = j.find("error"); error != j.end() && error->is_object()) {
    if (const auto c = error->find("code"); c != error->end() && c->is_string()) code = *c;
    if (const auto m = error->find("message"); m != error->end() && m->is_string()) message = *m;
  }
  const StatusCode parsed = StatusCodeFromName(code);
  status_ = Status(parsed == StatusCode::kOk ? StatusCode::kInternal : parsed, message);
}

std::string SignalName(int sig) {
  const char* abbrev = sigabbrev_np(sig);
  return abbrev != nullptr ? std::string("SIG") + abbrev : "signal " + std::to_string(sig);
}

}  // namespace presgen
