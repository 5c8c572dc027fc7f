// How long each engine call of a job may take before it is cancelled through its abort
// callback and treated as that engine's failure (its fallback, its circuit breaker): a
// hung engine never holds a worker for longer. Scaled to the input's duration, times a
// factor the operator sets (--stage-deadline-scale; 0 turns deadlines off).
#pragma once

#include <map>
#include <string>

namespace presgen {

struct StageDeadlineRule {
  const char* stage;   // the engine call (JobContext::CallbacksFor's name)
  const char* label;   // what a user reads: "transcription"
  double base_s;       // fixed part: start-up, model loads
  double per_input_s;  // seconds per second of input
};

// audio, transcribe, summarize (the LLM), html_slides (headless Chromium), compose.
const std::map<std::string, StageDeadlineRule>& StageDeadlineRules();

// "transcription" for "transcribe"; the name itself for a stage without a rule.
std::string StageDeadlineLabel(const std::string& stage);

// stage -> seconds for an input of `input_seconds`; empty when `scale` <= 0.
std::map<std::string, double> StageDeadlinesFor(double input_seconds, double scale);

}  // namespace presgen
