// The options a client may set on a job (POST /v1/jobs `options`), applied
// over the service's render defaults. Engine endpoints (the LLM URL, models,
// threads) are the operator's, never the client's.
#pragma once

#include <string>

#include "core/status.h"
#include "pipeline/render_job.h"

namespace presgen {

struct JobOptions {
  bool review = false;
  std::string normalized_json = "{}";  // what was accepted, as stored with the job
};

// Parses `text` ("" = no options) and applies it to *render.
// Errors: kInvalidInput naming the key (unknown key, wrong type, bad value).
Result<JobOptions> ApplyJobOptions(const std::string& text, RenderOptions* render);

}  // namespace presgen
