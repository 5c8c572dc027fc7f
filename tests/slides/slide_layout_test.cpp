// Layout and font coverage: text of any length and script stays inside the safe area at
// readable sizes, CJK wraps without spaces, every script gets real glyphs, title slides and
// the logo sit where they should.
#include <cairo.h>
#include <gtest/gtest.h>
#include <pango/pangocairo.h>

#include <string>
#include <vector>

#include "slide_test_support.h"
#include "slides/cairo_ptr.h"
#include "slides/slide_renderer.h"
#include "slides/slide_theme.h"

namespace presgen::slides_test {
namespace {

const std::vector<std::string>& ScriptSamples() {
  static const std::vector<std::string> samples = {
      "Économie über Straße: naïve café, São Paulo, Kraków, Øresund, Łódź",
      "Рынок объёмом два миллиарда долларов",
      "Αγορά δύο δισεκατομμυρίων δολαρίων",
      "我们的市场规模为二十亿美元",
      "私たちの市場規模は二十億ドルです",
      "우리의 시장 규모는 20억 달러입니다",
  };
  return samples;
}

// Characters Pango finds no glyph for when `text` is set in `family` at `weight`, with
// fontconfig's fallback as the renderer uses it.
int UnknownGlyphs(const std::string& text, const std::string& family, PangoWeight weight) {
  CairoSurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 8, 8));
  CairoPtr cr(cairo_create(surface.get()));
  PangoLayoutPtr layout(pango_cairo_create_layout(cr.get()));
  PangoFontDescriptionPtr desc(pango_font_description_new());
  pango_font_description_set_family(desc.get(), family.c_str());
  pango_font_description_set_weight(desc.get(), weight);
  pango_font_description_set_absolute_size(desc.get(), 34 * PANGO_SCALE);
  pango_layout_set_font_description(layout.get(), desc.get());
  pango_layout_set_text(layout.get(), text.data(), static_cast<int>(text.size()));
  return pango_layout_get_unknown_glyphs_count(layout.get());
}

TEST(SlideFonts, EveryScriptHasRealGlyphsInTheSlideFonts) {
  for (const std::string& text : ScriptSamples()) {
    EXPECT_EQ(UnknownGlyphs(text, SlideFontFamily(), PANGO_WEIGHT_NORMAL), 0) << text;
    EXPECT_EQ(UnknownGlyphs(text, SlideTitleFontFamily(), PANGO_WEIGHT_BOLD), 0) << text;
  }
  // The probe can fail: Egyptian hieroglyphs are in no font installed for slides.
  EXPECT_GT(UnknownGlyphs("\U00013000\U00013001", SlideFontFamily(), PANGO_WEIGHT_NORMAL), 0);
}

TEST(SlideFonts, RenderedSlidesReportNoUnknownGlyphs) {
  for (const std::string& text : ScriptSamples()) {
    std::vector<SlideLayoutReport> layout;
    Deck deck = OneSlide(text, {text, text + " " + text});
    deck.slides.push_back(MakeSlide(text, {}, 10, 20, text));
    auto images = RenderSlides(deck, Params("professional_minimal"), &layout);
    ASSERT_TRUE(images.ok()) << images.status().ToString();
    const Bgr background = ToBgr(FindSlideTheme("professional_minimal")->background);
    for (size_t i = 0; i < layout.size(); ++i) {
      EXPECT_EQ(layout[i].unknown_glyphs, 0) << text;
      EXPECT_FALSE(layout[i].ellipsized) << text;
      ExpectCleanLayout(layout[i], text);
      for (const Box& box : layout[i].text_boxes) {
        EXPECT_GT(InkPixels((*images)[i], box, background), box.area() * 0.05) << text;
      }
    }
  }
  std::vector<SlideLayoutReport> layout;
  ASSERT_TRUE(RenderSlides(OneSlide("Hieroglyphs", {"\U00013000\U00013001\U00013002"}),
                           Params("dark"), &layout)
                  .ok());
  EXPECT_EQ(layout[0].unknown_glyphs, 3);
}

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

