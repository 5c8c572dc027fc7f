// Circuit breakers, one per fallible stage, shared by every job of the process
// (`presgen serve`, `presgen mcp`, a CLI render). closed → open after N failures in a row
// → half-open after the cool-down, when one job may probe: its success closes the breaker,
// its failure opens it again. While open, jobs take the stage's fallback at once and say
// why in `degraded` ("circuit open after 2 failures; next try in 41 s").
//
// In `presgen serve` each job runs in a child process: the parent holds the breakers,
// tells the child which are open (RenderOptions::open_breakers) and records the outcomes
// the child reports (JobResult::breaker_outcomes).
//
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "pipeline/render_job.h"

namespace presgen {

enum class BreakerState { kClosed, kOpen, kHalfOpen };
const char* ToString(BreakerState state);

// The stages with a breaker and a fallback.
inline constexpr const char* kBreakerAudioExtraction = "audio_extraction";  // → no transcript
inline constexpr const char* kBreakerFaceDetection = "face_detection";      // → centred crop
inline constexpr const char* kBreakerTranscription = "transcription";       // Whisper → PocketSphinx
inline constexpr const char* kBreakerSlideGeneration = "slide_generation";  // HTML → native
inline constexpr const char* kBreakerSummarization = "summarization";       // LLM → extractive

struct BreakerParams {
  int failure_threshold = 2;    // failures in a row that open it
  int64_t cooldown_ms = 60000;  // open this long before a probe
};

class CircuitBreaker {
 public:
  CircuitBreaker(std::string name, BreakerParams params, const Clock& clock);

  const std::string& name() const { return name_; }

  struct Permit {
    bool allowed = true;
    bool probe = false;   // the half-open trial call
    std::string reason;   // why not: "circuit open after 2 failures; next try in 41 s"
  };
  // Whether a call may go to the engine now. After the cool-down the first caller gets a
  // probe; others are refused until it reports.
  Permit Allow();
  void RecordSuccess();
  void RecordFailure();
  BreakerState state() const;
  int consecutive_failures() const;

  // Called (outside the lock) on every state change: name, old, new.
  using TransitionFn = std::function<void(const std::string&, BreakerState, BreakerState)>;
  void OnTransition(TransitionFn fn);

 private:
  void SetStateLocked(BreakerState next, std::vector<std::function<void()>>* notify);

  const std::string name_;
  const BreakerParams params_;
  const Clock& clock_;
  mutable std::mutex mu_;
  BreakerState state_ = BreakerState::kClosed;
  int failures_ = 0;
  int64_t opened_at_ms_ = 0;
  bool probe_out_ = false;       // a probe was granted and has not reported
  int64_t probe_at_ms_ = 0;     // a probe that never reports is given up after a cool-down
  TransitionFn on_transition_;
};

// The process's breakers, by name.
class BreakerSet {
 public:
  // The five stage breakers with their thresholds (audio 3, face 3, transcription 2,
  // slides 2, summarization 2) and `cooldown_ms`.
  BreakerSet(int64_t cooldown_ms, const Clock& clock);

  // The process-wide set (SystemClock). Configure() before the first job to change the
  // cool-down (`--breaker-cooldown`).
  static BreakerSet& Process();
  static void Configure(int64_t cooldown_ms);

  CircuitBreaker* Find(const std::string& name);
  std::vector<CircuitBreaker*> All();
  void OnTransition(const CircuitBreaker::TransitionFn& fn);

  // Asks each breaker named in `wanted` for a permit; returns the refusals by name (the
  // stages that must take their fallback now). Probes granted are remembered by the
  // breaker until the outcome is recorded.
  std::map<std::string, std::string> Refusals(const std::vector<std::string>& wanted);
  // Applies outcomes reported by a job: name → true (the engine worked) / false (failed).
  void Record(const std::map<std::string, bool>& outcomes);

 private:
  std::map<std::string, std::unique_ptr<CircuitBreaker>> breakers_;
};

// The breakers whose engines a job with these options may call (Whisper only when the
// engine may be Whisper, the HTML renderer and the LLM only when chosen).
std::vector<std::string> BreakersCalledBy(const RenderOptions& options);

// A job's launcher: asks `breakers` which of the job's engines are open and puts them in
// options->open_breakers; after the job, Record(result's engine_outcomes).
void ApplyOpenBreakers(BreakerSet& breakers, RenderOptions* options);
// engine_outcomes of a result.json ({"summarization": "failed", ...}).
std::map<std::string, bool> EngineOutcomesOf(const nlohmann::json& result);

}  // namespace presgen
