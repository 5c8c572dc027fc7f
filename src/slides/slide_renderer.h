// Native slide renderer: Cairo + Pango, fonts from fonts-inter ("Sans" if missing).
//
// Each slide is laid out the same way for images and PDF pages (slide_painter.h): title at
// the top of a safe area (margins 7% of the width), an accent bar, then the bullets; sizes
// shrink until the text fits, never below 28 px body text per 720 px of height; text that
// still does not fit is cut with an ellipsis. A slide with a subtitle is a title slide
// (title and subtitle centred vertically). Deck text may be any UTF-8 (invalid bytes are
// replaced); characters outside the slide font (CJK, Hangul, ...) come from fontconfig's
// fallback fonts. The template comes from the params; Deck::template_name is not read here.
// Slide::sources is not drawn.
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
  // Replaces the template's accent (bar under the title, bullet dots): "#RRGGBB" or
  // "RRGGBB"; empty keeps the template's. A colour with a WCAG contrast below
  // kMinAccentContrast (slide_theme.h) against the background still colours the bar, but
  // the bullet dots are then drawn in the body text colour.
  std::string brand_color;
  // A PNG drawn on every slide, scaled to fit 12% x 7% of the slide (aspect kept), in the
  // bottom margin on the left, outside the text's safe area. Read once per call. Empty: none.
  std::string logo_path;
};

inline SlideRenderParams DefaultSlideRenderParams() { return {}; }

// Where the text of one rendered slide landed, for layout checks. Pixels, page coordinates.
struct SlideLayoutReport {
  Box safe_area;  // the area text must stay inside
  // Ink extents: [0] the title (an empty box at the safe area's corner if the slide has no
  // title), then the subtitle if one was drawn, then one per bullet drawn (bullet glyph
  // included). Bullets cut away entirely have no box; `ellipsized` is then set.
  std::vector<Box> text_boxes;
  Box accent_bar;           // the bar under the title (empty without a title)
  Box counter_box;          // the "n / N" counter's ink, in the bottom margin (empty: one slide)
  Box logo_box;             // where the logo was drawn, in the bottom margin (empty: no logo)
  double min_font_px = 0;   // smallest title/subtitle/bullet font size used (0 if no text);
                            // the slide counter is not counted
  bool ellipsized = false;  // text had to be cut to fit
  int unknown_glyphs = 0;   // characters no installed font has (drawn as hex boxes)
};

// Renders each slide of the deck to an opaque BGRA image (alpha 255) of params' size; an
// empty deck gives no images. If `layout` is non-null it gets one report per slide.
// Errors: kInvalidInput for an unknown template, a size outside 16..16384 px, a malformed
// brand colour, or a logo that cannot be read as a PNG (the message names the value or
// file); kInternal if Cairo fails (out of memory).
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
