#include "readiness/readiness.h"

#include <cstdio>
#include <functional>

#include "core/sys.h"
#include "readiness/checks.h"

namespace presgen {

const char* ToString(CheckSeverity severity) {
  return severity == CheckSeverity::kRequired ? "required" : "warning";
}

std::vector<ReadinessCheck> RunReadinessChecks(const ReadinessParams& params) {
  using namespace readiness;
  std::vector<std::function<ReadinessCheck()>> steps = {
      [&] { return CheckWhisperModel(params); },
      [] { return CheckPocketSphinx(); },
      [] { return CheckFaceDetection(); },
      [] { return CheckSlideFonts(); },
  };
  if (params.chromium) steps.push_back([] { return CheckChromium(); });
  if (!params.llm_url.empty()) steps.push_back([&] { return CheckLlm(params); });
  steps.push_back([] { return CheckFfmpeg(); });
  steps.push_back([&] { return CheckTempStorage(params); });
  if (params.smoke_render) steps.push_back([] { return CheckSmokeRender(); });

  std::vector<ReadinessCheck> out;
  for (const auto& step : steps) {
    Stopwatch watch;
    ReadinessCheck check;
    try {
      check = step();
    } catch (const std::exception& e) {  // a check never takes the checklist down
      check.ok = false;
      check.detail = std::string("the check itself failed: ") + e.what();
    }
    check.seconds = watch.ElapsedSeconds();
    out.push_back(std::move(check));
  }
  return out;
}

bool IsReady(const std::vector<ReadinessCheck>& checks) {
  for (const auto& c : checks) {
    if (!c.ok && c.severity == CheckSeverity::kRequired) return false;
  }
  return true;
}

nlohmann::json ReadinessJson(const std::vector<ReadinessCheck>& checks) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& c : checks) {
    list.push_back({{"name", c.name},
                    {"ok", c.ok},
                    {"severity", ToString(c.severity)},
                    {"detail", c.detail},
                    {"seconds", std::round(c.seconds * 1000) / 1000}});
  }
  return {{"ready", IsReady(checks)}, {"checks", list}};
}

std::string ReadinessTable(const std::vector<ReadinessCheck>& checks) {
  std::string out;
  char line[160];
  std::snprintf(line, sizeof line, "%-15s %-6s %8s  %s\n", "check", "result", "seconds", "detail");
  out += line;
  int warnings = 0, failures = 0;
  for (const auto& c : checks) {
    const char* result = c.ok ? "ok" : c.severity == CheckSeverity::kRequired ? "FAIL" : "warn";
    warnings += !c.ok && c.severity == CheckSeverity::kWarning;
    failures += !c.ok && c.severity == CheckSeverity::kRequired;
    std::snprintf(line, sizeof line, "%-15s %-6s %8.2f  ", c.name.c_str(), result, c.seconds);
    out += line + c.detail + "\n";
  }
  out += "\n";
  if (failures > 0) {
    out += "NOT READY: " + std::to_string(failures) + " required check" +
           (failures == 1 ? "" : "s") + " failed\n";
  } else {
    out += "ready" + (warnings > 0 ? " (" + std::to_string(warnings) + " warning" +
                                         (warnings == 1 ? "" : "s") + ")"
                                   : std::string()) +
           "\n";
  }
  return out;
}

}  // namespace presgen