TEST(SlideLayout, LongCjkTextWithoutSpacesWrapsInsideTheSafeArea) {
  const std::string sentence = "我们的市场规模为二十亿美元，";  // 14 characters, no spaces
  for (const auto& [w, h] : {std::pair{640, 720}, std::pair{960, 1080}, std::pair{320, 360}}) {
    std::vector<SlideLayoutReport> layout;
    Deck deck = OneSlide(Repeat(sentence, 3), {Repeat(sentence, 4), "短"});
    auto images = RenderSlides(deck, Params("bold", w, h), &layout);
    ASSERT_TRUE(images.ok());
    const SlideLayoutReport& r = layout[0];
    const std::string what = "cjk " + std::to_string(w) + "x" + std::to_string(h);
    ExpectCleanLayout(r, what, w, h);
    ASSERT_EQ(r.text_boxes.size(), 3u) << what;
    EXPECT_FALSE(r.ellipsized) << what;
    EXPECT_GE(r.min_font_px, 28.0 * h / 720 - 1e-9) << what;
    // 56 ideographs do not fit on one line: the bullet wraps to several lines.
    EXPECT_GT(r.text_boxes[1].h, 2.5 * r.min_font_px) << what;
    EXPECT_GT(r.text_boxes[1].w, 0.5 * r.safe_area.w) << what;
    EXPECT_GT(r.text_boxes[0].h, 1.5 * r.min_font_px) << what;  // the title wraps too
  }

  // Far too much CJK text: cut with an ellipsis, still inside.
  std::vector<SlideLayoutReport> layout;
  ASSERT_TRUE(
      RenderSlides(OneSlide(Repeat(sentence, 20), {Repeat(sentence, 200)}), Params("dark"), &layout)
          .ok());
  EXPECT_TRUE(layout[0].ellipsized);
  EXPECT_GE(layout[0].min_font_px, 28.0);
  ExpectCleanLayout(layout[0], "endless cjk");
}

TEST(SlideLayout, ShortLongAccentedAndCjkTextStayInsideAtReadableSizes) {
  const std::vector<Deck> decks = {
      OneSlide("Go", {"Yes"}),
      LongBulletsDeck(),
      OneSlide("Économie über Straße für Ärzte in Zürich und Genève",
               {"Ça coûte moins cher à São Paulo qu’à Kraków ou Łódź",
                "Größere Märkte: Österreich, Schweiz, Liechtenstein, Südtirol",
                "Ελλάδα και Κύπρος, Россия и Україна"}),
      OneSlide("市場規模と成長率",
               {"私たちの市場規模は二十億ドルです", "우리의 시장 규모는 20억 달러입니다",
                "Mixed 中文 and English text, 40% growth"}),
  };
  for (const std::string& name : SlideThemeNames()) {
    for (const auto& [w, h] : {std::pair{640, 720}, std::pair{960, 1080}, std::pair{320, 360}}) {
      for (const Deck& deck : decks) {
        std::vector<SlideLayoutReport> layout;
        ASSERT_TRUE(RenderSlides(deck, Params(name, w, h), &layout).ok());
        const std::string what =
            name + " " + std::to_string(w) + "x" + std::to_string(h) + " " + deck.slides[0].title;
        ExpectCleanLayout(layout[0], what, w, h);
        // Everything drawn, or what was cut is marked (the long deck is cut at 28 px).
        if (!layout[0].ellipsized) {
          EXPECT_EQ(layout[0].text_boxes.size(), 1 + deck.slides[0].bullets.size()) << what;
        }
        EXPECT_GE(layout[0].text_boxes.size(), 2u) << what;
        // Body text never below 28 px per 720 px of height.
        EXPECT_GE(layout[0].min_font_px, 28.0 * h / 720 - 1e-9) << what;
        EXPECT_EQ(layout[0].unknown_glyphs, 0) << what;
      }
    }
  }
}

TEST(TitleSlide, TitleAndSubtitleAreCentredWithTheBarBetween) {
  Deck deck = OneSlide("Acme Health", {}, "Anna Schmidt, founder & CEO");
  deck.slides.push_back(MakeSlide("Acme Health", {"One bullet"}, 10, 20));
  deck.slides.push_back(MakeSlide("Acme Health", {}, 20, 30));  // section slide
  for (const std::string& name : SlideThemeNames()) {
    std::vector<SlideLayoutReport> layout;
    auto images = RenderSlides(deck, Params(name), &layout);
    ASSERT_TRUE(images.ok());
    const SlideLayoutReport& r = layout[0];
    ExpectCleanLayout(r, name + " title slide");
    ASSERT_EQ(r.text_boxes.size(), 2u);
    const Box& title = r.text_boxes[0];
    const Box& subtitle = r.text_boxes[1];
    // Title, then the bar, then the subtitle; the group centred in the safe area.
    EXPECT_GT(r.accent_bar.y, title.y + title.h);
    EXPECT_GT(subtitle.y, r.accent_bar.y + r.accent_bar.h);
    EXPECT_NEAR((title.y + subtitle.y + subtitle.h) / 2, r.safe_area.cy(), 0.05 * 720) << name;
    // Bigger than the same title on a content or a section slide.
    EXPECT_GT(title.h, layout[1].text_boxes[0].h * 1.2) << name;
    EXPECT_GT(title.h, layout[2].text_boxes[0].h * 1.05) << name;
    EXPECT_LT(subtitle.h, title.h);
    // The subtitle is drawn in the body colour, the title in the title colour.
    auto theme = FindSlideTheme(name);
    EXPECT_GT(PixelsNear((*images)[0], subtitle, ToBgr(theme->body), 12), 30) << name;
    EXPECT_GT(PixelsNear((*images)[0], title, ToBgr(theme->title), 12), 200) << name;
    EXPECT_GE(r.min_font_px, 28.0);
    // The section slide (no subtitle, no bullets) keeps its centred title.
    ASSERT_EQ(layout[2].text_boxes.size(), 1u);
    EXPECT_NEAR(layout[2].text_boxes[0].cy(), 360, 80);
  }
}

