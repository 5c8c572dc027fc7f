// Logging set-up: spdlog to stderr. Library code logs through spdlog's default
// logger; the CLI chooses the level (--verbose / --quiet) and the format.
//
// Text (the default on a terminal): "[12:03:04.512] warn msg".
// JSON (--log-format json, PRESGEN_LOG_FORMAT=json; serve and mcp when stderr is not a
// terminal): one object per line, {"ts", "level", "event", "msg", ...fields}. A plain
// spdlog call is event "log"; LogEvent() names its event and adds its fields (job_id,
// phase, ...), which text mode leaves out except for the job's id.
#pragma once

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <string>
#include <string_view>

#include "core/status.h"

namespace presgen {

enum class LogLevel { kQuiet, kNormal, kInfo, kVerbose };  // errors, warnings, +info, +debug
enum class LogFormat { kText, kJson };

// "text" | "json". Errors: kInvalidInput naming the value.
Result<LogFormat> ParseLogFormat(std::string_view text);

void InitLogging(LogLevel level, LogFormat format = LogFormat::kText);
LogFormat CurrentLogFormat();

// One structured event. `fields` must be an object (or null); a "job_id" field is shown in
// text mode too ("job 3f2a…: msg").
void LogEvent(spdlog::level::level_enum level, std::string_view event, std::string_view msg,
              const nlohmann::json& fields = nullptr);

// The JSON line for one event, as the JSON format writes it (without the newline).
// `ts` is ISO 8601 UTC with milliseconds.
std::string FormatJsonLogLine(std::string_view ts, std::string_view level,
                              std::string_view event, std::string_view msg,
                              const nlohmann::json& fields);

}  // namespace presgen
