#include "core/json_io.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace presgen {

// Times in the artifacts to the millisecond: what a person reading or editing them
// should see (9.68, not 9.680000000000001). Word timings are ~10 ms coarse anyway.
static double Millis(double seconds) { return std::round(seconds * 1000.0) / 1000.0; }

using nlohmann::json;

void to_json(json& j, const MediaInfo& m) {
  j = json{{"path", m.path},
           {"container", m.container},
           {"duration", m.duration_s},
           {"has_video", m.has_video},
           {"video_codec", m.video_codec},
           {"width", m.width},
           {"height", m.height},
           {"rotation", m.rotation_deg},
           {"display_width", m.display_width},
           {"display_height", m.display_height},
           {"fps", m.fps},
           {"pixel_format", m.pixel_format},
           {"has_audio", m.has_audio},
           {"audio_codec", m.audio_codec},
           {"sample_rate", m.sample_rate},
           {"channels", m.channels}};
  if (m.truncated()) j["announced_duration"] = m.announced_duration_s;
}

void from_json(const json& j, MediaInfo& m) {
  m.path = j.value("path", "");
  m.container = j.value("container", "");
  m.duration_s = j.value("duration", 0.0);
  m.has_video = j.value("has_video", false);
  m.video_codec = j.value("video_codec", "");
  m.width = j.value("width", 0);
  m.height = j.value("height", 0);
  m.rotation_deg = j.value("rotation", 0);
  m.display_width = j.value("display_width", 0);
  m.display_height = j.value("display_height", 0);
  m.fps = j.value("fps", 0.0);
  m.pixel_format = j.value("pixel_format", "");
  m.has_audio = j.value("has_audio", false);
  m.audio_codec = j.value("audio_codec", "");
  m.sample_rate = j.value("sample_rate", 0);
  m.channels = j.value("channels", 0);
  m.announced_duration_s = j.value("announced_duration", 0.0);
}

void to_json(json& j, const Word& w) {
  j = json{{"start", Millis(w.start_s)},
           {"end", Millis(w.end_s)},
           {"word", w.text},
           {"confidence", Millis(w.confidence)}};
}
void from_json(const json& j, Word& w) {
  w.start_s = j.value("start", 0.0);
  w.end_s = j.value("end", 0.0);
  w.text = j.value("word", "");
  w.confidence = std::clamp(j.value("confidence", 1.0), 0.0, 1.0);
}

void to_json(json& j, const Segment& s) {
  j = json{{"start", Millis(s.start_s)},
           {"end", Millis(s.end_s)},
           {"text", s.text},
           {"words", s.words}};
}
void from_json(const json& j, Segment& s) {
  s.start_s = j.value("start", 0.0);
  s.end_s = j.value("end", 0.0);
  s.text = j.value("text", "");
  s.words = j.value("words", std::vector<Word>{});
}

void to_json(json& j, const Transcript& t) {
  j = json{{"engine", t.engine},
           {"language", t.language},
           {"duration", t.duration_s},
           {"segments", t.segments}};
}
void from_json(const json& j, Transcript& t) {
  t.engine = j.value("engine", "");
  t.language = j.value("language", "en");
  t.duration_s = j.value("duration", 0.0);
  t.segments = j.value("segments", std::vector<Segment>{});
}

void to_json(json& j, const BulletSource& b) {
  j = json{{"segment", b.segment},
           {"first_word", b.first_word},
           {"last_word", b.last_word},
           {"start", Millis(b.start_s)},
           {"end", Millis(b.end_s)}};
}
// An int field of a client's JSON: a number outside int's range (1e52) or a fraction is
// refused as a type error rather than converted (undefined behaviour; found by fuzz_deck).
static int IntField(const json& j, const char* key, int fallback) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  if (it->is_number_integer()) {
    const auto v = it->get<int64_t>();
    if (v >= INT32_MIN && v <= INT32_MAX) return static_cast<int>(v);
  } else if (it->is_number_unsigned()) {
    if (it->get<uint64_t>() <= INT32_MAX) return static_cast<int>(it->get<uint64_t>());
  } else if (it->is_number_float()) {
    const double d = it->get<double>();
    if (std::isfinite(d) && d == std::floor(d) && d >= INT32_MIN && d <= INT32_MAX) {
      return static_cast<int>(d);
    }
  }
  throw json::type_error::create(302, std::string(key) + " must be an integer", &j);
}

void from_json(const json& j, BulletSource& b) {
  b.segment = IntField(j, "segment", 0);
  b.first_word = IntField(j, "first_word", 0);
  b.last_word = IntField(j, "last_word", 0);
  b.start_s = j.value("start", 0.0);
  b.end_s = j.value("end", 0.0);
}

void to_json(json& j, const Slide& s) {
  j = json{{"index", s.index},
           {"title", s.title},
           {"bullets", s.bullets},
           {"start", Millis(s.start_s)},
           {"end", Millis(s.end_s)}};
  if (!s.subtitle.empty()) j["subtitle"] = s.subtitle;
  if (!s.sources.empty()) j["sources"] = s.sources;
}
void from_json(const json& j, Slide& s) {
  s.index = IntField(j, "index", 0);
  s.title = j.value("title", "");
  s.subtitle = j.value("subtitle", "");
  s.bullets = j.value("bullets", std::vector<std::string>{});
  s.sources = j.value("sources", std::vector<BulletSource>{});
  // Sources are parallel to bullets; an edit that adds or removes bullets unlinks them.
  if (s.sources.size() != s.bullets.size()) s.sources.clear();
  s.start_s = j.value("start", 0.0);
  s.end_s = j.value("end", 0.0);
}