TEST(TitleSlide, LongSubtitlesAreCutAtThreeLinesAndBulletsStillFit) {
  std::vector<SlideLayoutReport> layout;
  Deck deck = OneSlide("Acme Health", {}, Repeat("the future of patient engagement ", 20));
  deck.slides.push_back(MakeSlide("Acme Health", {"Seed round", "Berlin and Paris"}, 10, 20,
                                  "Anna Schmidt, founder & CEO"));
  deck.slides.push_back(
      MakeSlide(Repeat("A very long company name ", 12), {}, 20, 30, "Tagline here"));
  ASSERT_TRUE(RenderSlides(deck, Params("dark"), &layout).ok());
  ASSERT_EQ(layout[0].text_boxes.size(), 2u);
  EXPECT_TRUE(layout[0].ellipsized);
  EXPECT_LT(layout[0].text_boxes[1].h, 4.3 * layout[0].min_font_px);  // three lines, not four
  ExpectCleanLayout(layout[0], "long subtitle");
  ASSERT_EQ(layout[1].text_boxes.size(), 4u);  // title, subtitle, two bullets
  EXPECT_FALSE(layout[1].ellipsized);
  ExpectCleanLayout(layout[1], "title slide with bullets");
  ASSERT_EQ(layout[2].text_boxes.size(), 2u);
  EXPECT_TRUE(layout[2].ellipsized);
  ExpectCleanLayout(layout[2], "long title on a title slide");
}

class LogoLayout : public SlideFilesTest {};

TEST_F(LogoLayout, LogoFitsItsBoxInTheBottomMarginClearOfAllText) {
  for (const auto& [lw, lh] : {std::pair{160, 64}, std::pair{40, 200}, std::pair{900, 60}}) {
    SlideRenderParams params = Params("professional_minimal");
    params.logo_path = WriteTestLogo(dir_, lw, lh);
    for (const auto& [w, h] : {std::pair{640, 720}, std::pair{960, 1080}, std::pair{320, 360}}) {
      params.width = w;
      params.height = h;
      Deck deck = PitchDeck();
      deck.slides.push_back(LongBulletsDeck().slides[0]);
      std::vector<SlideLayoutReport> layout;
      ASSERT_TRUE(RenderSlides(deck, params, &layout).ok());
      for (size_t i = 0; i < layout.size(); ++i) {
        const SlideLayoutReport& r = layout[i];
        const std::string what = std::to_string(lw) + "x" + std::to_string(lh) + " logo on " +
                                 std::to_string(w) + "x" + std::to_string(h) + " slide " +
                                 std::to_string(i);
        ASSERT_GT(r.logo_box.area(), 0) << what;
        ASSERT_GT(r.counter_box.area(), 0) << what;
        ExpectCleanLayout(r, what, w, h);
        // At most 12% x 7% of the slide, one side at its limit, aspect kept.
        EXPECT_LE(r.logo_box.w, 0.12 * w + 1e-6) << what;
        EXPECT_LE(r.logo_box.h, 0.07 * h + 1e-6) << what;
        EXPECT_TRUE(r.logo_box.w > 0.12 * w - 0.5 || r.logo_box.h > 0.07 * h - 0.5) << what;
        EXPECT_NEAR(r.logo_box.w / r.logo_box.h, static_cast<double>(lw) / lh, 0.01) << what;
        EXPECT_LT(r.logo_box.x + r.logo_box.w, r.counter_box.x) << what;
      }
    }
  }
}

}  // namespace
}  // namespace presgen::slides_test
