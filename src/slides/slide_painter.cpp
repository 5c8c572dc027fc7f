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
#include "slides/slide_logo.h"
#include "slides/slide_paragraph.h"
#include "slides/slide_text.h"

namespace presgen {
namespace {

// Margins as fractions of the page; the bottom one also holds the counter and the logo.
constexpr double kMarginXFrac = 0.07;
constexpr double kMarginTopFrac = 0.085;
constexpr double kMarginBottomFrac = 0.11;

// Font sizes in pixels per 720 px of page height.
constexpr double kReferenceHeight = 720.0;
constexpr double kTitleStartPx = 54;
constexpr double kSectionTitleStartPx = 64;  // no bullets: a section slide
constexpr double kTitleSlideStartPx = 72;    // a subtitle: the deck's title slide
constexpr double kTitleMinPx = 38;
constexpr double kBodyStartPx = 34;
constexpr double kBodyMinPx = 28;
constexpr double kCounterPx = 15;
constexpr double kShrinkStep = 0.95;
constexpr int kTitleMaxLines = 3;
constexpr int kSubtitleMaxLines = 3;

// Line heights as multiples of the font's ascent + descent (about 1.2 em for Inter).
constexpr double kTitleLineSpacing = 0.92;
constexpr double kBodyLineSpacing = 1.08;
constexpr double kTitleTrackingEm = -0.015;  // display sizes read better slightly tighter
constexpr double kBodyTrackingEm = -0.01;

// Vertical rhythm and bullet geometry, in body font sizes.
constexpr double kTitleToBar = 0.55;
constexpr double kBarToBody = 0.95;
constexpr double kSubtitleToBody = 0.95;
constexpr double kBulletGap = 0.6;
constexpr double kBulletIndent = 1.05;
constexpr double kDotRadius = 0.15;
constexpr double kDotAboveBaseline = 0.36;  // the dot's centre sits at mid x-height

// Accent bar, in pixels per 720 px of height.
constexpr double kBarWidthPx = 56;
constexpr double kBarHeightPx = 6;

constexpr int kEllipsisCutRetries = 3;
// Narrower than any Latin glyph advance in Inter or DejaVu Sans ('i', 'l', '.'): bounds how
// many characters could ever fit.
constexpr double kNarrowestGlyphEm = 0.2;

enum class SlideKind {
  kContent,  // title and bullets, from the top of the safe area
  kSection,  // no bullets: a larger title, centred vertically
  kTitle,    // a subtitle: the deck's opening slide, larger still, centred vertically
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
  bool has_subtitle = false;
  TextBlock subtitle;
  std::vector<BulletBlock> bullets;
  double title_px = 0, body_px = 0;
  bool fits = true;         // everything placed in full
  bool ellipsized = false;  // something was cut

  // Moves everything placed down by dy.
  void Shift(double dy) {
    title.y += dy;
    bar.y += dy;
    subtitle.y += dy;
    for (BulletBlock& b : bullets) {
      b.text.y += dy;
      b.dot_cy += dy;
    }
  }
  int UnknownGlyphs() const {
    int n = (has_title ? title.UnknownGlyphs() : 0) + (has_subtitle ? subtitle.UnknownGlyphs() : 0);
    for (const BulletBlock& b : bullets) n += b.text.UnknownGlyphs();
    return n;
  }
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
    subtitle_ = CleanSlideText(slide.subtitle, max_chars, &truncated_);
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
  SlideKind Kind() const {
    if (!subtitle_.empty()) return SlideKind::kTitle;
    return bullets_.empty() ? SlideKind::kSection : SlideKind::kContent;
  }

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
    double end = safe_.y;  // bottom of the last thing placed

    if (!title_.empty()) {
      out.has_title = true;
      FontSpec spec{theme_.title_font_family, PANGO_WEIGHT_BOLD, title_px,
                    kTitleLineSpacing,        kTitleTrackingEm,  Balance::kAlways};
      if (!FitLines(title_, spec, kTitleMaxLines, cut_to_fit, &out, &out.title)) return out;
      out.title.y = cursor - out.title.Top();
      cursor += out.title.Height();
      cursor += kTitleToBar * body_px;
      out.bar = {safe_.x, cursor, kBarWidthPx * k, std::max(2.0, kBarHeightPx * k)};
      cursor += out.bar.h;
      end = cursor;
      cursor += kBarToBody * body_px;
    }

