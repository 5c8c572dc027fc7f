#include "slides/slide_painter.h"

#include <pango/pangocairo.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "slides/cairo_ptr.h"
#include "slides/slide_text.h"

namespace presgen {
namespace {

// Margins as fractions of the page; the bottom one also holds the counter.
constexpr double kMarginXFrac = 0.07;
constexpr double kMarginTopFrac = 0.085;
constexpr double kMarginBottomFrac = 0.11;

// Font sizes in pixels per 720 px of page height.
constexpr double kReferenceHeight = 720.0;
constexpr double kTitleStartPx = 54;
constexpr double kTitleOnlyStartPx = 64;  // a slide without bullets is a section slide
constexpr double kTitleMinPx = 38;
constexpr double kBodyStartPx = 34;
constexpr double kBodyMinPx = 28;
constexpr double kCounterPx = 15;
constexpr double kShrinkStep = 0.95;
constexpr int kTitleMaxLines = 3;

// Line heights as multiples of the font's ascent + descent (about 1.2 em for Inter).
constexpr double kTitleLineSpacing = 0.92;
constexpr double kBodyLineSpacing = 1.08;
constexpr double kTitleTrackingEm = -0.015;  // display sizes read better slightly tighter
constexpr double kBodyTrackingEm = -0.01;

// Vertical rhythm and bullet geometry, in body font sizes.
constexpr double kTitleToBar = 0.55;
constexpr double kBarToBody = 0.95;
constexpr double kBulletGap = 0.6;
constexpr double kBulletIndent = 1.05;
constexpr double kDotRadius = 0.15;
constexpr double kDotAboveBaseline = 0.36;  // the dot's centre sits at mid x-height

// Accent bar, in pixels per 720 px of height.
constexpr double kBarWidthPx = 56;
constexpr double kBarHeightPx = 6;

// Keeps glyph overhang (ink left of the pen or right of the advance) inside the safe area.
constexpr double kInkPadEm = 0.04;

constexpr int kEllipsisCutRetries = 3;
// Narrower than any Latin glyph advance in Inter or DejaVu Sans ('i', 'l', '.'): bounds how
// many characters could ever fit.
constexpr double kNarrowestGlyphEm = 0.2;

// Balanced wrapping: binary-search steps, and what counts as an orphaned last line.
constexpr int kBalanceSteps = 8;
constexpr double kOrphanLineFrac = 0.45;
constexpr int kBalanceMaxLines = 4;  // longer paragraphs gain little and cost layouts

double ToPango(double px) { return std::max(1.0, std::round(px * PANGO_SCALE)); }

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
  double line_spacing = 1.0;
  double tracking_em = 0;
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
};

struct BulletBlock {
  TextBlock text;
  double dot_cx = 0, dot_cy = 0, dot_r = 0;

  Box InkBox() const {
    Box t = text.InkBox();
    double x0 = std::min(t.x, dot_cx - dot_r), y0 = std::min(t.y, dot_cy - dot_r);
    double x1 = std::max(t.x + t.w, dot_cx + dot_r), y1 = std::max(t.y + t.h, dot_cy + dot_r);
    return {x0, y0, x1 - x0, y1 - y0};
  }
};

struct SlideLayout {
  bool has_title = false;
  TextBlock title;
  Box bar;
  std::vector<BulletBlock> bullets;
  double title_px = 0, body_px = 0;
  bool fits = true;         // everything placed in full
  bool ellipsized = false;  // something was cut
};

class SlideLayouter {
 public:
  SlideLayouter(PangoContext* ctx, const SlideTheme& theme, const SlidePage& page,
                const Slide& slide)
      : ctx_(ctx), theme_(theme), page_(page), safe_(SlideSafeArea(page.width, page.height)) {
    // More text than the safe area could hold at the minimum size, even in the narrowest
    // glyphs, is cut up front: laying out megabytes of text would only be slow.
    const double body_min = kBodyMinPx * Scale();
    const size_t max_chars = static_cast<size_t>(
        std::ceil(safe_.w / (kNarrowestGlyphEm * body_min)) * std::ceil(safe_.h / body_min));
    const size_t max_bullets = static_cast<size_t>(safe_.h / body_min) + 1;
    title_ = CleanSlideText(slide.title, max_chars, &truncated_);
    for (const std::string& b : slide.bullets) {
      if (bullets_.size() == max_bullets) {
        truncated_ = true;
        break;
      }
      std::string clean = CleanSlideText(b, max_chars, &truncated_);
      if (!clean.empty()) bullets_.push_back(std::move(clean));
    }
  }

  double Scale() const { return page_.height / kReferenceHeight; }
  bool TitleOnly() const { return bullets_.empty(); }

