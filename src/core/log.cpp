#include "core/log.h"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace presgen {

void InitLogging(LogLevel level) {
  auto logger = spdlog::stderr_color_mt("presgen");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("[%H:%M:%S.%e] %^%l%$ %v");
  switch (level) {
    case LogLevel::kQuiet: spdlog::set_level(spdlog::level::err); break;
    case LogLevel::kNormal: spdlog::set_level(spdlog::level::warn); break;
    case LogLevel::kVerbose: spdlog::set_level(spdlog::level::debug); break;
  }
}

}  // namespace presgen
