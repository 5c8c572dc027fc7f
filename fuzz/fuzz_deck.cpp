// libFuzzer: an edited deck.json from a client (PUT /v1/jobs/{id}/deck, --deck, MCP
// update_deck) through ParseDeck. Never crashes; an accepted deck is within its limits.
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "core/json_io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto j = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return 0;
  for (double duration : {0.5, 60.0, 180.0}) {
    auto deck = presgen::ParseDeck(j, duration);
    if (!deck.ok()) continue;
    if (deck->slides.empty() || deck->slides.size() > 8) std::abort();
    double last = -1;
    for (const auto& s : deck->slides) {
      if (s.title.empty() || s.start_s < last || s.start_s > duration) std::abort();
      last = s.start_s;
    }
    (void)nlohmann::json(*deck).dump();  // what the service writes back
  }
  return 0;
}
