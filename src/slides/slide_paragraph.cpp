#include "slides/slide_paragraph.h"

#include <pango/pangocairo.h>

#include <cmath>

namespace presgen {
namespace {

// Keeps glyph overhang (ink left of the pen or right of the advance) inside the safe area.
constexpr double kInkPadEm = 0.04;

// Balanced wrapping: binary-search steps, and what counts as an orphaned last line.
constexpr int kBalanceSteps = 8;
constexpr double kOrphanLineFrac = 0.45;
constexpr int kBalanceMaxLines = 4;  // longer paragraphs gain little and cost layouts

// Narrows a wrapped paragraph to the smallest width that keeps its line count, so lines
// come out of similar length instead of leaving one word alone on the last line.
void Rebalance(PangoLayout* layout, Balance balance, int wrap_width) {
  const int lines = pango_layout_get_line_count(layout);
  if (balance == Balance::kNone || lines < 2 || lines > kBalanceMaxLines ||
      pango_layout_is_ellipsized(layout)) {
    return;
  }
  if (balance == Balance::kOrphans) {
    PangoRectangle last{};
    pango_layout_line_get_extents(pango_layout_get_line_readonly(layout, lines - 1), nullptr,
                                  &last);
    if (last.width >= kOrphanLineFrac * wrap_width) return;
  }
  int lo = wrap_width / 2, hi = wrap_width;  // hi always keeps the line count
  for (int step = 0; step < kBalanceSteps && hi - lo > PANGO_SCALE; ++step) {
    const int mid = (lo + hi) / 2;
    pango_layout_set_width(layout, mid);
    if (pango_layout_get_line_count(layout) == lines && !pango_layout_is_ellipsized(layout)) {
      hi = mid;
    } else {
      lo = mid;
    }
  }
  pango_layout_set_width(layout, hi);
}

}  // namespace

double ToPango(double px) { return std::max(1.0, std::round(px * PANGO_SCALE)); }

double InkPadPx(double px) { return kInkPadEm * px; }

PangoContextPtr MakeSlidePangoContext(cairo_t* cr) {
  PangoContextPtr ctx(pango_cairo_create_context(cr));
  CairoFontOptionsPtr options(cairo_font_options_create());
  cairo_font_options_set_hint_metrics(options.get(), CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(options.get(), CAIRO_HINT_STYLE_SLIGHT);
  cairo_font_options_set_antialias(options.get(), CAIRO_ANTIALIAS_GRAY);
  pango_cairo_context_set_font_options(ctx.get(), options.get());
  pango_context_set_round_glyph_positions(ctx.get(), FALSE);
  return ctx;
}

TextBlock MakeTextBlock(PangoContext* ctx, const std::string& text, const FontSpec& spec, double x,
                        double width, int pango_height) {
  TextBlock block;
  block.layout.reset(pango_layout_new(ctx));
  PangoLayout* layout = block.layout.get();
  PangoFontDescriptionPtr desc(pango_font_description_new());
  pango_font_description_set_family(desc.get(), spec.family.c_str());
  pango_font_description_set_weight(desc.get(), spec.weight);
  pango_font_description_set_absolute_size(desc.get(), ToPango(spec.px));
  pango_layout_set_font_description(layout, desc.get());
  const double pad = InkPadPx(spec.px);
  const int wrap_width = static_cast<int>(ToPango(width - 2 * pad));
  pango_layout_set_width(layout, wrap_width);
  // Words first; CJK text has break opportunities between ideographs, so it wraps anywhere.
  pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_line_spacing(layout, static_cast<float>(spec.line_spacing));
  if (pango_height != 0) {
    pango_layout_set_height(layout, pango_height);
    pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END);
  }
  if (spec.tracking_em != 0) {
    PangoAttrListPtr attrs(pango_attr_list_new());
    pango_attr_list_insert(attrs.get(), pango_attr_letter_spacing_new(static_cast<int>(std::lround(
                                            spec.tracking_em * spec.px * PANGO_SCALE))));
    pango_layout_set_attributes(layout, attrs.get());
  }
  pango_layout_set_text(layout, text.data(), static_cast<int>(text.size()));
  Rebalance(layout, spec.balance, wrap_width);
  block.Measure();
  block.x = x + pad;
  return block;
}

}  // namespace presgen
