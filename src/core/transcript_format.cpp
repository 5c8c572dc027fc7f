#include "core/transcript_format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace presgen {

std::string FormatTimestamp(double seconds, char millis_separator) {
  long long ms = std::llround(std::max(0.0, seconds) * 1000.0);
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
    out += std::to_string(n++) + "\n" + FormatTimestamp(seg.start_s, ',') + " --> " +
           FormatTimestamp(seg.end_s, ',') + "\n" + seg.text + "\n\n";
  }
  return out;
}

std::string ToVtt(const Transcript& t) {
  std::string out = "WEBVTT\n\n";
  for (const auto& seg : t.segments) {
    out += FormatTimestamp(seg.start_s, '.') + " --> " + FormatTimestamp(seg.end_s, '.') + "\n" +
           seg.text + "\n\n";
  }
  return out;
}

}  // namespace presgen
