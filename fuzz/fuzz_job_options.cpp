// libFuzzer: the options JSON a client sends with an upload (REST `options`, MCP `options`)
// through the shared option table (ApplyClientOptions, as ApplyJobOptions runs it before
// the render's whole-set check). Never crashes; every refusal says why; what is accepted is
// inside the table's ranges.
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "pipeline/render_option_schema.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto j = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return 0;
  presgen::RenderOptions render;
  auto applied = presgen::ApplyClientOptions(j, &render, "options.");
  if (!applied.ok()) {
    if (applied.status().message().empty()) std::abort();
    return 0;
  }
  if (render.width < 320 || render.width > 3840 || render.height < 180 || render.height > 2160 ||
      render.max_slides < 1 || render.max_slides > 8 || render.max_bullets < 0 ||
      render.max_bullets > 6) {
    std::abort();
  }
  (void)applied->accepted.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return 0;
}
