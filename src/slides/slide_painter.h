// Lays out and paints one slide onto a Cairo context: the auto-fit and drawing code shared
// by the image renderer and the PDF writer (so a slide looks the same in both).
//
// Layout: a safe area inset from every edge; the title (bold, at most three lines) at its
// top, a short accent bar under it, then the bullets (accent dot, hanging indent). Sizes
// start large and shrink together until everything fits; the body never goes below
// 28 px per 720 px of page height. If the text still does not fit at the minimum sizes,
// the last bullet that fits is cut with an ellipsis and the rest are dropped. A small
// "n / N" counter sits in the bottom margin, right-aligned; the logo, if any, in the same
// margin on the left (slide_logo.h). Both stay outside the safe area.
//
// Slide kinds: a slide with a subtitle is a title slide (larger title, the accent bar, the
// subtitle below it in the body colour, at most three lines, all centred vertically); a
// slide without bullets or subtitle is a section slide (larger title and bar, centred).
//
// Font options are fixed (unhinted metrics, unrounded glyph positions), so the layout
// depends only on the page size and the text, not on the Cairo surface type.
#pragma once

#include <cairo.h>

#include "core/status.h"
#include "core/types.h"
#include "slides/cairo_ptr.h"
#include "slides/slide_renderer.h"
#include "slides/slide_theme.h"

namespace presgen {

struct SlidePage {
  double width = 0;  // user units: pixels on image surfaces, points on PDF surfaces
  double height = 0;
  int number = 1;  // 1-based position in the deck, for the counter
  int count = 1;   // slides in the deck
};

// What every slide of a deck shares: loaded once per deck.
struct SlideStyle {
  SlideTheme theme;      // colours (accent possibly a brand colour) and fonts
  CairoSurfacePtr logo;  // decoded logo image, or null for none
};

// The area text is kept inside, for a page of the given size.
Box SlideSafeArea(double width, double height);

// Paints `slide` over the whole page at the context's current transform (expected to be
// the identity, one user unit per page unit). `cr` and `style` are borrowed; a style (its
// logo surface) must not be painted from two threads at once. Fills *report if non-null.
// Errors: kInternal when Cairo reports a failure on `cr`.
Status PaintSlide(cairo_t* cr, const Slide& slide, const SlideStyle& style, const SlidePage& page,
                  SlideLayoutReport* report);

}  // namespace presgen
