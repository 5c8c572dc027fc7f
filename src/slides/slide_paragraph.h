// One paragraph of slide text, laid out by Pango and placed on the page: the building block
// of slide_painter.cpp. Internal to src/slides.
//
// Glyphs come from the requested family first; characters it lacks (CJK, Hangul, ...) are
// taken from whatever fontconfig offers for them (fonts-wqy-microhei on Debian). What no
// installed font has is drawn as a hex box and counted by TextBlock::UnknownGlyphs().
#pragma once

#include <cairo.h>
#include <pango/pango.h>

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/types.h"
#include "slides/cairo_ptr.h"
#include "slides/slide_text.h"

namespace presgen {

// Pixels -> Pango units, at least 1.
double ToPango(double px);

// How a wrapped paragraph's line breaks are chosen.
enum class Balance {
  kNone,     // greedy: fill each line
  kOrphans,  // narrow the paragraph when its last line would be very short
  kAlways,   // narrow the paragraph as far as it keeps its line count (headlines)
};

struct FontSpec {
  std::string family;
  PangoWeight weight = PANGO_WEIGHT_NORMAL;
  double px = 0;
  double line_spacing = 1.0;  // multiple of the font's ascent + descent
  double tracking_em = 0;     // letter spacing
  Balance balance = Balance::kNone;
};

// A laid-out paragraph placed on the page.
struct TextBlock {
  PangoLayoutPtr layout;
  double x = 0, y = 0;  // layout origin on the page
  PangoRectangle ink{}, logical{};

  void Measure() { pango_layout_get_pixel_extents(layout.get(), &ink, &logical); }
  // The union of ink and logical extents, relative to the origin: what must fit.
  double Top() const { return std::min(ink.y, logical.y); }
  double Bottom() const { return std::max(ink.y + ink.height, logical.y + logical.height); }
  double Height() const { return Bottom() - Top(); }
  Box InkBox() const {
    return {x + ink.x, y + ink.y, static_cast<double>(ink.width), static_cast<double>(ink.height)};
  }
  double FirstBaseline() const {
    return y + pango_layout_get_baseline(layout.get()) / static_cast<double>(PANGO_SCALE);
  }
  bool Ellipsized() const { return pango_layout_is_ellipsized(layout.get()); }
  // Characters no installed font could draw (shown as hex boxes).
  int UnknownGlyphs() const { return pango_layout_get_unknown_glyphs_count(layout.get()); }
};

// A Pango context for `cr` with fixed font options (unhinted metrics, unrounded glyph
// positions), so that image and PDF surfaces lay text out identically.
PangoContextPtr MakeSlidePangoContext(cairo_t* cr);

// Lays `text` out in `spec`, wrapped to `width` px less a small ink pad on each side (glyph
// overhang stays inside), starting at x; y is left 0 for the caller to place.
// pango_height: 0 for no limit, negative for a line count, positive for Pango units (the
// text is then ellipsized by Pango, mid-word if need be).
TextBlock MakeTextBlock(PangoContext* ctx, const std::string& text, const FontSpec& spec, double x,
                        double width, int pango_height);

// The ink pad MakeTextBlock keeps on each side of a paragraph, for a font of `px` pixels.
double InkPadPx(double px);

// The longest whole-word prefix of `text` (plus ellipsis, see EllipsizedWordPrefixes) for
// which fits(make(prefix)) holds, into *block; false if not even the first word fits.
// Fitting must be monotonic in the prefix length (it is binary-searched).
template <typename Make, typename Fits>
bool LongestFittingPrefix(const std::string& text, Make make, Fits fits, TextBlock* block) {
  const std::vector<std::string> prefixes = EllipsizedWordPrefixes(text);
  size_t lo = 0, hi = prefixes.size();  // answer in [lo, hi): count of fitting prefixes
  std::optional<TextBlock> best;
  while (lo < hi) {
    const size_t mid = (lo + hi) / 2;
    TextBlock candidate = make(prefixes[mid]);
    if (fits(candidate)) {
      best = std::move(candidate);
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (!best) return false;
  *block = std::move(*best);
  return true;
}

}  // namespace presgen