    FontSpec body{theme_.font_family, PANGO_WEIGHT_NORMAL, body_px,
                  kBodyLineSpacing,   kBodyTrackingEm,     Balance::kOrphans};
    if (!subtitle_.empty()) {
      FontSpec spec = body;
      spec.balance = Balance::kAlways;
      TextBlock sub;
      if (!FitLines(subtitle_, spec, kSubtitleMaxLines, cut_to_fit, &out, &sub)) return out;
      if (sub.Height() > bottom - cursor) {
        out.fits = false;
        if (!cut_to_fit) return out;
        out.ellipsized = true;
        if (!CutToHeight(subtitle_, spec, safe_.x, safe_.w, bottom - cursor, &sub)) {
          return Centred(std::move(out), end);
        }
      }
      sub.y = cursor - sub.Top();
      out.subtitle = std::move(sub);
      out.has_subtitle = true;
      cursor += out.subtitle.Height();
      end = cursor;
      cursor += kSubtitleToBody * body_px;
    }

    const double indent = kBulletIndent * body_px;
    for (size_t i = 0; i < bullets_.size(); ++i) {
      if (i > 0) cursor += kBulletGap * body_px;
      const double avail = bottom - cursor;
      BulletBlock bullet;
      bullet.text = MakeTextBlock(ctx_, bullets_[i], body, safe_.x + indent, safe_.w - indent, 0);
      if (bullet.text.Height() > avail) {
        out.fits = false;
        if (!cut_to_fit) break;  // the caller shrinks and tries again
        out.ellipsized = true;
        if (CutToHeight(bullets_[i], body, safe_.x + indent, safe_.w - indent, avail,
                        &bullet.text)) {
          PlaceBullet(bullet, cursor, body_px);
          end = cursor + bullet.text.Height();
          out.bullets.push_back(std::move(bullet));
        } else if (!out.bullets.empty()) {
          // Not even one line fits: drop this bullet and say so on the previous one.
          AppendEllipsis(out.bullets.back(), i - 1, body, indent);
        }
        break;
      }
      PlaceBullet(bullet, cursor, body_px);
      cursor += bullet.text.Height();
      end = cursor;
      out.bullets.push_back(std::move(bullet));
    }
    return Centred(std::move(out), end);
  }

 private:
  // Title and section slides sit in the middle of the safe area; `end` is the bottom of
  // the last thing placed.
  SlideLayout Centred(SlideLayout out, double end) const {
    if (Kind() != SlideKind::kContent && (out.has_title || out.has_subtitle)) {
      out.Shift(std::max(0.0, (safe_.h - (end - safe_.y)) / 2));
    }
    return out;
  }

  // Lays `text` out in at most max_lines lines into *block. False (with out->fits false) if
  // it needs more and cut_to_fit is off; with cut_to_fit it is cut after a whole word.
  bool FitLines(const std::string& text, const FontSpec& spec, int max_lines, bool cut_to_fit,
                SlideLayout* out, TextBlock* block) const {
    *block = MakeTextBlock(ctx_, text, spec, safe_.x, safe_.w, -max_lines);
    if (!block->Ellipsized()) return true;
    out->fits = false;
    if (!cut_to_fit) return false;  // the caller shrinks and tries again
    out->ellipsized = true;
    // Replaces Pango's mid-word ellipsis by one after the last whole word that fits (text
    // without spaces, such as CJK, keeps Pango's).
    LongestFittingPrefix(
        text,
        [&](const std::string& s) {
          return MakeTextBlock(ctx_, s, spec, safe_.x, safe_.w, -max_lines);
        },
        [](const TextBlock& b) { return !b.Ellipsized(); }, block);
    return true;
  }