void to_json(json& j, const Deck& d) {
  j = json{{"template", d.template_name}, {"slides", d.slides}};
}
void from_json(const json& j, Deck& d) {
  d.template_name = j.value("template", "professional_minimal");
  d.slides = j.value("slides", std::vector<Slide>{});
}

void to_json(json& j, const Box& b) { j = json{{"x", b.x}, {"y", b.y}, {"w", b.w}, {"h", b.h}}; }
void from_json(const json& j, Box& b) {
  b.x = j.value("x", 0.0);
  b.y = j.value("y", 0.0);
  b.w = j.value("w", 0.0);
  b.h = j.value("h", 0.0);
}

void to_json(json& j, const FaceTrack& f) {
  json samples = json::array();
  for (const auto& s : f.samples) samples.push_back({{"t", s.t_s}, {"faces", s.faces}});
  json path = json::array();
  for (const auto& k : f.crop_path) path.push_back({{"t", k.t_s}, {"box", k.box}});
  j = json{{"detector", f.detector},
           {"frame_width", f.frame_width},
           {"frame_height", f.frame_height},
           {"sample_fps", f.sample_fps},
           {"content", f.content},
           {"samples", samples},
           {"crop_path", path}};
}
void from_json(const json& j, FaceTrack& f) {
  f.detector = j.value("detector", "");
  f.frame_width = j.value("frame_width", 0);
  f.frame_height = j.value("frame_height", 0);
  f.sample_fps = j.value("sample_fps", 0.0);
  f.content = j.value("content", Box{});
  f.samples.clear();
  for (const auto& s : j.value("samples", json::array())) {
    f.samples.push_back({s.value("t", 0.0), s.value("faces", std::vector<Box>{})});
  }
  f.crop_path.clear();
  for (const auto& k : j.value("crop_path", json::array())) {
    f.crop_path.push_back({k.value("t", 0.0), k.value("box", Box{})});
  }
}

void to_json(json& j, const Degradation& d) {
  j = json{{"stage", d.stage}, {"reason", d.reason}, {"fallback", d.fallback}};
}
void from_json(const json& j, Degradation& d) {
  d.stage = j.value("stage", "");
  d.reason = j.value("reason", "");
  d.fallback = j.value("fallback", "");
}

void to_json(json& j, const JobResult& r) {
  j = json{{"success", r.success},
           {"output", r.output},
           {"degraded", r.degraded},
           {"timings", r.timings},
           {"peak_rss_mb", r.peak_rss_mb},
           {"cost_usd", r.cost_usd},
           {"reused", r.reused},
           {"input", r.input},
           {"engines",
            {{"asr", r.engines.asr},
             {"face", r.engines.face},
             {"summarizer", r.engines.summarizer},
             {"slides", r.engines.slides}}}};
  json resources = json::object();
  for (const auto& [stage, used] : r.resources) {
    resources[stage] = {{"peak_rss_mb", used.peak_rss_mb}, {"cpu_percent", used.cpu_percent}};
  }
  j["resources"] = resources;
  j["cache"] = r.cache;
  json outcomes = json::object();
  for (const auto& [breaker, worked] : r.engine_outcomes) outcomes[breaker] = worked ? "worked" : "failed";
  j["engine_outcomes"] = outcomes;
  if (!r.error.empty()) j["error"] = r.error;
}

Status WriteFileAtomic(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::Internal("cannot write " + tmp);
    out << text;
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      return Status::Internal("cannot write " + tmp + " (disk full?)");
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::remove(tmp.c_str());
    return Status::Internal("cannot rename " + tmp + " to " + path + ": " + ec.message());
  }
  return Status::Ok();
}

Status WriteJsonFile(const std::string& path, const json& j) {
  return WriteFileAtomic(path, j.dump(2) + "\n");
}

Result<json> ReadJsonFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open file");
  std::stringstream ss;
  ss << in.rdbuf();
  json j = json::parse(ss.str(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::InvalidInput(path + ": not valid JSON");
  return j;
}

Result<Deck> ParseDeck(const json& j, double duration_s) {
  if (!j.is_object() || !j.contains("slides") || !j["slides"].is_array()) {
    return Status::InvalidInput("deck must be an object with a \"slides\" array");
  }
  Deck deck;
  try {
    deck = j.get<Deck>();
  } catch (const json::exception& e) {
    return Status::InvalidInput(std::string("deck has a field of the wrong type: ") + e.what());
  }
  if (deck.slides.empty() || deck.slides.size() > 8) {
    return Status::InvalidInput("deck must have 1 to 8 slides, has " +
                                std::to_string(deck.slides.size()));
  }
  double prev = -1;
  for (size_t i = 0; i < deck.slides.size(); ++i) {
    Slide& s = deck.slides[i];
    s.index = static_cast<int>(i);
    const std::string where = "slide " + std::to_string(i + 1);
    if (s.title.empty() || s.title.size() > 120) {
      return Status::InvalidInput(where + ": title must be 1 to 120 characters");
    }
    if (s.subtitle.size() > 120) {
      return Status::InvalidInput(where + ": subtitle exceeds 120 characters");
    }
    if (s.bullets.size() > 6) return Status::InvalidInput(where + ": at most 6 bullets");
    for (const auto& b : s.bullets) {
      if (b.size() > 200) return Status::InvalidInput(where + ": a bullet exceeds 200 characters");
    }
    if (s.start_s < 0 || (duration_s > 0 && s.start_s > duration_s)) {
      return Status::InvalidInput(where + ": start is outside the video");
    }
    if (s.start_s <= prev) return Status::InvalidInput(where + ": starts must increase");
    prev = s.start_s;
  }
  for (size_t i = 0; i < deck.slides.size(); ++i) {
    deck.slides[i].end_s =
        i + 1 < deck.slides.size() ? deck.slides[i + 1].start_s : std::max(duration_s, prev);
  }
  return deck;
}

}  // namespace presgen
