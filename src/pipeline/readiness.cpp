#include "pipeline/readiness.h"

#include "asr/engine_select.h"
#include "face/face_detector.h"
#include "media/mp4_writer.h"
#include "slides/slide_renderer.h"

namespace presgen {
namespace {

ReadinessCheck CheckAsr() {
  std::vector<std::string> searched;
  const std::string whisper = FindWhisperModel("", &searched);
  auto fallback = CreateFallbackTranscriber();
  if (!fallback.ok()) return {"asr", false, fallback.status().message()};
  if (!whisper.empty()) return {"asr", true, "whisper model " + whisper + "; pocketsphinx"};
  return {"asr", true, "pocketsphinx (no Whisper model found: run scripts/fetch-model.sh)"};
}

ReadinessCheck CheckFace() {
  auto detector = FaceDetector::Create();
  if (!detector.ok()) return {"face", false, detector.status().message()};
  return {"face", true, "opencv cascade"};
}

ReadinessCheck CheckSlides() {
  Deck deck;
  Slide slide;
  slide.title = "Ready";
  slide.bullets = {"Slides render"};
  deck.slides.push_back(slide);
  SlideRenderParams params;
  params.width = 320;
  params.height = 360;
  std::vector<SlideLayoutReport> layout;
  auto images = RenderSlides(deck, params, &layout);
  if (!images.ok()) return {"slides", false, images.status().message()};
  if (layout.empty() || layout[0].unknown_glyphs > 0) {
    return {"slides", false, "the slide fonts are missing (install fonts-inter)"};
  }
  return {"slides", true, "cairo-pango"};
}

ReadinessCheck CheckEncoder() {
  Status st = CheckEncoders();
  if (!st.ok()) return {"encoder", false, st.message()};
  return {"encoder", true, "libx264 + aac"};
}

}  // namespace

std::vector<ReadinessCheck> CheckEngines() {
  return {CheckAsr(), CheckFace(), CheckSlides(), CheckEncoder()};
}

}  // namespace presgen
