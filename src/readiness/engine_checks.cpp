// The engine checks: speech (Whisper, PocketSphinx), faces, slides (fonts, Chromium), LLM.
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "asr/engine_select.h"
#include "core/sys.h"
#include "core/types.h"
#include "deck/llm_summarizer.h"
#include "face/face_detector.h"
#include "face/schematic_face.h"
#include "readiness/checks.h"
#include "slides/html_slide_renderer.h"
#include "slides/slide_renderer.h"

namespace presgen::readiness {
namespace {

// One second of a voice-like sound: a falling tone with a few harmonics.
PcmAudio GeneratedSecond() {
  PcmAudio audio;
  audio.sample_rate = 16000;
  audio.samples.resize(16000);
  for (size_t i = 0; i < audio.samples.size(); ++i) {
    const double t = static_cast<double>(i) / audio.sample_rate;
    const double f = 220 - 60 * t;
    audio.samples[i] = static_cast<float>(
        0.2 * (std::sin(2 * M_PI * f * t) + 0.5 * std::sin(4 * M_PI * f * t) +
               0.25 * std::sin(6 * M_PI * f * t)));
  }
  return audio;
}

std::string Seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f s", s);
  return buf;
}

Deck OneSlideDeck() {
  Deck deck;
  Slide slide;
  slide.title = "Ready for the demo";
  slide.bullets = {"Slides render"};
  deck.slides.push_back(slide);
  return deck;
}

}  // namespace

ReadinessCheck CheckWhisperModel(const ReadinessParams& params) {
  ReadinessCheck c;
  c.name = "whisper_model";
  std::vector<std::string> searched;
  const std::string model = FindWhisperModel(params.asr_model, &searched);
  const bool named = !params.asr_model.empty();
  c.severity = named ? CheckSeverity::kRequired : CheckSeverity::kWarning;
  if (model.empty() || !std::filesystem::exists(model)) {
    std::string where;
    for (const auto& s : searched) where += (where.empty() ? "" : ", ") + s;
    c.detail = (named ? params.asr_model + " does not exist" : "no Whisper model (looked at " + where + ")") +
               "; fix: scripts/fetch-model.sh base.en, or --asr-model PATH. PocketSphinx is "
               "used meanwhile";
    return c;
  }
  AsrRequest request;
  request.engine = AsrEngine::kWhisper;
  request.whisper_model = model;
  Stopwatch load;
  auto engine = CreateTranscriber(request);
  if (!engine.ok()) {
    c.detail = model + ": " + engine.status().message();
    return c;
  }
  const double load_s = load.ElapsedSeconds();
  Stopwatch run;
  TranscribeParams tp;
  tp.n_threads = AvailableCores();
  auto text = engine->transcriber->Transcribe(GeneratedSecond(), tp, {});
  if (!text.ok()) {
    c.detail = model + ": transcribing a generated second failed: " + text.status().message();
    return c;
  }
  c.ok = true;
  c.detail = model + " loaded in " + Seconds(load_s) + ", transcribed 1 s of generated audio in " +
             Seconds(run.ElapsedSeconds());
  return c;
}

ReadinessCheck CheckPocketSphinx() {
  ReadinessCheck c;
  c.name = "pocketsphinx";
  auto engine = CreateFallbackTranscriber();
  if (!engine.ok()) {
    c.detail = engine.status().message() + " (install pocketsphinx-en-us)";
    return c;
  }
  Stopwatch run;
  auto text = (*engine)->Transcribe(GeneratedSecond(), TranscribeParams{}, {});
  if (!text.ok()) {
    c.detail = "transcribing a generated second failed: " + text.status().message();
    return c;
  }
  c.ok = true;
  c.detail = "en-us model loaded, transcribed 1 s of generated audio in " + Seconds(run.ElapsedSeconds());
  return c;
}

