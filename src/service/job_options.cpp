#include "service/job_options.h"

#include <nlohmann/json.hpp>

#include "pipeline/render_option_schema.h"

namespace presgen {

Result<JobOptions> ApplyJobOptions(const std::string& text, RenderOptions* render) {
  JobOptions out;
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) return out;
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::InvalidInput("options must be a JSON object");
  }
  auto applied = ApplyClientOptions(j, render, "options.");
  if (!applied.ok()) return applied.status();
  // The fields were checked one by one; this is the whole set (the operator's defaults too).
  if (Status st = ValidateRenderOptions(*render); !st.ok()) {
    return Status::InvalidInput("options: " + st.message());
  }
  out.review = applied->review;
  out.normalized_json = j.dump();
  return out;
}

}  // namespace presgen
