// The tools' names, descriptions and JSON Schemas (what tools/list answers). The `options`
// schema is the one the REST API uses (pipeline/render_option_schema.h).
#include "mcp/mcp_tool_specs.h"

#include "pipeline/render_option_schema.h"

namespace presgen::mcp {
namespace {

json Str(const std::string& description) {
  return {{"type", "string"}, {"description", description}};
}

json Object(json properties, std::vector<std::string> required = {}) {
  json o = {{"type", "object"}, {"properties", std::move(properties)},
            {"additionalProperties", false}};
  if (!required.empty()) o["required"] = required;
  return o;
}

// The answer objects are open (more fields may come); their documented fields are typed.
json OpenObject(json properties, std::vector<std::string> required = {}) {
  json o = {{"type", "object"}, {"properties", std::move(properties)}};
  if (!required.empty()) o["required"] = required;
  return o;
}

json JobIdArg() {
  return Str("A job id from render_video, start_render or list_jobs (\"j_…\")");
}

json OptionsArg() {
  json schema = ClientOptionsJsonSchema();
  schema["description"] = "Render options, the same as the REST API's job options";
  schema["properties"].erase("review");  // start_render has its own `review`
  return schema;
}

json JobSchema() {
  return OpenObject({{"job_id", Str("The job's id")},
                     {"status", {{"type", "string"},
                                 {"enum", {"queued", "running", "review", "rendering",
                                           "succeeded", "failed", "expired"}}}},
                     {"stage", Str("The running stage; empty when idle")},
                     {"progress", {{"type", "number"}}},
                     {"filename", Str("The input's file name")},
                     {"deck_version", {{"type", "integer"}}},
                     {"slide_count", {{"type", "integer"}}},
                     {"error", Str("Why the job failed; empty otherwise")},
                     {"degraded", {{"type", "array"}}},
                     {"timings", {{"type", "object"}}},
                     {"expires_at", Str("When the job's files are removed (UTC)")}},
                    {"job_id", "status"});
}

json RenderedSchema() {
  return OpenObject(
      {{"job_id", Str("The job's id (for get_deck, update_deck, render_job)")},
       {"status", Str("succeeded")},
       {"output_path", Str("Where the MP4 is (stdio: a local file)")},
       {"download_url", Str("HTTP: a signed link to the MP4")},
       {"slides", {{"type", "array"},
                   {"items", OpenObject({{"title", Str("")},
                                         {"start_s", {{"type", "number"}}}})}}},
       {"degraded", {{"type", "array"},
                     {"description", "Stages that fell back (engine, reason, fallback)"}}},
       {"timings", {{"type", "object"}, {"description", "Seconds per stage"}}}},
      {"job_id", "status", "slides"});
}

}  // namespace

std::vector<ToolSpec> PresgenToolSpecs(McpTransport transport) {
  const bool stdio = transport == McpTransport::kStdio;
  const std::string input_help =
      stdio ? "The pitch video (MP4, MOV, MKV, WebM, AVI): a path on this machine"
            : "The pitch video: a path inside the folder the operator allowed (--mcp-input-dir)";
  std::vector<ToolSpec> specs;

  json render_props = {{"input_path", Str(input_help)}, {"options", OptionsArg()}};
  if (stdio) {
    render_props["output_path"] =
        Str("Where to write the MP4 (default: kept in presgen's data folder)");
    render_props["overwrite"] = {{"type", "boolean"},
                                 {"description", "Replace an existing output_path file"}};
  } else {
    render_props["job_id"] = Str("Instead of input_path: a job uploaded with the REST API");
  }
  specs.push_back({"render_video", "Render a pitch video",
                   "Turns a recorded pitch into a presentation video (speaker on the left, "
                   "slides of what was said on the right), waiting until it is done. Sends "
                   "progress when given a progressToken. Takes 0.3-0.5x the video's length.",
                   Object(render_props), RenderedSchema(), false, false, true});

  specs.push_back({"start_render", "Start a render",
                   "Starts a render and returns its job id at once (poll get_job). With "
                   "review: true it stops after the deck, for get_deck/update_deck/render_job.",
                   Object({{"input_path", Str(input_help)},
                           {"options", OptionsArg()},
                           {"review", {{"type", "boolean"},
                                       {"description", "Stop after the deck for review"}}}},
                          {"input_path"}),
                   JobSchema(), false, false, false});

  specs.push_back({"get_job", "Get a job", "A job's status, stage, progress and outcome.",
                   Object({{"job_id", JobIdArg()}}, {"job_id"}), JobSchema(), true, false, false});

  specs.push_back({"list_jobs", "List jobs", "The most recent jobs, newest first.",
                   Object({{"status", {{"type", "string"},
                                       {"enum", {"queued", "running", "review", "rendering",
                                                 "succeeded", "failed", "expired"}},
                                       {"description", "Only jobs in this state"}}}}),
                   OpenObject({{"jobs", {{"type", "array"}, {"items", JobSchema()}}}},
                              {"jobs"}),
                   true, false, false});

  specs.push_back({"cancel_job", "Cancel a job",
                   "Stops a job if it is running and removes it with its files.",
                   Object({{"job_id", JobIdArg()}}, {"job_id"}),
                   OpenObject({{"job_id", Str("")}, {"cancelled", {{"type", "boolean"}}}},
                              {"job_id", "cancelled"}),
                   false, true, false});

  specs.push_back({"get_deck", "Get a job's slides",
                   "The deck (slides with title, subtitle, bullets, start time in seconds) of a "
                   "job in review or done, to edit and send back with update_deck.",
                   Object({{"job_id", JobIdArg()}}, {"job_id"}),
                   OpenObject({{"job_id", Str("")},
                               {"deck_version", {{"type", "integer"}}},
                               {"deck", {{"type", "object"}}}},
                              {"job_id", "deck"}),
                   true, false, false});

  specs.push_back(
      {"update_deck", "Edit a job's slides",
       "Replaces the deck (checked exactly as the REST API checks it: 1-8 slides, starts "
       "increasing inside the video, text lengths) and redraws the slide images. Then "
       "render_job makes the video.",
       Object({{"job_id", JobIdArg()},
               {"deck", {{"type", "object"},
                         {"description", "The deck from get_deck, edited: {slides: [{title, "
                                         "subtitle?, bullets[], start}]}"}}}},
              {"job_id", "deck"}),
       JobSchema(), false, false, false});

  json render_job_props = {{"job_id", JobIdArg()}};
  if (stdio) {
    render_job_props["output_path"] = Str("Also copy the MP4 here");
    render_job_props["overwrite"] = {{"type", "boolean"}};
  }
  specs.push_back({"render_job", "Render a job's (edited) deck",
                   "Renders the video of a job after update_deck, reusing its transcript and "
                   "face track; waits until done, with progress.",
                   Object(render_job_props, {"job_id"}), RenderedSchema(), false, false, true});

  specs.push_back(
      {"transcribe", "Transcribe speech",
       "The speech of an audio or video file as text, sentences with times (seconds), and "
       "SubRip subtitles on request.",
       Object({{"input_path", Str(stdio ? "An audio or video file on this machine"
                                        : "A file inside the operator's --mcp-input-dir")},
               {"srt", {{"type", "boolean"}, {"description", "Also return SubRip subtitles"}}}},
              {"input_path"}),
       OpenObject({{"engine", Str("pocketsphinx or whisper")},
                   {"text", Str("")},
                   {"sentences", {{"type", "array"}}},
                   {"srt", Str("")},
                   {"degraded", {{"type", "array"}}}},
                  {"engine", "text", "sentences"}),
       true, false, true});

  specs.push_back({"check_readiness", "Check readiness",
                   "Whether this machine can render now: the checks of `presgen doctor` that "
                   "are free to repeat (Whisper model, PocketSphinx, face detector, slide fonts, "
                   "Chromium, H.264/AAC encode and decode, storage) and the job store, the same "
                   "as /readyz. Ready when no required check failed; warnings name fallbacks.",
                   Object(json::object()),
                   OpenObject({{"ready", {{"type", "boolean"}}},
                               {"checks", {{"type", "array"}}}},
                              {"ready", "checks"}),
                   true, false, false});
  if (!stdio) {
    // Over HTTP input_path is optional (job_id instead).
    specs[0].input_schema.erase("required");
  } else {
    specs[0].input_schema["required"] = {"input_path"};
  }
  return specs;
}

}  // namespace presgen::mcp
