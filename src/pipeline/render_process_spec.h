// The spec file and report lines shared by both sides of pipeline/render_process.h.
// Internal to the pipeline.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "pipeline/render_job.h"

namespace presgen {

struct RenderProcessSpec {
  RenderOptions options;  // llm_api_key is never written: it travels in the environment
  int attempt = 1;
  int parent_pid = 0;
};

// The variable that carries RenderOptions::llm_api_key to the child.
inline constexpr const char* kRenderProcessLlmKeyEnv = "PRESGEN_LLM_API_KEY";

// Writes the spec with mode 0600. Errors: kInternal naming the file.
Status WriteRenderProcessSpec(const std::string& path, const RenderProcessSpec& spec);
// Errors: kInvalidInput naming the file (unreadable, not a spec).
Result<RenderProcessSpec> ReadRenderProcessSpec(const std::string& path);

// One report line (without the newline).
std::string ProgressReportLine(const std::string& stage, double fraction);
std::string SuccessReportLine(const nlohmann::json& result);
std::string FailureReportLine(const Status& status);

}  // namespace presgen
