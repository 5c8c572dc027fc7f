#include "pipeline/render_process_spec.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

namespace presgen {

using nlohmann::json;

// Every option but the LLM key; a field missing from a spec keeps its default.
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(
    RenderOptions, input_path, output_path, workdir, width, height, max_slides, max_bullets,
    title_slide, template_name, brand_color, logo_path, slides_renderer, template_dir,
    summarizer, llm_url, llm_model, llm_max_cost_usd, llm_price_in_per_mtok_usd,
    llm_price_out_per_mtok_usd, llm_timeout_ms, asr, asr_model, deck_path, cache_dir, deck_only,
    threads, preset, crf)

Status WriteRenderProcessSpec(const std::string& path, const RenderProcessSpec& spec) {
  const std::string text =
      json{{"options", spec.options}, {"attempt", spec.attempt}, {"parent_pid", spec.parent_pid}}
          .dump(-1, ' ', false, json::error_handler_t::replace);
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

namespace {

// One line: no newlines inside (dump without indent), and bytes that are not UTF-8 (a file
// name from a phone) replaced rather than thrown over.
std::string Line(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

std::string ProgressReportLine(const std::string& stage, double fraction) {
  return Line({{"stage", stage}, {"progress", fraction}});
}

std::string SuccessReportLine(const json& result) { return Line({{"done", true}, {"result", result}}); }

std::string FailureReportLine(const Status& status) {
  return Line({{"done", true},
               {"error", {{"code", StatusCodeName(status.code())}, {"message", status.message()}}}});
}

}  // namespace presgen
