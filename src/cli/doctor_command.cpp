#include "cli/doctor_command.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>

namespace presgen {

CLI::App* AddDoctorCommand(CLI::App& app, DoctorArgs& args) {
  auto* doctor = app.add_subcommand(
      "doctor", "Check that this machine can render now (run it before a demo)");
  ReadinessParams& p = args.params;
  doctor->add_flag("--json", args.json, "Print {\"ready\", \"checks\": [...]} instead of a table");
  doctor->add_option("--asr-model", p.asr_model, "The Whisper model renders will use (must work)");
  doctor->add_option("--llm-url", p.llm_url, "The LLM renders will use: it must answer")
      ->needs(doctor->add_option("--llm-model", p.llm_model, "LLM model name"));
  doctor->add_option("--llm-timeout-ms", p.llm_timeout_ms, "How long the LLM may take to answer")
      ->capture_default_str()->check(CLI::Range(100, 600000));
  doctor->add_option("--data-dir", p.data_dir,
                     "presgen serve's data folder: writable, with room for a 3-minute job");
  doctor->add_flag("--no-smoke-render", args.no_smoke_render,
                   "Skip the end-to-end render of a generated clip");
  return doctor;
}

int RunDoctor(DoctorArgs args) {
  ReadinessParams& p = args.params;
  if (const char* key = std::getenv("PRESGEN_LLM_API_KEY")) p.llm_api_key = key;
  p.smoke_render = !args.no_smoke_render;
  p.remove_stale_files = true;  // leftovers of crashed runs only: their process is gone
  const auto checks = RunReadinessChecks(p);
  if (args.json) {
    std::cout << ReadinessJson(checks).dump(2) << std::endl;
  } else {
    std::cout << ReadinessTable(checks) << std::flush;
  }
  return IsReady(checks) ? 0 : 1;
}

}  // namespace presgen
