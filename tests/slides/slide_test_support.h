// Shared fixtures and checks for the slide tests: decks, pixel probes, layout assertions and
// a logo PNG drawn with Cairo (no binary is committed).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/types.h"
#include "slides/slide_renderer.h"
#include "slides/slide_theme.h"

namespace presgen::slides_test {

namespace fs = std::filesystem;

Slide MakeSlide(std::string title, std::vector<std::string> bullets, double start_s = 0,
                double end_s = 10, std::string subtitle = "");
Deck PitchDeck();  // four content slides
Deck OneSlide(std::string title, std::vector<std::string> bullets, std::string subtitle = "");
Deck LongBulletsDeck();

SlideRenderParams Params(const std::string& template_name, int width = 640, int height = 720);

// B, G, R of an opaque colour, as the renderer writes it.
struct Bgr {
  int b, g, r;
};
Bgr ToBgr(const Rgb& c);
Bgr PixelAt(const BgraImage& img, int x, int y);
bool Near(const Bgr& a, const Bgr& b, int tol);

bool Overlap(const Box& a, const Box& b);
void ExpectInside(const Box& inner, const Box& outer, const std::string& what);
// Every text box inside the safe area, none overlapping another; the counter and logo
// boxes (when present) inside the page, below the safe area and clear of each other.
void ExpectCleanLayout(const SlideLayoutReport& report, const std::string& what,
                       double page_w = 640, double page_h = 720);

// Pixels inside `box` that differ clearly from `background`.
int InkPixels(const BgraImage& img, const Box& box, const Bgr& background);
// Pixels inside `box` within `tol` of `colour` on every channel.
int PixelsNear(const BgraImage& img, const Box& box, const Bgr& colour, int tol);

std::string ReadFile(const fs::path& path);

// The test logo's colours: an opaque rounded badge on a transparent background.
inline constexpr uint32_t kLogoFillHex = 0x0EA5E9;
// Writes a w x h logo PNG into `dir` (created if needed) and returns its path.
std::string WriteTestLogo(const fs::path& dir, int w = 160, int h = 64);

// A fresh, empty folder for one test, removed afterwards.
class SlideFilesTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
  fs::path dir_;
};

}  // namespace presgen::slides_test
