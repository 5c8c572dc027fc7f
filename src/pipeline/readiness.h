// Can this machine render right now? One check per engine a render needs, for
// `presgen serve`'s /readyz. Each check really starts its engine (loads the
// speech model, the face cascade, draws a slide), so it takes ~0.5 s: callers
// cache the answer.
#pragma once

#include <string>
#include <vector>

namespace presgen {

struct ReadinessCheck {
  std::string name;    // "asr", "face", "slides", "encoder"
  bool ok = false;
  std::string detail;  // what is used, or why it is not ready
};

std::vector<ReadinessCheck> CheckEngines();

}  // namespace presgen
