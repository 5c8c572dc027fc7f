// A job's artifacts as MCP resources: presgen://jobs/{id}/deck.json, transcript.json,
// transcript.srt, result.json, deck.pdf and slides/{n}.png. The MP4 is never inlined (a
// tool answers with a resource_link to it).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "service/job_manager.h"

namespace presgen::mcp {

// resources/templates/list's `resourceTemplates`.
nlohmann::json ResourceTemplates();

// resources/list's `resources`: what exists for the `max_jobs` most recent jobs.
nlohmann::json ListResources(JobManager& jobs, int max_jobs = 20);

// resources/read's `contents` for `uri` (text for JSON and SRT, a base64 blob for PNG and
// PDF). Errors: kNotFound for an unknown URI, job or artifact (the message names it).
Result<nlohmann::json> ReadResource(JobManager& jobs, const std::string& uri);

}  // namespace presgen::mcp
