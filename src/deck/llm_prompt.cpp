#include "deck/llm_prompt.h"

#include <algorithm>
#include <cstdio>

#include "deck/text_tools.h"

namespace presgen {

using nlohmann::json;

std::string LlmSystemPrompt(const SummarizerParams& params) {
  const int max_slides = std::max(1, params.max_slides);
  const int min_slides = std::clamp(params.min_slides, 1, max_slides);
  const std::string slides = min_slides == max_slides
                                 ? std::to_string(max_slides)
                                 : std::to_string(min_slides) + " to " + std::to_string(max_slides);
  const int max_bullets = std::max(1, params.max_bullets_per_slide);
  std::string p =
      "You turn the transcript of a startup founder's pitch video into the slides a venture "
      "capital investor sees next to the speaker. Each slide appears on screen when the "
      "speaker starts talking about its point.\n"
      "The user message lists the transcript's sentences, one per line: [sentence number] "
      "start time: text. The speech recogniser was unsure of the words it put in braces, "
      "{like this}: they may be wrong.\n"
      "Rules:\n";
  p += "- Make " + slides +
       " slides (fewer only for a very short talk), one per point of the pitch (for "
       "example: company and speaker, problem, solution, traction, market, business model, "
       "team, the ask), in the order the points are spoken.\n";
  p += "- start_sentence is the number of the sentence where the slide's point begins. The "
       "first slide starts at sentence 0; every later slide starts at a higher sentence than "
       "the slide before it.\n";
  p += "- title: at most " + std::to_string(params.max_title_words) +
       " words, no final punctuation. The first slide's title is the company or product "
       "name when it is said.\n";
  p += "- bullets: 1 to " + std::to_string(max_bullets) + " per slide, each at most " +
       std::to_string(params.max_bullet_words) +
       " words: a short phrase, not a full sentence. sentence is the number of the "
       "sentence the bullet comes from.\n";
  p += "- Only facts the speaker said; never invent numbers, names or claims. Never put a "
       "word that is in braces on a slide: leave out that part of the sentence, or the "
       "sentence.\n"
       "- Write numbers as figures: \"40%\", \"$2M\", \"$99\", \"12 restaurants\".\n"
       "- No filler (\"so\", \"um\", \"basically\", \"we think\"), no greetings or thanks.\n"
       "Answer with JSON that matches the schema, nothing else.";
  return p;
}

// The sentence's text with the words the engine was unsure of in braces: "{englund}".
std::string MarkedText(const Segment& s) {
  std::vector<std::string> tokens = SplitTokens(s.text);
  if (tokens.size() == s.words.size()) {
    for (size_t i = 0; i < tokens.size(); ++i)
      if (s.words[i].confidence < kLlmUnsureBelow) tokens[i] = "{" + tokens[i] + "}";
  }
  std::string text = JoinTokens(tokens);
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text;
}

std::string LlmSentenceList(const Transcript& transcript) {
  std::string out;
  for (size_t i = 0; i < transcript.segments.size(); ++i) {
    const Segment& s = transcript.segments[i];
    if (s.text.find_first_not_of(" \t\r\n") == std::string::npos) continue;
    const double onset_s = s.words.empty() ? s.start_s : s.words.front().start_s;
    char head[48];
    std::snprintf(head, sizeof head, "[%zu] %.2f s: ", i, onset_s);
    out += head + MarkedText(s) + "\n";
  }
  return out;
}

json LlmDeckSchema() {
  const json bullet = {
      {"type", "object"},
      {"properties", {{"text", {{"type", "string"}}}, {"sentence", {{"type", "integer"}}}}},
      {"required", {"text", "sentence"}},
      {"additionalProperties", false}};
  const json slide = {{"type", "object"},
                      {"properties",
                       {{"title", {{"type", "string"}}},
                        {"start_sentence", {{"type", "integer"}}},
                        {"bullets", {{"type", "array"}, {"items", bullet}}}}},
                      {"required", {"title", "start_sentence", "bullets"}},
                      {"additionalProperties", false}};
  return {{"type", "object"},
          {"properties", {{"slides", {{"type", "array"}, {"items", slide}}}}},
          {"required", {"slides"}},
          {"additionalProperties", false}};
}

json BuildLlmDeckRequest(const Transcript& transcript, double duration_s,
                         const SummarizerParams& params, const std::string& model,
                         int max_output_tokens) {
  char intro[160];
  std::snprintf(intro, sizeof intro, "Pitch transcript: %zu sentences, %.1f s of video.\n\n",
                transcript.segments.size(), duration_s);
  return {{"model", model},
          {"messages",
           {{{"role", "system"}, {"content", LlmSystemPrompt(params)}},
            {{"role", "user"}, {"content", intro + LlmSentenceList(transcript)}}}},
          {"temperature", 0.2},
          {"max_tokens", max_output_tokens},
          {"response_format",
           {{"type", "json_schema"},
            {"json_schema", {{"name", "deck"}, {"strict", true}, {"schema", LlmDeckSchema()}}}}}};
}

int EstimatePromptTokens(const json& request) {
  size_t bytes = 0;
  int messages = 0;
  if (const auto it = request.find("messages"); it != request.end() && it->is_array()) {
    for (const auto& m : *it) {
      ++messages;
      if (const auto c = m.find("content"); c != m.end() && c->is_string()) {
        bytes += c->get_ref<const std::string&>().size();
      }
    }
  }
  if (const auto rf = request.find("response_format"); rf != request.end()) {
    bytes += rf->dump().size();
  }
  return static_cast<int>((bytes + 3) / 4) + 8 * messages + 24;
}

}  // namespace presgen
