#include "deck/deck_repair.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "deck/llm_prompt.h"
#include "deck/text_tools.h"

namespace presgen {
namespace {

using nlohmann::json;

// ParseDeck's limits (core/json_io.cpp): a repaired deck must load back.
constexpr size_t kMaxTitleChars = 120;
constexpr size_t kMaxBulletChars = 200;
constexpr int kMaxBulletsLoadable = 6;

Status BadAnswer(const std::string& why) { return Status::Internal("LLM answer: " + why); }

// The JSON inside the content: a ```json fence is unwrapped and prose around
// the outermost braces (or brackets, whichever opens first and parses) ignored.
json ParseJsonPart(const std::string& content) {
  std::string s = content;
  if (const size_t fence = s.find("```"); fence != std::string::npos) {
    const size_t body = s.find('\n', fence);
    const size_t close = body == std::string::npos ? body : s.find("```", body);
    if (body != std::string::npos) {
      s = s.substr(body + 1, close == std::string::npos ? close : close - body - 1);
    }
  }
  std::vector<std::pair<size_t, size_t>> spans;  // [open, close] candidates
  for (const char* pair : {"{}", "[]"}) {
    const size_t open = s.find(pair[0]);
    const size_t close = s.rfind(pair[1]);
    if (open != std::string::npos && close != std::string::npos && open < close) {
      spans.emplace_back(open, close);
    }
  }
  std::sort(spans.begin(), spans.end());
  for (const auto& [open, close] : spans) {
    json j = json::parse(s.substr(open, close - open + 1), nullptr, /*allow_exceptions=*/false);
    if (!j.is_discarded()) return j;
  }
  return json::parse(s, nullptr, /*allow_exceptions=*/false);
}

// A sentence number as the model wrote it: 3, 3.0 or "3". -1 when absent or unreadable.
int ToIndex(const json& j) {
  double v = -1;
  if (j.is_number()) {
    v = j.get<double>();
  } else if (j.is_string()) {
    const std::string s = j.get<std::string>();
    char* end = nullptr;
    v = std::strtod(s.c_str(), &end);
    if (s.empty() || end == s.c_str()) return -1;
  } else {
    return -1;
  }
  if (!std::isfinite(v)) return -1;
  return static_cast<int>(std::clamp(std::round(v), -1e9, 1e9));
}

const json* Field(const json& object, const char* name) {
  const auto it = object.find(name);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

// Whitespace runs (newlines included) become one space; ends trimmed.
std::string CollapseSpace(const std::string& s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
    } else {
      if (space) out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

// Cuts s to at most max_bytes without splitting a UTF-8 sequence.
std::string CutUtf8(std::string s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  size_t n = max_bytes;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
  return s;
}

std::string Seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", s);
  return buf;
}

std::string Quoted(const std::string& title) { return "'" + title + "'"; }

double Onset(const Segment& s) { return s.words.empty() ? s.start_s : s.words.front().start_s; }

struct WorkSlide {
  std::string title;
  int start = 0;  // sentence
  std::vector<std::string> bullets;
  std::vector<int> bullet_sentences;
};

int Clamp(int index, int n) { return std::clamp(index, 0, n - 1); }

std::string RangeNote(const std::string& what, int index, int n, int fixed) {
  return what + " " + std::to_string(index) + " is outside 0-" + std::to_string(n - 1) +
         "; snapped to " + std::to_string(fixed);
}

// Bullet markers the model may have typed into the text ("- ", "• ").
std::vector<std::string> WithoutMarkers(std::vector<std::string> tokens) {
  static const std::vector<std::string> kMarkers = {"-", "*", "\u2022", "\u2013", "\u2014"};
  while (!tokens.empty() &&
         std::find(kMarkers.begin(), kMarkers.end(), tokens.front()) != kMarkers.end()) {
    tokens.erase(tokens.begin());
  }
  return tokens;
}

// Trailing ".,;:!?" removed; a lower-case first word capitalised, but a word
// with its own capitals ("iPhone", "eBay") kept as written.
std::string Tidy(const std::vector<std::string>& tokens) {
  std::string text = TrimTrailingPunctuation(JoinTokens(tokens));
  const std::string first = text.substr(0, text.find(' '));
  const bool mixed =
      std::any_of(first.begin(), first.end(), [](unsigned char c) { return std::isupper(c); });
  return mixed ? text : CapitalizeFirst(text);
}

// Words the transcript only ever heard with low confidence (bare, lower case): a bullet
// holding one (or a brace the prompt marked it with) would show a guess.
std::set<std::string> UnsureWords(const Transcript& transcript) {
  std::set<std::string> unsure, sure;
  for (const auto& s : transcript.segments)
    for (const auto& w : s.words)
      (w.confidence < kLlmUnsureBelow ? unsure : sure).insert(BareWord(w.text));
  for (const auto& w : sure) unsure.erase(w);
  unsure.erase("");
  return unsure;
}

Result<WorkSlide> CleanSlide(const DraftSlide& draft, size_t number, int n,
                             const SummarizerParams& params, const std::set<std::string>& unsure,
                             std::vector<std::string>& repairs) {
  WorkSlide slide;
  const std::string where = "slide " + std::to_string(number);
  auto words = NumbersToFigures(WithoutMarkers(SplitTokens(CollapseSpace(draft.title))));
  const size_t max_words = static_cast<size_t>(std::max(1, params.max_title_words));
  if (words.size() > max_words) {
    repairs.push_back(where + ": title cut from " + std::to_string(words.size()) + " to " +
                      std::to_string(max_words) + " words");
    words.resize(max_words);
  }
  slide.title = Tidy(words);
  while (slide.title.size() > kMaxTitleChars && words.size() > 1) {
    words.pop_back();
    slide.title = Tidy(words);
  }
  if (slide.title.size() > kMaxTitleChars) slide.title = CutUtf8(slide.title, kMaxTitleChars);
  if (slide.title.empty()) return BadAnswer(where + " has an empty title");

  slide.start = draft.start_sentence;
  if (slide.start == -1 && !draft.bullets.empty() && draft.bullets.front().sentence >= 0) {
    slide.start = draft.bullets.front().sentence;
    repairs.push_back(where + ": no start sentence; using its first bullet's (" +
                      std::to_string(slide.start) + ")");
  }
  if (const int fixed = Clamp(slide.start, n); fixed != slide.start) {
    repairs.push_back(where + ": " + RangeNote("start sentence", slide.start, n, fixed));
    slide.start = fixed;
  }

  const int max_bullet_words = static_cast<int>(std::floor(params.max_bullet_words * 1.5));
  for (const auto& b : draft.bullets) {
    const auto tokens = NumbersToFigures(WithoutMarkers(SplitTokens(CollapseSpace(b.text))));
    const std::string text = Tidy(tokens);
    if (text.empty()) {
      repairs.push_back(where + ": empty bullet dropped");
      continue;
    }
    if (static_cast<int>(tokens.size()) > max_bullet_words || text.size() > kMaxBulletChars) {
      repairs.push_back(where + ": bullet of " + std::to_string(tokens.size()) + " words (" +
                        std::to_string(text.size()) + " characters) dropped; limit " +
                        std::to_string(max_bullet_words) + " words");
      continue;
    }
    const auto guess = std::find_if(tokens.begin(), tokens.end(), [&](const std::string& t) {
      return t.find('{') != std::string::npos || unsure.count(BareWord(t)) > 0;
    });
    if (guess != tokens.end()) {
      repairs.push_back(where + ": bullet " + Quoted(text) +
                        " dropped: the recogniser was unsure of " + Quoted(*guess));
      continue;
    }
    int sentence = b.sentence;
    if (sentence == -1) {
      sentence = slide.start;
      repairs.push_back(where + ": bullet without a sentence; using the slide's start sentence");
    } else if (const int fixed = Clamp(sentence, n); fixed != sentence) {
      repairs.push_back(where + ": " + RangeNote("bullet sentence", sentence, n, fixed));
      sentence = fixed;
    }
    slide.bullets.push_back(text);
    slide.bullet_sentences.push_back(sentence);
  }
  return slide;
}

void MergeInto(WorkSlide& into, const WorkSlide& from) {
  into.bullets.insert(into.bullets.end(), from.bullets.begin(), from.bullets.end());
  into.bullet_sentences.insert(into.bullet_sentences.end(), from.bullet_sentences.begin(),
                               from.bullet_sentences.end());
}

}  // namespace

Result<DraftDeck> ParseDraftDeck(const std::string& content) {
  const json root = ParseJsonPart(content);
  if (root.is_discarded()) return BadAnswer("not valid JSON");
  const json* slides = root.is_array() ? &root : nullptr;
  if (root.is_object()) slides = Field(root, "slides");
  if (slides == nullptr || !slides->is_array()) return BadAnswer("no \"slides\" array");
  DraftDeck draft;
  try {
    for (size_t i = 0; i < slides->size(); ++i) {
      const json& js = (*slides)[i];
      const std::string where = "slide " + std::to_string(i + 1);
      if (!js.is_object()) return BadAnswer(where + " is not an object");
      DraftSlide slide;
      const json* title = Field(js, "title");
      if (title != nullptr && !title->is_string()) return BadAnswer(where + "'s title is not text");
      if (title != nullptr) slide.title = title->get<std::string>();
      if (const json* start = Field(js, "start_sentence")) slide.start_sentence = ToIndex(*start);
      const json* bullets = Field(js, "bullets");
      if (bullets != nullptr && !bullets->is_array()) {
        return BadAnswer(where + "'s bullets are not a list");
      }
      for (const json& jb : bullets ? *bullets : json::array()) {
        DraftBullet bullet;
        if (jb.is_string()) {
          bullet.text = jb.get<std::string>();
        } else if (jb.is_object()) {
          const json* text = Field(jb, "text");
          if (text != nullptr && text->is_string()) bullet.text = text->get<std::string>();
          if (const json* sentence = Field(jb, "sentence")) bullet.sentence = ToIndex(*sentence);
        } else {
          return BadAnswer(where + " has a bullet that is neither text nor an object");
        }
        slide.bullets.push_back(std::move(bullet));
      }
      draft.slides.push_back(std::move(slide));
    }
  } catch (const json::exception& e) {  // the parse boundary: no exception leaves it
    return BadAnswer(std::string("unexpected JSON shape: ") + e.what());
  }
  return draft;
}

Result<RepairedDeck> RepairDeck(const DraftDeck& draft, const Transcript& transcript,
                                double duration_s, const SummarizerParams& params) {
  const auto& sentences = transcript.segments;
  const int n = static_cast<int>(sentences.size());
  if (n == 0) return Status::InvalidInput("transcript has no sentences to summarise");
  if (draft.slides.empty()) return BadAnswer("no slides");

  RepairedDeck out;
  auto& repairs = out.repairs;
  std::vector<WorkSlide> slides;
  const std::set<std::string> unsure = UnsureWords(transcript);
  for (size_t i = 0; i < draft.slides.size(); ++i) {
    auto slide = CleanSlide(draft.slides[i], i + 1, n, params, unsure, repairs);
    if (!slide.ok()) return slide.status();
    slides.push_back(std::move(slide).value());
  }

  const auto by_start = [](const WorkSlide& a, const WorkSlide& b) { return a.start < b.start; };
  if (!std::is_sorted(slides.begin(), slides.end(), by_start)) {
    std::stable_sort(slides.begin(), slides.end(), by_start);
    repairs.push_back("slides put in time order");
  }

  // Slide 0 shows from the first frame; every later one from its sentence's onset.
  const auto start_s = [&](const std::vector<WorkSlide>& s, size_t i) {
    return i == 0 ? 0.0 : Onset(sentences[s[i].start]);
  };
  for (size_t i = 1; i < slides.size();) {
    const double gap_s = start_s(slides, i) - start_s(slides, i - 1);
    std::string why;
    if (slides[i].start == slides[i - 1].start) {
      why = "starts at the same sentence";
    } else if (duration_s > 0 && start_s(slides, i) >= duration_s) {
      why = "starts after the end of the video";
    } else if (gap_s < kMinLlmSlideSeconds) {
      why = "starts only " + Seconds(gap_s) + " after it";
    }
    if (why.empty()) {
      ++i;
      continue;
    }
    repairs.push_back(Quoted(slides[i].title) + " merged into " + Quoted(slides[i - 1].title) +
                      ": " + why);
    MergeInto(slides[i - 1], slides[i]);
    slides.erase(slides.begin() + static_cast<long>(i));
  }

  double end_s = std::max(duration_s, sentences.back().end_s);
  if (!sentences.back().words.empty()) end_s = std::max(end_s, sentences.back().words.back().end_s);
  const size_t max_slides = static_cast<size_t>(std::max(1, params.max_slides));
  if (slides.size() > max_slides) {
    repairs.push_back("too many slides (" + std::to_string(slides.size()) + ", at most " +
                      std::to_string(max_slides) + "): the shortest merged into the previous");
  }
  while (slides.size() > max_slides) {
    size_t shortest = 1;
    double shortest_s = INFINITY;
    for (size_t i = 1; i < slides.size(); ++i) {
      const double next_s = i + 1 < slides.size() ? start_s(slides, i + 1) : end_s;
      if (next_s - start_s(slides, i) < shortest_s) {
        shortest_s = next_s - start_s(slides, i);
        shortest = i;
      }
    }
    repairs.push_back(Quoted(slides[shortest].title) + " merged into " +
                      Quoted(slides[shortest - 1].title));
    MergeInto(slides[shortest - 1], slides[shortest]);
    slides.erase(slides.begin() + static_cast<long>(shortest));
  }

  const size_t max_bullets =
      static_cast<size_t>(std::clamp(params.max_bullets_per_slide, 0, kMaxBulletsLoadable));
  out.deck.template_name = params.template_name;
  for (size_t i = 0; i < slides.size(); ++i) {
    WorkSlide& w = slides[i];
    if (w.bullets.size() > max_bullets) {
      repairs.push_back(Quoted(w.title) + ": " + std::to_string(w.bullets.size()) +
                        " bullets; kept the first " + std::to_string(max_bullets));
      w.bullets.resize(max_bullets);
      w.bullet_sentences.resize(max_bullets);
    }
    Slide slide;
    slide.index = static_cast<int>(i);
    slide.title = w.title;
    slide.bullets = w.bullets;
    for (const int s : w.bullet_sentences) {
      const Segment& seg = sentences[s];
      BulletSource src;
      src.segment = s;
      src.first_word = 0;
      src.last_word = static_cast<int>(seg.words.size()) - 1;  // -1: a sentence without words
      src.start_s = Onset(seg);
      src.end_s = seg.words.empty() ? seg.end_s : seg.words.back().end_s;
      slide.sources.push_back(src);
    }
    slide.start_s = start_s(slides, i);
    slide.end_s = i + 1 < slides.size() ? start_s(slides, i + 1) : end_s;
    out.deck.slides.push_back(std::move(slide));
  }
  return out;
}

}  // namespace presgen
