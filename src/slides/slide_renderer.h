// Native slide renderer: Cairo + Pango, fonts from fonts-inter ("Sans" if missing).
//
// Each slide is laid out the same way for images and PDF pages (slide_painter.h): title at
// the top of a safe area (margins 7% of the width), an accent bar, then the bullets; sizes
// shrink until the text fits, never below 28 px body text per 720 px of height; text that
// still does not fit is cut with an ellipsis. Deck text may be any UTF-8 (invalid bytes are
// replaced). The template comes from the params; Deck::template_name is not read here.
//
// Thread-safety: the functions may run on any thread; calls share no mutable state
// (Pango's font map is per thread).
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "core/types.h"

namespace presgen {

struct SlideRenderParams {
  int width = 640;   // pixels (16..16384); the right half of the output frame
  int height = 720;  // pixels (16..16384)
  std::string template_name = "professional_minimal";  // also: "dark", "bold"
};

inline SlideRenderParams DefaultSlideRenderParams() { return {}; }

// Where the text of one rendered slide landed, for layout checks. Pixels, page coordinates.
struct SlideLayoutReport {
  Box safe_area;  // the area text must stay inside
  // Ink extents: [0] the title (an empty box at the safe area's corner if the slide has no
  // title), then one per bullet drawn (bullet glyph included). Bullets cut away entirely
  // have no box; `ellipsized` is then set.
  std::vector<Box> text_boxes;
  double min_font_px = 0;   // smallest title/bullet font size used (0 if no text); the
                            // slide counter is not counted
  bool ellipsized = false;  // text had to be cut to fit
};

// Renders each slide of the deck to an opaque BGRA image (alpha 255) of params' size; an
// empty deck gives no images. If `layout` is non-null it gets one report per slide.
// Errors: kInvalidInput for an unknown template or a size outside 16..16384 px;
// kInternal if Cairo fails (out of memory).
Result<std::vector<BgraImage>> RenderSlides(const Deck& deck, const SlideRenderParams& params,
                                            std::vector<SlideLayoutReport>* layout = nullptr);

// Writes dir/NN.png (01.png, 02.png, ...) for the rendered slides, creating `dir` if
// needed. Each file is written to a temporary name and renamed, so readers never see a
// partial PNG. NN.png files beyond the deck's length (an older, longer render) are removed.
// Errors: kInvalidInput if an image's pixel buffer does not match its size; kInternal if
// the folder or a file cannot be written.
Status WriteSlidePngs(const std::vector<BgraImage>& slides, const std::string& dir);

// Writes a vector PDF with one page per slide (one point per slide pixel, same layout as
// RenderSlides), creating the parent folder if needed. Written to `path`.tmp and renamed:
// on failure `path` is left as it was.
// Errors: kInvalidInput for an empty deck or bad params (as RenderSlides); kInternal if the
// file cannot be written.
Status WriteDeckPdf(const Deck& deck, const SlideRenderParams& params, const std::string& path);

}  // namespace presgen
