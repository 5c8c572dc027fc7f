// Is this machine ready to render — for a live demo, a deploy, a load balancer? One check
// per part a render needs, each actually exercising that part (loading the model and
// transcribing generated audio, finding a drawn face, encoding and decoding a clip, ...).
// `presgen doctor` runs them all; /readyz and the MCP tool check_readiness run the ones
// that are cheap and free to repeat (everything but the smoke render and the LLM call).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace presgen {

enum class CheckSeverity {
  kRequired,  // a failure means renders fail or lose a part they need
  kWarning,   // a failure leaves renders working with a fallback (said in `detail`)
};
const char* ToString(CheckSeverity severity);  // "required" | "warning"

struct ReadinessCheck {
  std::string name;
  bool ok = false;
  CheckSeverity severity = CheckSeverity::kRequired;
  std::string detail;  // what was used and measured, or what is wrong and the fix
  double seconds = 0;  // how long the check took
};

struct ReadinessParams {
  std::string asr_model;        // --asr-model: a Whisper model that must work (else searched)
  std::string llm_url;          // when set: the LLM must answer a tiny request
  std::string llm_model;
  std::string llm_api_key;
  int llm_timeout_ms = 15000;
  std::string data_dir;         // jobs' storage to check besides $TMPDIR ("" = none)
  int64_t min_free_mb = 1024;   // free space a 3-minute 1080p job needs in data_dir
  bool remove_stale_files = false;  // temp_storage removes leftovers of crashed runs
  bool smoke_render = true;     // render a generated 3-s clip end to end
  bool chromium = true;         // try the HTML slide renderer's browser
};

// The checks, in order: whisper_model, pocketsphinx, face_detection, slide_fonts, chromium,
// llm (only with llm_url), ffmpeg, temp_storage, smoke_render (only with smoke_render).
std::vector<ReadinessCheck> RunReadinessChecks(const ReadinessParams& params);

// Ready when no required check failed (warnings allowed).
bool IsReady(const std::vector<ReadinessCheck>& checks);

// {"ready": bool, "checks": [{name, ok, severity, detail, seconds}]}
nlohmann::json ReadinessJson(const std::vector<ReadinessCheck>& checks);

// The table `presgen doctor` prints for people.
std::string ReadinessTable(const std::vector<ReadinessCheck>& checks);

}  // namespace presgen