ReadinessCheck CheckFaceDetection() {
  ReadinessCheck c;
  c.name = "face_detection";
  c.severity = CheckSeverity::kRequired;  // without it every video is centre-cropped
  auto detector = FaceDetector::Create();
  if (!detector.ok()) {
    c.detail = detector.status().message();
    return c;
  }
  const SchematicFace face = DrawSchematicFace(360);
  const auto found = detector->Detect(face.gray.data(), face.size, face.size);
  for (const Box& b : found) {
    if (std::abs(b.cx() - face.face.cx()) < face.face.w / 2 &&
        std::abs(b.cy() - face.face.cy()) < face.face.h / 2) {
      c.ok = true;
      c.detail = detector->name() + " found the test face";
      return c;
    }
  }
  c.detail = detector->name() + " loaded but found no face in the test image (" +
             std::to_string(found.size()) + " elsewhere): the cascade file may be the wrong one";
  return c;
}

ReadinessCheck CheckSlideFonts() {
  ReadinessCheck c;
  c.name = "slide_fonts";
  SlideRenderParams params;
  params.width = 320;
  params.height = 360;
  std::vector<SlideLayoutReport> layout;
  auto images = RenderSlides(OneSlideDeck(), params, &layout);
  if (!images.ok()) {
    c.detail = images.status().message();
    return c;
  }
  if (layout.empty() || layout[0].unknown_glyphs > 0) {
    c.detail = "the slide fonts are missing (install fonts-inter)";
    return c;
  }
  c.ok = true;
  c.detail = "cairo-pango drew a slide";
  return c;
}

ReadinessCheck CheckChromium() {
  ReadinessCheck c;
  c.name = "chromium";
  c.severity = CheckSeverity::kWarning;  // the native renderer is the default
  ScratchDir dir;
  if (!dir.ok()) {
    c.detail = dir.error();
    return c;
  }
  std::ofstream(dir.path() + "/slide.css") << "section { background: #fff; font: 40px sans-serif; }\n";
  HtmlSlideParams hp;
  hp.width = 320;
  hp.height = 180;
  hp.template_dir = dir.path();
  hp.work_dir = dir.path() + "/work";
  auto images = RenderSlidesHtml(OneSlideDeck(), hp);
  if (!images.ok()) {
    c.detail = images.status().message() +
               "; --slides-renderer html falls back to the native renderer (the default)";
    return c;
  }
  c.ok = true;
  c.detail = "headless Chromium rendered a slide (--slides-renderer html works)";
  return c;
}

ReadinessCheck CheckLlm(const ReadinessParams& params) {
  ReadinessCheck c;
  c.name = "llm";
  c.severity = CheckSeverity::kRequired;  // asked for: it must answer before a demo
  if (params.llm_model.empty()) {
    c.detail = "--llm-url needs --llm-model";
    return c;
  }
  Transcript t;
  t.duration_s = 12;
  t.engine = "doctor";
  const char* lines[] = {"We help small shops sell online.", "Our first customers doubled their sales.",
                         "We are raising one million dollars."};
  double at = 0;
  for (const char* text : lines) {
    Segment s;
    s.text = text;
    s.start_s = at;
    s.end_s = at + 4;
    std::istringstream words(text);
    std::string w;
    for (double wt = at; words >> w; wt += 0.5) s.words.push_back({wt, wt + 0.4, w, 1.0});
    at += 4;
    t.segments.push_back(s);
  }
  SummarizerParams sp;
  sp.max_slides = 3;
  sp.min_slides = 1;
  LlmParams lp;
  lp.base_url = params.llm_url;
  lp.model = params.llm_model;
  lp.api_key = params.llm_api_key;
  lp.timeout_ms = params.llm_timeout_ms;
  lp.max_output_tokens = 400;
  auto deck = SummarizeWithLlm(t, t.duration_s, sp, lp);
  if (!deck.ok()) {
    c.detail = deck.status().message() + "; jobs asking for the LLM use the extractive summariser";
    return c;
  }
  c.ok = true;
  c.detail = params.llm_url + " (" + deck->model + ") answered a " + std::to_string(deck->prompt_tokens) +
             "-token request with " + std::to_string(deck->deck.slides.size()) + " slides";
  return c;
}

}  // namespace presgen::readiness
