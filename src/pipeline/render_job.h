// The render job: input video -> presentation video plus the artifacts of
// DESIGN §4. The orchestrator owns the CPU budget and runs the speech branch
// (audio -> transcript -> deck -> slides) beside the face branch (samples ->
// crop path), then composes. Every fallback is recorded in `degraded`.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "core/status.h"
#include "core/types.h"
#include "pipeline/job_context.h"

namespace presgen {

struct RenderOptions {
  std::string input_path;
  std::string output_path;
  std::string workdir;          // empty = OUTPUT.presgen/
  int width = 1280;
  int height = 720;
  int max_slides = 5;           // the title slide included
  int max_bullets = 3;          // per slide
  std::string title_slide = "auto";  // auto | on | off (deck/summarizer.h TitleSlide)
  std::string template_name = "professional_minimal";
  std::string brand_color;      // "#RRGGBB" accent; empty = the template's
  std::string logo_path;        // PNG on every slide; empty = none
  std::string slides_renderer = "native";  // native | html (headless Chromium)
  std::string template_dir;     // html renderer: folder with slide.css
  std::string summarizer = "extractive";   // extractive | llm
  std::string llm_url;          // OpenAI-compatible base URL, e.g. http://127.0.0.1:8080/v1
  std::string llm_model;
  std::string llm_api_key;      // the CLI reads $PRESGEN_LLM_API_KEY
  double llm_max_cost_usd = 0.05;
  double llm_price_in_per_mtok_usd = 0.15;   // USD per million prompt tokens
  double llm_price_out_per_mtok_usd = 0.60;  // USD per million completion tokens
  int llm_timeout_ms = 60000;
  std::string asr = "auto";     // auto | whisper | pocketsphinx
  std::string asr_model;        // a Whisper ggml model; empty = search (asr/engine_select.h)
  std::string deck_path;        // an edited deck.json to render instead of summarising;
                                // the transcript and face track then come from the cache
  std::string cache_dir;        // stage cache (pipeline/stage_cache.h); empty = none
  bool deck_only = false;       // stop after the transcript, deck and slide images (review):
                                // no video is written and result.output is empty
  int threads = 0;              // CPU budget; 0 = all cores
  std::string preset = "veryfast";
  int crf = 21;
  // Each engine call's deadline is scaled to the input's duration and multiplied by this
  // (pipeline/stage_deadlines.h); 0 = no deadlines.
  double stage_deadline_scale = 1.0;
  // Circuit breakers found open by whoever launched the job (breaker name -> why): those
  // stages take their fallback without calling their engine (pipeline/circuit_breaker.h).
  std::map<std::string, std::string> open_breakers;
};

inline RenderOptions DefaultRenderOptions() { return {}; }

// Progress of the whole job: the running stage's name and the job's fraction [0, 1].
// Called from worker threads, serialised by the orchestrator.
using JobProgressFn = std::function<void(const std::string& stage, double fraction)>;

// Runs the job. `hooks` (pipeline/job_context.h) hears each stage's end. On success (possibly degraded) returns the result, already
// written to workdir/result.json. On failure returns the first error (user
// errors are kInvalidInput/kUnsupported/kNotFound) and leaves no output file;
// a failed result.json is still written when the workdir exists.
Result<JobResult> RunRenderJob(const RenderOptions& options, const JobProgressFn& progress,
                               const std::function<bool()>& should_abort = {},
                               const JobHooks& hooks = {});

// Checks the options before any work (sizes, counts, engine and deck options,
// that the output's folder exists). Errors: kInvalidInput naming the option.
Status ValidateRenderOptions(const RenderOptions& options);

// Re-draws workdir/slides/NN.png and workdir/deck.pdf for an edited deck, with
// the render's slide options (used while a deck is reviewed). Returns the
// degradations of the slide renderer (an HTML renderer falling back), if any.
Result<std::vector<Degradation>> RedrawDeckFiles(const RenderOptions& options, const Deck& deck);

// Probes a file as a render input. Errors: kUnsupported for a file that is not
// a video presgen can read, kInvalidInput for a damaged or empty one.
Result<MediaInfo> ProbeInput(const std::string& path);

// Sets up the libraries' own logging (FFmpeg's is silenced unless verbose).
// Call once at start-up, before any job.
void InitLibraries(bool verbose);

// The workdir used for an output path when none is given ("OUT.presgen").
std::string DefaultWorkdir(const std::string& output_path);

}  // namespace presgen
