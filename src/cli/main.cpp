// presgen command line. Exit codes: 0 success (possibly degraded), 1 processing
// failed, 2 bad input or usage. Errors are one line on stderr.
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <regex>
#include <unistd.h>

#include "cli/doctor_command.h"
#include "cli/fault_injection.h"
#include "cli/mcp_command.h"
#include "cli/progress_printer.h"
#include "cli/serve_command.h"
#include "cli/worker_command.h"
#include "core/json_io.h"
#include "core/log.h"
#include "pipeline/circuit_breaker.h"
#include "pipeline/render_job.h"
#include "pipeline/render_option_schema.h"
#include "pipeline/render_process.h"
#include "pipeline/upload_probe.h"
#include "pipeline/stage_cache.h"
#include "pipeline/transcribe_job.h"

namespace {

volatile std::sig_atomic_t g_interrupted = 0;
void OnSignal(int) { g_interrupted = 1; }

int ExitCodeFor(const presgen::Status& st) { return st.IsUserError() ? 2 : 1; }

void PrintDegraded(const std::vector<presgen::Degradation>& degraded) {
  for (const auto& d : degraded) {
    std::fprintf(stderr, "degraded: %s: %s (%s)\n", d.stage.c_str(), d.reason.c_str(),
                 d.fallback.c_str());
  }
}

// Runs job(progress, should_abort) with a progress printer on stderr; a failure
// is printed as the one error line.
// With --log-format json, stderr carries JSON lines only: no progress bar, no tables, and
// the error line is an event too.
bool JsonLogs() { return presgen::CurrentLogFormat() == presgen::LogFormat::kJson; }

template <typename Job>
auto RunWithProgress(bool quiet, Job job) {
  presgen::ProgressPrinter printer(!quiet && !JsonLogs());
  auto result = job([&](const std::string& stage, double f) { printer.Update(stage, f); },
                    [] { return g_interrupted != 0; });
  printer.Finish(result.ok());
  if (!result.ok() && JsonLogs()) {
    presgen::LogEvent(spdlog::level::err, "error", result.status().message(),
                      {{"code", presgen::StatusCodeName(result.status().code())}});
  } else if (!result.ok()) {
    std::fprintf(stderr, "presgen: error: %s\n", result.status().message().c_str());
  }
  return result;
}

void PrintTimings(const presgen::JobResult& r) {
  std::fprintf(stderr, "\n%-12s %8s\n", "stage", "seconds");
  for (const auto& [stage, s] : r.timings) {
    if (stage != "total") std::fprintf(stderr, "%-12s %8.2f\n", stage.c_str(), s);
  }
  auto it = r.timings.find("total");
  if (it != r.timings.end()) std::fprintf(stderr, "%-12s %8.2f\n", "total", it->second);
  std::fprintf(stderr, "peak memory  %6.0f MB\n", r.peak_rss_mb);
  if (r.cost_usd > 0) std::fprintf(stderr, "LLM cost     $%.4f\n", r.cost_usd);
  PrintDegraded(r.degraded);
}

int RunRender(presgen::RenderOptions opt, bool json, bool quiet) {
  // One job in this process: the same breakers as a server's, for the same code path.
  presgen::ApplyOpenBreakers(presgen::BreakerSet::Process(), &opt);
  presgen::JobHooks hooks;
  // Every stage's end as `phase_completed` (shown with --verbose or --log-format json).
  hooks.on_stage_end = [](const presgen::StageReport& r) { presgen::LogPhaseCompleted(r); };
  auto result = RunWithProgress(quiet, [&](const auto& progress, const auto& abort) {
    return presgen::RunRenderJob(opt, progress, abort, hooks);
  });
  if (result.ok()) presgen::BreakerSet::Process().Record(result->engine_outcomes);
  if (!result.ok()) return ExitCodeFor(result.status());
  if (json) {
    std::cout << nlohmann::json(*result).dump(2) << std::endl;
  }
  if (!quiet && !JsonLogs()) {
    PrintTimings(*result);
    std::fprintf(stderr, "wrote %s\n", result->output.c_str());
  }
  return 0;
}

int RunTranscribe(const presgen::TranscribeOptions& opt, bool quiet) {
  auto result = RunWithProgress(quiet, [&](const auto& progress, const auto& abort) {
    return presgen::RunTranscribeJob(opt, progress, abort);
  });
  if (!result.ok()) return ExitCodeFor(result.status());
  if (opt.json_path.empty()) std::cout << nlohmann::json(result->transcript).dump(2) << std::endl;
  if (!quiet && !JsonLogs()) {
    size_t words = 0;
    for (const auto& s : result->transcript.segments) words += s.words.size();
    std::fprintf(stderr, "%s: %zu sentences, %zu words in %.1f s\n",
                 result->transcript.engine.c_str(), result->transcript.segments.size(), words,
                 result->timings["total"]);
    PrintDegraded(result->degraded);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"presgen: turns a recorded pitch into a presentation video"};
  app.require_subcommand(1);
  bool verbose = false, quiet = false;
  app.add_flag("-v,--verbose", verbose, "Log details to stderr");
  app.add_flag("-q,--quiet", quiet, "Only errors on stderr");
  std::string log_format;
  app.add_option("--log-format", log_format,
                 "text | json: one JSON object per line (default $PRESGEN_LOG_FORMAT; serve and "
                 "mcp: json when stderr is not a terminal)")
      ->check(CLI::IsMember({"text", "json"}));
  app.fallthrough();  // global options may also follow the subcommand

  presgen::RenderOptions opt;
  std::string size = "1280x720";
  bool json = false;
  auto* render = app.add_subcommand("render", "Render INPUT into a slide video");
  render->add_option("input", opt.input_path, "Input video (MP4, MOV, MKV, WebM, AVI)")
      ->required();
  render->add_option("-o,--output", opt.output_path, "Output MP4")->required();
  render->add_option("--workdir", opt.workdir, "Artifacts folder (default OUTPUT.presgen/)");
  render->add_option("--size", size, "Output size WxH")->capture_default_str();
  // The options a client may also set over the API share their checks with it.
  using presgen::ClientOptionField;
  const auto range = [](const char* key) {
    return CLI::Range(ClientOptionField(key).min, ClientOptionField(key).max);
  };
  const auto member = [](const char* key) { return CLI::IsMember(ClientOptionField(key).choices); };
  render->add_option("--slides", opt.max_slides, "Most slides (fewer for short talks)")
      ->capture_default_str()->check(range("max_slides"));
  render->add_option("--max-bullets", opt.max_bullets, "Most bullets per slide")
      ->capture_default_str()->check(range("max_bullets"));
  render->add_option("--template", opt.template_name, "professional_minimal | dark | bold")
      ->capture_default_str()->check(member("template"));
  render->add_option("--title-slide", opt.title_slide,
                     "auto (when the talk opens with the company) | on | off")
      ->capture_default_str()->check(member("title_slide"));
  render->add_option("--brand-color", opt.brand_color, "Accent colour #RRGGBB");
  render->add_option("--logo", opt.logo_path, "PNG logo drawn on every slide");
  render->add_option("--slides-renderer", opt.slides_renderer,
                     "native | html (headless Chromium with --template-dir)")
      ->capture_default_str();
  render->add_option("--template-dir", opt.template_dir,
                     "HTML template folder with slide.css "
                     "(e.g. templates/html/professional_minimal)");
  render->add_option("--summarizer", opt.summarizer,
                     "extractive | llm (OpenAI-compatible server; key in $PRESGEN_LLM_API_KEY)")
      ->capture_default_str()->check(member("summarizer"));
  render->add_option("--llm-url", opt.llm_url, "LLM base URL, e.g. http://127.0.0.1:8080/v1");
  render->add_option("--llm-model", opt.llm_model, "LLM model name");
  render->add_option("--llm-max-cost", opt.llm_max_cost_usd, "Most USD one job may spend")
      ->capture_default_str();
  render->add_option("--llm-price-in", opt.llm_price_in_per_mtok_usd,
                     "USD per million prompt tokens (0 for a local server)")
      ->capture_default_str();
  render->add_option("--llm-price-out", opt.llm_price_out_per_mtok_usd,
                     "USD per million completion tokens")
      ->capture_default_str();
  render->add_option("--llm-timeout-ms", opt.llm_timeout_ms, "LLM request timeout")
      ->capture_default_str();
  render->add_option("--asr", opt.asr, "Speech engine: auto | whisper | pocketsphinx")
      ->capture_default_str()->check(member("asr"));
  render->add_option("--asr-model", opt.asr_model,
                     "Whisper ggml model (default: $PRESGEN_WHISPER_MODEL, models/ggml-base.en.bin)");
  render->add_option("--deck", opt.deck_path, "Render this (edited) deck.json instead");
  render->add_option("--threads", opt.threads, "CPU budget (default: all cores)");
  render->add_option("--preset", opt.preset, "x264 preset")->capture_default_str();
  render->add_option("--crf", opt.crf, "x264 CRF")->capture_default_str()->check(CLI::Range(0, 51));
  presgen::AddStageDeadlineOption(*render, opt.stage_deadline_scale);
  bool no_cache = false;
  render->add_flag("--no-cache", no_cache,
                   "Do not keep the transcript and face track for a later --deck re-render");
  render->add_flag("--json", json, "Print result.json to stdout");
  render->add_flag("-v,--verbose", verbose, "Log details to stderr");
  render->add_flag("-q,--quiet", quiet, "Only errors on stderr");

  presgen::TranscribeOptions topt;
  auto* transcribe = app.add_subcommand("transcribe", "Transcribe the speech of INPUT");
  transcribe->add_option("input", topt.input_path, "Audio or video file")->required();
  transcribe->add_option("-o,--output", topt.json_path,
                         "transcript.json to write (default: print it to stdout)");
  transcribe->add_option("--srt", topt.srt_path, "Also write SubRip subtitles");
  transcribe->add_option("--vtt", topt.vtt_path, "Also write WebVTT subtitles");
  transcribe->add_option("--asr", topt.asr, "Speech engine: auto | whisper | pocketsphinx")
      ->capture_default_str()->check(member("asr"));
  transcribe->add_option("--asr-model", topt.asr_model, "Whisper ggml model");
  transcribe->add_option("--threads", topt.threads, "CPU budget (default: all cores)");
  transcribe->add_flag("-v,--verbose", verbose, "Log details to stderr");
  transcribe->add_flag("-q,--quiet", quiet, "Only errors on stderr");

  presgen::ServeArgs serve_args;
  auto* serve = presgen::AddServeCommand(app, serve_args);
  serve->add_flag("-v,--verbose", verbose, "Log details to stderr");
  serve->add_flag("-q,--quiet", quiet, "Only errors on stderr");
  presgen::ServeArgs worker_args;
  auto* worker = presgen::AddWorkerCommand(app, worker_args);
  worker->add_flag("-v,--verbose", verbose, "Log details to stderr");
  worker->add_flag("-q,--quiet", quiet, "Only errors on stderr");

  presgen::DoctorArgs doctor_args;
  auto* doctor = presgen::AddDoctorCommand(app, doctor_args);
  doctor->add_flag("-v,--verbose", verbose, "Log details to stderr");

  presgen::McpArgs mcp_args;
  auto* mcp = presgen::AddMcpCommand(app, mcp_args);
  mcp->add_flag("-v,--verbose", verbose, "Log details to stderr");

  // Internal (not listed in --help): one job of `presgen serve`, or the probe of one of its
  // uploads, in a process of its own (pipeline/render_process.h).
  std::string job_spec;
  auto* run_job = app.add_subcommand("run-job", "");
  run_job->group("");
  run_job->add_option("spec", job_spec, "The job's spec file")->required();
  std::string probe_path;
  auto* run_probe = app.add_subcommand("run-probe", "");
  run_probe->group("");
  run_probe->add_option("input", probe_path, "The upload to probe")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "presgen: error: %s (see presgen --help)\n", e.what());
    return 2;
  }
  const bool service = serve->parsed() || worker->parsed() || mcp->parsed();
  if (log_format.empty()) {
    if (const char* env = std::getenv("PRESGEN_LOG_FORMAT"); env != nullptr && *env != '\0') {
      log_format = env;
    } else {
      log_format = service && !::isatty(STDERR_FILENO) ? "json" : "text";
    }
  }
  auto format = presgen::ParseLogFormat(log_format);
  if (!format.ok()) {
    std::fprintf(stderr, "presgen: error: PRESGEN_LOG_FORMAT: %s\n", format.status().message().c_str());
    return 2;
  }
  // A service logs what it does (jobs, stages, breakers) by default; a one-shot command
  // only its warnings, beside its progress bar, unless asked for JSON.
  const bool chatty = service || *format == presgen::LogFormat::kJson;
  // The doctor's own renders degrade on purpose (a tone has no words): its table says it all.
  presgen::InitLogging(quiet || (doctor->parsed() && !verbose) ? presgen::LogLevel::kQuiet
                       : verbose ? presgen::LogLevel::kVerbose
                       : chatty  ? presgen::LogLevel::kInfo
                                 : presgen::LogLevel::kNormal,
                       *format);
  presgen::InitLibraries(verbose);
  if (serve->parsed()) return presgen::RunServe(serve_args);
  if (worker->parsed()) return presgen::RunWorker(worker_args);
  if (doctor->parsed()) return presgen::RunDoctor(doctor_args);
  if (mcp->parsed()) return presgen::RunMcp(mcp_args);
  if (run_job->parsed()) {
    return presgen::RunRenderProcessChild(job_spec, presgen::FaultInjectionHooks());
  }
  if (run_probe->parsed()) {
    return presgen::RunUploadProbeChild(probe_path, presgen::FaultInjectionHooks());
  }
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);

  try {
    if (render->parsed()) {
      std::smatch m;
      if (!std::regex_match(size, m, std::regex(R"((\d{2,5})x(\d{2,5}))"))) {
        std::fprintf(stderr, "presgen: error: --size must look like 1280x720, got '%s'\n",
                     size.c_str());
        return 2;
      }
      opt.width = std::stoi(m[1]);
      opt.height = std::stoi(m[2]);
      if (const char* key = std::getenv("PRESGEN_LLM_API_KEY")) opt.llm_api_key = key;
      if (!no_cache) opt.cache_dir = presgen::StageCache::DefaultDir();
      return RunRender(opt, json, quiet);
    }
    if (transcribe->parsed()) return RunTranscribe(topt, quiet);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "presgen: internal error: %s\n", e.what());
    return 1;
  }
  return 2;
}