  // Lays `text` out cut with an ellipsis to at most `avail` pixels high: after a whole word
  // when possible, else mid-word by Pango. False if not even one line fits.
  bool CutToHeight(const std::string& text, const FontSpec& spec, double x, double width,
                   double avail, TextBlock* block) const {
    if (LongestFittingPrefix(
            text, [&](const std::string& s) { return MakeTextBlock(ctx_, s, spec, x, width, 0); },
            [avail](const TextBlock& b) { return b.Height() <= avail; }, block)) {
      return true;
    }
    double limit = avail;
    for (int attempt = 0; attempt < kEllipsisCutRetries && limit >= 1; ++attempt) {
      TextBlock cut = MakeTextBlock(ctx_, text, spec, x, width, static_cast<int>(ToPango(limit)));
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
    if (CutToHeight(bullets_[index], body, safe_.x + indent, safe_.w - indent, bullet.text.Height(),
                    &cut)) {
      bullet.text = std::move(cut);
      bullet.text.y = top - bullet.text.Top();
    }
  }

  void PlaceBullet(BulletBlock& bullet, double top, double body_px) const {
    bullet.text.y = top - bullet.text.Top();
    bullet.dot_r = kDotRadius * body_px;
    bullet.dot_cx = safe_.x + bullet.dot_r + InkPadPx(body_px);
    bullet.dot_cy = bullet.text.FirstBaseline() - kDotAboveBaseline * body_px;
  }

  PangoContext* ctx_;
  const SlideTheme& theme_;
  SlidePage page_;
  Box safe_;
  std::string title_;
  std::string subtitle_;
  std::vector<std::string> bullets_;
  bool truncated_ = false;  // text was cut before layout
};

// Shrinks both sizes together from their start until the slide fits; at the minimum sizes
// the text is cut instead.
SlideLayout FitSlide(const SlideLayouter& layouter) {
  const double k = layouter.Scale();
  double title_start = kTitleStartPx;
  if (layouter.Kind() == SlideKind::kSection) title_start = kSectionTitleStartPx;
  if (layouter.Kind() == SlideKind::kTitle) title_start = kTitleSlideStartPx;
  title_start *= k;
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

// The "n / N" counter, right-aligned to the safe area and centred in the bottom margin;
// nothing for a one-slide deck.
std::optional<TextBlock> LayoutCounter(PangoContext* ctx, const SlideTheme& theme,
                                       const SlidePage& page) {
  if (page.count <= 1) return std::nullopt;
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
  const double margin_mid = (safe.y + safe.h + page.height) / 2;
  counter.x = safe.x + safe.w - counter.logical.width;
  counter.y = margin_mid - counter.logical.height / 2.0;
  return counter;
}

}  // namespace

Box SlideSafeArea(double width, double height) {
  const double mx = kMarginXFrac * width;
  const double top = kMarginTopFrac * height;
  const double bottom = kMarginBottomFrac * height;
  return {mx, top, std::max(0.0, width - 2 * mx), std::max(0.0, height - top - bottom)};
}

Status PaintSlide(cairo_t* cr, const Slide& slide, const SlideStyle& style, const SlidePage& page,
                  SlideLayoutReport* report) {
  const SlideTheme& theme = style.theme;
  PangoContextPtr ctx = MakeSlidePangoContext(cr);
  SlideLayouter layouter(ctx.get(), theme, page, slide);
  SlideLayout laid = FitSlide(layouter);
  std::optional<TextBlock> counter = LayoutCounter(ctx.get(), theme, page);
  const Box safe = SlideSafeArea(page.width, page.height);
  Box logo_box;
  if (style.logo != nullptr) {
    logo_box =
        SlideLogoBox(page.width, page.height, safe, cairo_image_surface_get_width(style.logo.get()),
                     cairo_image_surface_get_height(style.logo.get()));
  }
  // Bullet dots must be seen; a brand accent too close to the background still makes the bar.
  const Rgb& marker = ContrastRatio(theme.accent, theme.background) >= kMinAccentContrast
                          ? theme.accent
                          : theme.body;

  cairo_save(cr);
  SetSource(cr, theme.background);
  cairo_paint(cr);
  if (laid.has_title) {
    SetSource(cr, theme.accent);
    cairo_rectangle(cr, laid.bar.x, laid.bar.y, laid.bar.w, laid.bar.h);
    cairo_fill(cr);
    ShowBlock(cr, laid.title, theme.title);
  }
  if (laid.has_subtitle) ShowBlock(cr, laid.subtitle, theme.body);
  for (const BulletBlock& bullet : laid.bullets) {
    SetSource(cr, marker);
    cairo_new_path(cr);
    cairo_arc(cr, bullet.dot_cx, bullet.dot_cy, bullet.dot_r, 0, 2 * std::numbers::pi);
    cairo_fill(cr);
    ShowBlock(cr, bullet.text, theme.body);
  }
  if (counter) ShowBlock(cr, *counter, theme.muted);
  if (style.logo != nullptr) PaintSlideLogo(cr, style.logo.get(), logo_box);
  cairo_restore(cr);

  if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
    return Status::Internal(std::string("cairo drawing failed: ") +
                            cairo_status_to_string(cairo_status(cr)));
  }
  if (report != nullptr) {
    report->safe_area = safe;
    report->text_boxes.clear();
    report->text_boxes.push_back(laid.has_title ? laid.title.InkBox() : Box{safe.x, safe.y, 0, 0});
    if (laid.has_subtitle) report->text_boxes.push_back(laid.subtitle.InkBox());
    for (const BulletBlock& bullet : laid.bullets) report->text_boxes.push_back(bullet.InkBox());
    report->accent_bar = laid.has_title ? laid.bar : Box{};
    report->counter_box = counter ? counter->InkBox() : Box{};
    report->logo_box = logo_box;
    const bool has_body = laid.has_subtitle || !laid.bullets.empty();
    report->min_font_px = laid.has_title ? laid.title_px : 0;
    if (has_body) {
      report->min_font_px = laid.has_title ? std::min(laid.title_px, laid.body_px) : laid.body_px;
    }
    report->ellipsized = laid.ellipsized;
    report->unknown_glyphs = laid.UnknownGlyphs();
  }
  return Status::Ok();
}

}  // namespace presgen
