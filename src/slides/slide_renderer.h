// Native slide renderer: Cairo + Pango, fonts from fonts-inter.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "core/types.h"

namespace presgen {

struct SlideRenderParams {
  int width = 640;    // pixels; the right half of the output frame
  int height = 720;
  std::string template_name = "professional_minimal";  // also: "dark", "bold"
};

inline SlideRenderParams DefaultSlideRenderParams() { return {}; }

// Where the text of one rendered slide landed, for layout checks.
struct SlideLayoutReport {
  Box safe_area;               // the area text must stay inside
  std::vector<Box> text_boxes; // ink extents of title and each bullet
  double min_font_px = 0;      // smallest font size used
  bool ellipsized = false;     // text had to be cut to fit
};

// Renders each slide of the deck to an opaque BGRA image of params' size.
// Errors: kInvalidInput for unknown template or non-positive size.
Result<std::vector<BgraImage>> RenderSlides(const Deck& deck, const SlideRenderParams& params,
                                            std::vector<SlideLayoutReport>* layout = nullptr);

// Writes dir/NN.png (01.png, 02.png, ...) for the rendered slides.
Status WriteSlidePngs(const std::vector<BgraImage>& slides, const std::string& dir);

// Writes a vector PDF with one page per slide.
Status WriteDeckPdf(const Deck& deck, const SlideRenderParams& params, const std::string& path);

}  // namespace presgen
