// A strict reader of the Prometheus text exposition format (0.0.4), for tests of /metrics:
// every sample line must parse, belong to a family declared by a # TYPE line before it,
// and every histogram's buckets must be cumulative with +Inf equal to its _count.
#pragma once

#include <cmath>
#include <cstdlib>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace presgen::testing {

struct PrometheusSample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

struct PrometheusText {
  std::vector<PrometheusSample> samples;
  std::map<std::string, std::string> types;  // family -> counter | gauge | histogram | summary
  std::vector<std::string> errors;           // empty when the text is well formed

  // The value of the sample `name` whose labels include all of `labels`; NaN when none.
  double Value(const std::string& name, const std::map<std::string, std::string>& labels = {}) const {
    for (const auto& s : samples) {
      if (s.name != name) continue;
      bool all = true;
      for (const auto& [k, v] : labels) {
        auto it = s.labels.find(k);
        all = all && it != s.labels.end() && it->second == v;
      }
      if (all) return s.value;
    }
    return std::nan("");
  }
};

inline std::string PrometheusFamilyOf(const std::string& name,
                                      const std::map<std::string, std::string>& types) {
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    const std::string s(suffix);
    if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0) {
      const std::string family = name.substr(0, name.size() - s.size());
      auto it = types.find(family);
      if (it != types.end() && (it->second == "histogram" || it->second == "summary")) return family;
    }
  }
  return name;
}

inline PrometheusText ParsePrometheusText(const std::string& text) {
  PrometheusText out;
  std::istringstream in(text);
  std::string line;
  int n = 0;
  auto error = [&](const std::string& what) {
    out.errors.push_back("line " + std::to_string(n) + ": " + what + ": " + line);
  };
  while (std::getline(in, line)) {
    ++n;
    if (line.empty()) continue;
    if (line[0] == '#') {
      std::istringstream words(line);
      std::string hash, kind, family, type;
      words >> hash >> kind >> family;
      if (kind == "TYPE") {
        words >> type;
        if (type != "counter" && type != "gauge" && type != "histogram" && type != "summary" &&
            type != "untyped") {
          error("unknown type");
        }
        if (out.types.count(family)) error("family declared twice");
        out.types[family] = type;
      }
      continue;
    }
    PrometheusSample s;
    size_t i = 0;
    while (i < line.size() && (std::isalnum(static_cast<unsigned char>(line[i])) || line[i] == '_' || line[i] == ':')) ++i;
    s.name = line.substr(0, i);
    if (s.name.empty() || std::isdigit(static_cast<unsigned char>(s.name[0]))) {
      error("bad metric name");
      continue;
    }
    bool ok = true;
    if (i < line.size() && line[i] == '{') {
      ++i;
      while (ok && i < line.size() && line[i] != '}') {
        const size_t eq = line.find('=', i);
        if (eq == std::string::npos || eq + 1 >= line.size() || line[eq + 1] != '"') {
          ok = false;
          break;
        }
        const std::string key = line.substr(i, eq - i);
        std::string value;
        size_t j = eq + 2;
        for (; j < line.size() && line[j] != '"'; ++j) {
          if (line[j] == '\\' && j + 1 < line.size()) {
            ++j;
            value += line[j] == 'n' ? '\n' : line[j];
          } else {
            value += line[j];
          }
        }
        if (j >= line.size() || key.empty() || s.labels.count(key)) {
          ok = false;
          break;
        }
        s.labels[key] = value;
        i = j + 1;
        if (i < line.size() && line[i] == ',') ++i;
      }
      if (!ok || i >= line.size()) {
        error("bad labels");
        continue;
      }
      ++i;  // '}'
    }
    if (i >= line.size() || line[i] != ' ') {
      error("no value");
      continue;
    }
    const std::string number = line.substr(i + 1);
    char* end = nullptr;
    s.value = number == "+Inf" ? INFINITY : number == "-Inf" ? -INFINITY : std::strtod(number.c_str(), &end);
    if (number != "+Inf" && number != "-Inf" && (end == number.c_str() || *end != '\0')) {
      error("bad value");
      continue;
    }
    if (!out.types.count(PrometheusFamilyOf(s.name, out.types))) error("sample before its # TYPE");
    out.samples.push_back(std::move(s));
  }
  // Histograms: per label set (without le), buckets cumulative and +Inf == _count.
  for (const auto& [family, type] : out.types) {
    if (type != "histogram") continue;
    std::map<std::map<std::string, std::string>, std::vector<std::pair<double, double>>> buckets;
    for (const auto& s : out.samples) {
      if (s.name != family + "_bucket") continue;
      auto labels = s.labels;
      auto le = labels.find("le");
      if (le == labels.end()) {
        out.errors.push_back(family + ": a bucket without le");
        continue;
      }
      const double bound = le->second == "+Inf" ? INFINITY : std::strtod(le->second.c_str(), nullptr);
      labels.erase(le);
      buckets[labels].push_back({bound, s.value});
    }
    for (const auto& [labels, list] : buckets) {
      for (size_t k = 1; k < list.size(); ++k) {
        if (list[k].first <= list[k - 1].first || list[k].second < list[k - 1].second) {
          out.errors.push_back(family + ": buckets not increasing");
        }
      }
      double count = std::nan("");
      for (const auto& s : out.samples) {
        if (s.name == family + "_count" && s.labels == labels) count = s.value;
      }
      if (list.empty() || !std::isinf(list.back().first) || list.back().second != count) {
        out.errors.push_back(family + ": +Inf bucket differs from _count");
      }
    }
  }
  return out;
}

}  // namespace presgen::testing
