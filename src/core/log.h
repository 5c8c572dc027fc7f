// Logging set-up: spdlog to stderr. Library code logs through spdlog's default
// logger; the CLI chooses the level (--verbose / --quiet).
#pragma once

#include <spdlog/spdlog.h>

namespace presgen {

enum class LogLevel { kQuiet, kNormal, kVerbose };

void InitLogging(LogLevel level);

}  // namespace presgen
