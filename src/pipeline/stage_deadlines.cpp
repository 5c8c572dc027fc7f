#include "pipeline/stage_deadlines.h"

#include <algorithm>

namespace presgen {

// Generous on purpose: ~10x what each takes on this 2-core machine (DESIGN §11), so only an
// engine that is stuck meets its deadline. Whisper's larger models are slower than real time
// on 2 cores: transcription gets 4 s per second of speech.
const std::map<std::string, StageDeadlineRule>& StageDeadlineRules() {
  static const std::map<std::string, StageDeadlineRule> rules = {
      {"audio", {"audio", "audio extraction", 30, 0.25}},
      {"transcribe", {"transcribe", "transcription", 60, 4.0}},
      {"summarize", {"summarize", "the LLM summary", 120, 0}},
      {"html_slides", {"html_slides", "the HTML slide renderer", 90, 0}},
      {"compose", {"compose", "composing the video", 60, 5.0}},
  };
  return rules;
}

std::string StageDeadlineLabel(const std::string& stage) {
  auto it = StageDeadlineRules().find(stage);
  return it == StageDeadlineRules().end() ? stage : it->second.label;
}

std::map<std::string, double> StageDeadlinesFor(double input_seconds, double scale) {
  std::map<std::string, double> out;
  if (!(scale > 0)) return out;
  const double d = std::max(0.0, input_seconds);
  for (const auto& [name, rule] : StageDeadlineRules()) {
    out[name] = scale * (rule.base_s + rule.per_input_s * d);
  }
  return out;
}

}  // namespace presgen
