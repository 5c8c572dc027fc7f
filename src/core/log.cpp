#include "core/log.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include <chrono>
#include <ctime>

namespace presgen {
namespace {

LogFormat g_format = LogFormat::kText;

// The event LogEvent() is writing on this thread, for the formatter below (spdlog's
// default logger is synchronous: it formats on the caller's thread, inside the call).
struct PendingEvent {
  std::string_view event;
  const nlohmann::json* fields = nullptr;
};
thread_local const PendingEvent* t_pending = nullptr;

std::string IsoTime(spdlog::log_clock::time_point tp) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(tp.time_since_epoch());
  const std::time_t secs = static_cast<std::time_t>(ms.count() / 1000);
  std::tm tm {};
  gmtime_r(&secs, &tm);
  char buf[40];
  const size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(ms.count() % 1000));
  return buf;
}

class JsonLineFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const std::string_view text(msg.payload.data(), msg.payload.size());
    const auto level = spdlog::level::to_string_view(msg.level);
    static const nlohmann::json kNoFields = nullptr;
    const PendingEvent* ev = t_pending;
    const std::string line = FormatJsonLogLine(IsoTime(msg.time), {level.data(), level.size()},
                                               ev ? ev->event : "log", text,
                                               ev && ev->fields ? *ev->fields : kNoFields);
    dest.append(line.data(), line.data() + line.size());
    dest.push_back('\n');
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonLineFormatter>();
  }
};

}  // namespace

Result<LogFormat> ParseLogFormat(std::string_view text) {
  if (text == "text") return LogFormat::kText;
  if (text == "json") return LogFormat::kJson;
  return Status::InvalidInput("log format must be text or json, got '" + std::string(text) + "'");
}

void InitLogging(LogLevel level, LogFormat format) {
  auto logger = spdlog::get("presgen");
  if (!logger) logger = spdlog::stderr_color_mt("presgen");
  spdlog::set_default_logger(logger);
  g_format = format;
  if (format == LogFormat::kJson) {
    logger->set_formatter(std::make_unique<JsonLineFormatter>());
  } else {
    logger->set_formatter(std::make_unique<spdlog::pattern_formatter>("[%H:%M:%S.%e] %^%l%$ %v"));
  }
  switch (level) {
    case LogLevel::kQuiet: spdlog::set_level(spdlog::level::err); break;
    case LogLevel::kNormal: spdlog::set_level(spdlog::level::warn); break;
    case LogLevel::kInfo: spdlog::set_level(spdlog::level::info); break;
    case LogLevel::kVerbose: spdlog::set_level(spdlog::level::debug); break;
  }
}

LogFormat CurrentLogFormat() { return g_format; }

void LogEvent(spdlog::level::level_enum level, std::string_view event, std::string_view msg,
              const nlohmann::json& fields) {
  auto logger = spdlog::default_logger_raw();
  if (logger == nullptr || !logger->should_log(level)) return;
  if (g_format == LogFormat::kJson) {
    const PendingEvent pending{event, &fields};
    t_pending = &pending;
    logger->log(level, "{}", msg);
    t_pending = nullptr;
    return;
  }
  if (fields.is_object() && fields.contains("job_id") && fields["job_id"].is_string()) {
    logger->log(level, "job {}: {}", fields["job_id"].get<std::string>(), msg);
  } else {
    logger->log(level, "{}", msg);
  }
}

std::string FormatJsonLogLine(std::string_view ts, std::string_view level,
                              std::string_view event, std::string_view msg,
                              const nlohmann::json& fields) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();  // ts, level, event, msg first
  j["ts"] = ts;
  j["level"] = level;
  j["event"] = event;
  j["msg"] = msg;
  if (fields.is_object()) {
    if (auto id = fields.find("job_id"); id != fields.end()) j["job_id"] = *id;  // next, to grep
    for (const auto& [key, value] : fields.items()) {
      if (!j.contains(key)) j[key] = value;  // the four above are never overwritten
    }
  }
  // Library messages may hold bytes that are not UTF-8 (file names): replaced, never thrown.
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace presgen
