#include "core/transcript_format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace presgen {

namespace {

// A cue's text on cue lines: a line break inside it (an edited transcript, a model's output)
// would end the cue early and make the rest a malformed cue, and "-->" would be read as a
// timing line; found by fuzz_subtitles.
std::string CueText(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) out += (c == '\n' || c == '\r') ? ' ' : c;
  for (size_t at; (at = out.find("-->")) != std::string::npos;) out.replace(at, 3, "->");
  return out;
}

}  // namespace

std::string FormatTimestamp(double seconds, char millis_separator) {
  // Non-finite or absurd times (a damaged transcript) are clamped, never undefined.
  const double s_clamped = std::isfinite(seconds) ? std::clamp(seconds, 0.0, 359999.999) : 0.0;
  long long ms = std::llround(s_clamped * 1000.0);
  const long long h = ms / 3600000;
  ms %= 3600000;
  const long long m = ms / 60000;
  ms %= 60000;
  const long long s = ms / 1000;
  ms %= 1000;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld%c%03lld", h, m, s, millis_separator, ms);
  return buf;
}

std::string ToSrt(const Transcript& t) {
  std::string out;
  int n = 1;
  for (const auto& seg : t.segments) {
    const std::string text = CueText(seg.text);
    if (text.find_first_not_of(' ') == std::string::npos) continue;  // an empty cue ends the file
    out += std::to_string(n++) + "\n" + FormatTimestamp(seg.start_s, ',') + " --> " +
           FormatTimestamp(seg.end_s, ',') + "\n" + text + "\n\n";
  }
  return out;
}

std::string ToVtt(const Transcript& t) {
  std::string out = "WEBVTT\n\n";
  for (const auto& seg : t.segments) {
    const std::string text = CueText(seg.text);
    if (text.find_first_not_of(' ') == std::string::npos) continue;
    out += FormatTimestamp(seg.start_s, '.') + " --> " + FormatTimestamp(seg.end_s, '.') + "\n" +
           text + "\n\n";
  }
  return out;
}

}  // namespace presgen