  // Lays out at the given sizes. With cut_to_fit, text that overflows is cut (ellipsis) so
  // that it fits; without, the layout stops at the first overflow with `fits` false.
  SlideLayout Layout(double title_px, double body_px, bool cut_to_fit) const {
    SlideLayout out;
    out.title_px = title_px;
    out.body_px = body_px;
    out.ellipsized = truncated_;
    const double k = Scale();
    const double bottom = safe_.y + safe_.h;
    double cursor = safe_.y;

    if (!title_.empty()) {
      out.has_title = true;
      FontSpec spec{theme_.title_font_family, PANGO_WEIGHT_BOLD, title_px,
                    kTitleLineSpacing,        kTitleTrackingEm,  Balance::kAlways};
      out.title = MakeBlock(title_, spec, safe_.x, safe_.w, -kTitleMaxLines);
      if (IsEllipsized(out.title)) {
        out.fits = false;
        if (!cut_to_fit) return out;  // the caller shrinks and tries again
        out.ellipsized = true;
        CutTitleAtWord(spec, &out.title);
      }
      out.title.y = cursor - out.title.Top();
      cursor += out.title.Height();
      cursor += kTitleToBar * body_px;
      out.bar = {safe_.x, cursor, kBarWidthPx * k, std::max(2.0, kBarHeightPx * k)};
      cursor += out.bar.h + kBarToBody * body_px;
    }

    FontSpec body{theme_.font_family, PANGO_WEIGHT_NORMAL, body_px,
                  kBodyLineSpacing,   kBodyTrackingEm,     Balance::kOrphans};
    const double indent = kBulletIndent * body_px;
    for (size_t i = 0; i < bullets_.size(); ++i) {
      if (i > 0) cursor += kBulletGap * body_px;
      const double avail = bottom - cursor;
      BulletBlock bullet;
      bullet.text = MakeBlock(bullets_[i], body, safe_.x + indent, safe_.w - indent, 0);
      if (bullet.text.Height() > avail) {
        out.fits = false;
        if (!cut_to_fit) break;  // the caller shrinks and tries again
        out.ellipsized = true;
        if (CutToHeight(bullets_[i], body, indent, avail, &bullet.text)) {
          PlaceBullet(bullet, cursor, body_px);
          out.bullets.push_back(std::move(bullet));
        } else if (!out.bullets.empty()) {
          // Not even one line fits: drop this bullet and say so on the previous one.
          AppendEllipsis(out.bullets.back(), i - 1, body, indent);
        }
        break;
      }
      PlaceBullet(bullet, cursor, body_px);
      cursor += bullet.text.Height();
      out.bullets.push_back(std::move(bullet));
    }

    if (TitleOnly() && out.has_title) {
      // Section slide: centre the title and its bar vertically.
      double used = out.bar.y + out.bar.h - safe_.y;
      double dy = std::max(0.0, (safe_.h - used) / 2);
      out.title.y += dy;
      out.bar.y += dy;
    }
    return out;
  }

 private:
  static bool IsEllipsized(const TextBlock& block) {
    return pango_layout_is_ellipsized(block.layout.get());
  }

  // pango_height: 0 for no limit, negative for a line count, positive for Pango units (the
  // text is then ellipsized by Pango, mid-word if need be).
  TextBlock MakeBlock(const std::string& text, const FontSpec& spec, double x, double width,
                      int pango_height) const {
    TextBlock block;
    block.layout.reset(pango_layout_new(ctx_));
    PangoLayout* layout = block.layout.get();
    PangoFontDescriptionPtr desc(pango_font_description_new());
    pango_font_description_set_family(desc.get(), spec.family.c_str());
    pango_font_description_set_weight(desc.get(), spec.weight);
    pango_font_description_set_absolute_size(desc.get(), ToPango(spec.px));
    pango_layout_set_font_description(layout, desc.get());
    const double pad = kInkPadEm * spec.px;
    const int wrap_width = static_cast<int>(ToPango(width - 2 * pad));
    pango_layout_set_width(layout, wrap_width);
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_line_spacing(layout, static_cast<float>(spec.line_spacing));
    if (pango_height != 0) {
      pango_layout_set_height(layout, pango_height);
      pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END);
    }
    if (spec.tracking_em != 0) {
      PangoAttrListPtr attrs(pango_attr_list_new());
      pango_attr_list_insert(attrs.get(),
                             pango_attr_letter_spacing_new(static_cast<int>(
                                 std::lround(spec.tracking_em * spec.px * PANGO_SCALE))));
      pango_layout_set_attributes(layout, attrs.get());
    }
    pango_layout_set_text(layout, text.data(), static_cast<int>(text.size()));
    Rebalance(layout, spec.balance, wrap_width);
    block.Measure();
    block.x = x + pad;
    return block;
  }

