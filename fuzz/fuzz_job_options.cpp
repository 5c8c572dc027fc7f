// libFuzzer: the options JSON a client sends with an upload (REST `options`, MCP `options`)
// through ApplyJobOptions and the shared option table. Never crashes; accepted options
// pass the render's own validation of what the table lets through.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "service/job_options.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  presgen::RenderOptions render;
  auto applied = presgen::ApplyJobOptions(text, &render);
  if (!applied.ok()) {
    if (applied.status().message().empty()) std::abort();  // every refusal says why
    return 0;
  }
  if (render.width < 320 || render.width > 3840 || render.height < 180 || render.height > 2160 ||
      render.max_slides < 1 || render.max_slides > 8 || render.max_bullets < 0 ||
      render.max_bullets > 6) {
    std::abort();
  }
  return 0;
}