  // Narrows a wrapped paragraph to the smallest width that keeps its line count, so lines
  // come out of similar length instead of leaving one word alone on the last line.
  static void Rebalance(PangoLayout* layout, Balance balance, int wrap_width) {
    const int lines = pango_layout_get_line_count(layout);
    if (balance == Balance::kNone || lines < 2 || lines > kBalanceMaxLines ||
        pango_layout_is_ellipsized(layout)) {
      return;
    }
    if (balance == Balance::kOrphans) {
      PangoRectangle last;
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

  // The longest whole-word prefix (plus ellipsis) for which make(candidate) fits; false if
  // not even the first word does. Fitting is monotonic in the prefix length.
  template <typename Make, typename Fits>
  static bool LongestFittingPrefix(const std::string& text, Make make, Fits fits,
                                   TextBlock* block) {
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

  // Replaces Pango's mid-word title ellipsis by one after the last whole word that fits.
  void CutTitleAtWord(const FontSpec& spec, TextBlock* title) const {
    LongestFittingPrefix(
        title_,
        [&](const std::string& s) { return MakeBlock(s, spec, safe_.x, safe_.w, -kTitleMaxLines); },
        [](const TextBlock& b) { return !IsEllipsized(b); }, title);
  }

  // Lays `text` out cut with an ellipsis to at most `avail` pixels high: after a whole word
  // when possible, else mid-word by Pango. False if not even one line fits.
  bool CutToHeight(const std::string& text, const FontSpec& body, double indent, double avail,
                   TextBlock* block) const {
    const double x = safe_.x + indent, width = safe_.w - indent;
    if (LongestFittingPrefix(
            text, [&](const std::string& s) { return MakeBlock(s, body, x, width, 0); },
            [avail](const TextBlock& b) { return b.Height() <= avail; }, block)) {
      return true;
    }
    double limit = avail;
    for (int attempt = 0; attempt < kEllipsisCutRetries && limit >= 1; ++attempt) {
      TextBlock cut = MakeBlock(text, body, x, width, static_cast<int>(ToPango(limit)));
      if (cut.Height() <= avail) {
        *block = std::move(cut);
        return true;
      }
      // Pango always keeps one line; ink below the logical box also counts here.
      limit -= cut.Height() - avail + 1;
    }
    return false;
  }

  // Re-lays out a placed bullet so that it ends in an ellipsis, within its current height.
  void AppendEllipsis(BulletBlock& bullet, size_t index, const FontSpec& body,
                      double indent) const {
    const double top = bullet.text.y + bullet.text.Top();
    TextBlock cut;
    if (CutToHeight(bullets_[index], body, indent, bullet.text.Height(), &cut)) {
      bullet.text = std::move(cut);
      bullet.text.y = top - bullet.text.Top();
    }
  }

  void PlaceBullet(BulletBlock& bullet, double top, double body_px) const {
    bullet.text.y = top - bullet.text.Top();
    bullet.dot_r = kDotRadius * body_px;
    bullet.dot_cx = safe_.x + bullet.dot_r + kInkPadEm * body_px;
    bullet.dot_cy = bullet.text.FirstBaseline() - kDotAboveBaseline * body_px;
  }

  PangoContext* ctx_;
  const SlideTheme& theme_;
  SlidePage page_;
  Box safe_;
  std::string title_;
  std::vector<std::string> bullets_;
  bool truncated_ = false;  // text was cut before layout
};

// Shrinks both sizes together from their start until the slide fits; at the minimum sizes
// the text is cut instead.
SlideLayout FitSlide(const SlideLayouter& layouter) {
  const double k = layouter.Scale();
  const double title_start = (layouter.TitleOnly() ? kTitleOnlyStartPx : kTitleStartPx) * k;
  const double title_min = kTitleMinPx * k, body_start = kBodyStartPx * k;
  const double body_min = kBodyMinPx * k;
  for (int step = 0;; ++step) {
    double s = std::pow(kShrinkStep, step);
    double title_px = std::max(title_min, title_start * s);
    double body_px = std::max(body_min, body_start * s);
    bool at_min = title_px <= title_min && body_px <= body_min;
    SlideLayout laid = layouter.Layout(title_px, body_px, at_min);
    if (laid.fits || at_min) return laid;
  }
}

void SetSource(cairo_t* cr, const Rgb& c) { cairo_set_source_rgb(cr, c.r, c.g, c.b); }

void ShowBlock(cairo_t* cr, const TextBlock& block, const Rgb& colour) {
  SetSource(cr, colour);
  cairo_move_to(cr, block.x, block.y);
  pango_cairo_show_layout(cr, block.layout.get());
}

// Fixed font options so that image and PDF surfaces lay text out identically.
PangoContextPtr MakePangoContext(cairo_t* cr) {
  PangoContextPtr ctx(pango_cairo_create_context(cr));
  CairoFontOptionsPtr options(cairo_font_options_create());
  cairo_font_options_set_hint_metrics(options.get(), CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(options.get(), CAIRO_HINT_STYLE_SLIGHT);
  cairo_font_options_set_antialias(options.get(), CAIRO_ANTIALIAS_GRAY);
  pango_cairo_context_set_font_options(ctx.get(), options.get());
  pango_context_set_round_glyph_positions(ctx.get(), FALSE);
  return ctx;
}

void PaintCounter(cairo_t* cr, PangoContext* ctx, const SlideTheme& theme, const SlidePage& page) {
  if (page.count <= 1) return;
  const double k = page.height / kReferenceHeight;
  const Box safe = SlideSafeArea(page.width, page.height);
  std::string text = std::to_string(page.number) + " / " + std::to_string(page.count);
  TextBlock counter;
  counter.layout.reset(pango_layout_new(ctx));
  PangoFontDescriptionPtr desc(pango_font_description_new());
  pango_font_description_set_family(desc.get(), theme.font_family.c_str());
  pango_font_description_set_weight(desc.get(), PANGO_WEIGHT_MEDIUM);
  pango_font_description_set_absolute_size(desc.get(), ToPango(kCounterPx * k));
  pango_layout_set_font_description(counter.layout.get(), desc.get());
  PangoAttrListPtr attrs(pango_attr_list_new());
  pango_attr_list_insert(attrs.get(), pango_attr_font_features_new("tnum"));
  pango_layout_set_attributes(counter.layout.get(), attrs.get());
  pango_layout_set_text(counter.layout.get(), text.data(), static_cast<int>(text.size()));
  counter.Measure();
  // Right-aligned to the safe area, centred in the bottom margin.
  const double margin_mid = (safe.y + safe.h + page.height) / 2;
  counter.x = safe.x + safe.w - counter.logical.width;
  counter.y = margin_mid - counter.logical.height / 2.0;
  ShowBlock(cr, counter, theme.muted);
}

}  // namespace

Box SlideSafeArea(double width, double height) {
  const double mx = kMarginXFrac * width;
  const double top = kMarginTopFrac * height;
  const double bottom = kMarginBottomFrac * height;
  return {mx, top, std::max(0.0, width - 2 * mx), std::max(0.0, height - top - bottom)};
}

Status PaintSlide(cairo_t* cr, const Slide& slide, const SlideTheme& theme, const SlidePage& page,
                  SlideLayoutReport* report) {
  PangoContextPtr ctx = MakePangoContext(cr);
  SlideLayouter layouter(ctx.get(), theme, page, slide);
  SlideLayout laid = FitSlide(layouter);

  cairo_save(cr);
  SetSource(cr, theme.background);
  cairo_paint(cr);
  if (laid.has_title) {
    SetSource(cr, theme.accent);
    cairo_rectangle(cr, laid.bar.x, laid.bar.y, laid.bar.w, laid.bar.h);
    cairo_fill(cr);
    ShowBlock(cr, laid.title, theme.title);
  }
  for (const BulletBlock& bullet : laid.bullets) {
    SetSource(cr, theme.accent);
    cairo_new_path(cr);
    cairo_arc(cr, bullet.dot_cx, bullet.dot_cy, bullet.dot_r, 0, 2 * std::numbers::pi);
    cairo_fill(cr);
    ShowBlock(cr, bullet.text, theme.body);
  }
  PaintCounter(cr, ctx.get(), theme, page);
  cairo_restore(cr);

  if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
    return Status::Internal(std::string("cairo drawing failed: ") +
                            cairo_status_to_string(cairo_status(cr)));
  }
  if (report != nullptr) {
    const Box safe = SlideSafeArea(page.width, page.height);
    report->safe_area = safe;
    report->text_boxes.clear();
    report->text_boxes.push_back(laid.has_title ? laid.title.InkBox() : Box{safe.x, safe.y, 0, 0});
    for (const BulletBlock& bullet : laid.bullets) report->text_boxes.push_back(bullet.InkBox());
    report->min_font_px = laid.has_title ? laid.title_px : 0;
    if (!laid.bullets.empty()) {
      report->min_font_px = laid.has_title ? std::min(laid.title_px, laid.body_px) : laid.body_px;
    }
    report->ellipsized = laid.ellipsized;
  }
  return Status::Ok();
}

}  // namespace presgen
