#include "slides/slide_renderer.h"

#include <cairo.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "slide_test_support.h"
#include "slides/cairo_ptr.h"
#include "slides/slide_text.h"
#include "slides/slide_theme.h"

namespace presgen::slides_test {
namespace {

TEST(SlideText, CleansWhitespaceControlsAndBrokenUtf8) {
  bool truncated = false;
  EXPECT_EQ(CleanSlideText("  Café\n\tfür \x01 Ärzte  ", 100, &truncated), "Café für Ärzte");
  EXPECT_EQ(CleanSlideText("ok \xff\xfe!", 100, &truncated), "ok \uFFFD\uFFFD!");
  EXPECT_EQ(CleanSlideText("", 100, &truncated), "");
  EXPECT_FALSE(truncated);
  // Cut by characters, not bytes, then marked.
  EXPECT_EQ(CleanSlideText("ÄÖÜ äöü", 5, &truncated), "ÄÖÜ ä\u2026");
  EXPECT_TRUE(truncated);
}

TEST(SlideText, LongWordsGetInvisibleBreaks) {
  bool truncated = false;
  std::string word(120, 'x');
  std::string clean = CleanSlideText(word, 1000, &truncated);
  EXPECT_NE(clean.find("\u200B"), std::string::npos);
  EXPECT_EQ(std::count(clean.begin(), clean.end(), 'x'), 120);
  // Real words and hyphenated compounds are left alone.
  const std::string normal = "state-of-the-art Gesundheitsversorgungssystem https://example.com/a";
  EXPECT_EQ(CleanSlideText(normal, 1000, &truncated), normal);
}

TEST(SlideText, WordPrefixesEndInAnEllipsis) {
  EXPECT_EQ(EllipsizedWordPrefixes("Grow fast, then - profit."),
            (std::vector<std::string>{"Grow\u2026", "Grow fast\u2026", "Grow fast, then\u2026",
                                      "Grow fast, then - profit\u2026"}));
  EXPECT_EQ(EllipsizedWordPrefixes("cut\u2026"), (std::vector<std::string>{"cut\u2026"}));
  EXPECT_TRUE(EllipsizedWordPrefixes("").empty());
}

TEST(RenderSlides, ImagesHaveTheRequestedSizeAndAreOpaque) {
  auto images = RenderSlides(PitchDeck(), Params("professional_minimal", 640, 720));
  ASSERT_TRUE(images.ok()) << images.status().ToString();
  ASSERT_EQ(images->size(), 4u);
  for (const BgraImage& img : *images) {
    EXPECT_EQ(img.width, 640);
    EXPECT_EQ(img.height, 720);
    ASSERT_EQ(img.pixels.size(), 640u * 720u * 4u);
    for (size_t i = 3; i < img.pixels.size(); i += 4) ASSERT_EQ(img.pixels[i], 255) << i;
  }
}

TEST(RenderSlides, TemplatesRenderWithTheirOwnBackground) {
  std::vector<Bgr> backgrounds;
  for (const char* name : {"professional_minimal", "dark", "bold"}) {
    auto theme = FindSlideTheme(name);
    ASSERT_TRUE(theme.ok()) << name;
    auto images = RenderSlides(PitchDeck(), Params(name));
    ASSERT_TRUE(images.ok()) << name << ": " << images.status().ToString();
    // Bottom-left corner: margin, nothing is drawn there.
    Bgr corner = PixelAt(images->front(), 3, 716);
    EXPECT_TRUE(Near(corner, ToBgr(theme->background), 1)) << name;
    backgrounds.push_back(corner);
  }
  EXPECT_FALSE(Near(backgrounds[0], backgrounds[1], 30));
  EXPECT_FALSE(Near(backgrounds[0], backgrounds[2], 30));
  EXPECT_FALSE(Near(backgrounds[1], backgrounds[2], 30));
  // The minimal template is light, the dark one dark.
  EXPECT_GT(backgrounds[0].r + backgrounds[0].g + backgrounds[0].b, 600);
  EXPECT_LT(backgrounds[1].r + backgrounds[1].g + backgrounds[1].b, 200);
}

TEST(RenderSlides, RejectsUnknownTemplateAndBadSize) {
  auto bad_template = RenderSlides(PitchDeck(), Params("comic_sans"));
  ASSERT_FALSE(bad_template.ok());
  EXPECT_EQ(bad_template.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(bad_template.status().message().find("comic_sans"), std::string::npos);

  EXPECT_EQ(RenderSlides(PitchDeck(), Params("dark", 0, 720)).status().code(),
            StatusCode::kInvalidInput);
  EXPECT_EQ(RenderSlides(PitchDeck(), Params("dark", 640, -1)).status().code(),
            StatusCode::kInvalidInput);
  EXPECT_EQ(RenderSlides(PitchDeck(), Params("dark", 640, 8)).status().code(),
            StatusCode::kInvalidInput);
  EXPECT_EQ(RenderSlides(PitchDeck(), Params("dark", 100000, 720)).status().code(),
            StatusCode::kInvalidInput);
  EXPECT_EQ(FindSlideTheme("").status().code(), StatusCode::kInvalidInput);
}

TEST(RenderSlides, TextStaysInsideTheSafeAreaWithoutOverlaps) {
  for (const std::string& name : SlideThemeNames()) {
    std::vector<SlideLayoutReport> layout;
    auto images = RenderSlides(PitchDeck(), Params(name), &layout);
    ASSERT_TRUE(images.ok());
    ASSERT_EQ(layout.size(), 4u);
    for (size_t i = 0; i < layout.size(); ++i) {
      const SlideLayoutReport& r = layout[i];
      ExpectCleanLayout(r, name + " slide " + std::to_string(i));
      EXPECT_EQ(r.text_boxes.size(), 1 + PitchDeck().slides[i].bullets.size());
      EXPECT_FALSE(r.ellipsized);
      // Margins of about 7% of the width on both sides.
      EXPECT_NEAR(r.safe_area.x, 0.07 * 640, 6);
      EXPECT_NEAR(r.safe_area.x + r.safe_area.w, 640 - 0.07 * 640, 6);
      // Title first, then bullets top to bottom.
      for (size_t j = 1; j < r.text_boxes.size(); ++j) {
        EXPECT_GT(r.text_boxes[j].y, r.text_boxes[j - 1].y + r.text_boxes[j - 1].h - 1);
      }
    }
  }
}

TEST(RenderSlides, LongBulletsShrinkButNotBelowTheMinimum) {
  std::vector<SlideLayoutReport> roomy, crowded;
  ASSERT_TRUE(RenderSlides(OneSlide("Traction", {"$2M ARR"}), Params("dark"), &roomy).ok());
  ASSERT_TRUE(RenderSlides(LongBulletsDeck(), Params("dark"), &crowded).ok());
  EXPECT_LT(crowded[0].min_font_px, roomy[0].min_font_px);
  EXPECT_GE(crowded[0].min_font_px, 28.0);
  ExpectCleanLayout(crowded[0], "crowded");

  // The minimum scales with the height: 28 px at 720 is 42 px at 1080.
  std::vector<SlideLayoutReport> tall;
  ASSERT_TRUE(RenderSlides(LongBulletsDeck(), Params("dark", 960, 1080), &tall).ok());
  EXPECT_GE(tall[0].min_font_px, 42.0);
  ExpectCleanLayout(tall[0], "tall");
}

TEST(RenderSlides, AbsurdlyLongTextIsEllipsizedInsideTheSafeArea) {
  std::string endless;
  for (int i = 0; i < 300; ++i) endless += "revenue grows every single quarter ";
  std::string long_title;
  for (int i = 0; i < 20; ++i) long_title += "Very long title words ";
  for (const Deck& deck :
       {OneSlide("Overflow", {endless, "dropped", "also dropped"}), OneSlide(long_title, {"short"}),
        OneSlide("Many", std::vector<std::string>(40, endless)),
        OneSlide("No spaces", {std::string(5000, 'x')})}) {
    std::vector<SlideLayoutReport> layout;
    auto images = RenderSlides(deck, Params("bold"), &layout);
    ASSERT_TRUE(images.ok());
    EXPECT_TRUE(layout[0].ellipsized) << deck.slides[0].title;
    EXPECT_GE(layout[0].min_font_px, 28.0);
    ExpectCleanLayout(layout[0], deck.slides[0].title.substr(0, 20));
  }
}

TEST(RenderSlides, TitleAndBulletsHaveInk) {
  for (const std::string& name : SlideThemeNames()) {
    std::vector<SlideLayoutReport> layout;
    auto images = RenderSlides(PitchDeck(), Params(name), &layout);
    ASSERT_TRUE(images.ok());
    const Bgr background = ToBgr(FindSlideTheme(name)->background);
    for (size_t i = 0; i < images->size(); ++i) {
      for (const Box& box : layout[i].text_boxes) {
        ASSERT_GT(box.area(), 100.0);
        // Glyph strokes cover a good part of a text's ink box, never all of it.
        int ink = InkPixels((*images)[i], box, background);
        EXPECT_GT(ink, box.area() * 0.05) << name << " slide " << i;
        EXPECT_LT(ink, box.area() * 0.8) << name << " slide " << i;
      }
    }
    // Outside the text, the title band is background (nothing drawn off the boxes).
    const Box& title = layout[0].text_boxes[0];
    EXPECT_EQ(InkPixels((*images)[0], {title.x + title.w + 2, title.y, 8, title.h}, background), 0);
  }
}

TEST(RenderSlides, NonAsciiAndBrokenUtf8Render) {
  std::vector<SlideLayoutReport> layout;
  auto images = RenderSlides(
      OneSlide("Café für Ärzte — 40% €2M", {"Zürich, São Paulo, Kraków: ½ the cost",
                                            "日本語のテキスト", "bad \xff\xfe bytes\nand\ttabs"}),
      Params("professional_minimal"), &layout);
  ASSERT_TRUE(images.ok()) << images.status().ToString();
  ExpectCleanLayout(layout[0], "utf8");
  const Bgr background = ToBgr(FindSlideTheme("professional_minimal")->background);
  EXPECT_GT(InkPixels(images->front(), layout[0].text_boxes[0], background), 200);
}

TEST(RenderSlides, SlidesWithoutBulletsOrTitle) {
  std::vector<SlideLayoutReport> layout;
  Deck deck = OneSlide("Thank you", {});
  deck.slides.push_back(MakeSlide("", {"Only a bullet"}, 10, 20));
  deck.slides.push_back(MakeSlide("", {}, 20, 30));
  auto images = RenderSlides(deck, Params("dark"), &layout);
  ASSERT_TRUE(images.ok());
  ASSERT_EQ(layout.size(), 3u);
  ASSERT_EQ(layout[0].text_boxes.size(), 1u);
  ExpectCleanLayout(layout[0], "title only");
  // A title-only slide is a section slide: the title sits around the middle.
  EXPECT_NEAR(layout[0].text_boxes[0].cy(), 360, 80);
  ASSERT_EQ(layout[1].text_boxes.size(), 2u);
  EXPECT_EQ(layout[1].text_boxes[0].area(), 0.0);  // no title
  ExpectInside(layout[1].text_boxes[1], layout[1].safe_area, "bullet only");
  EXPECT_EQ(layout[2].min_font_px, 0.0);

  auto empty = RenderSlides(Deck{}, Params("dark"));
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(RenderSlides, RenderingIsDeterministic) {
  auto a = RenderSlides(PitchDeck(), Params("bold"));
  auto b = RenderSlides(PitchDeck(), Params("bold"));
  ASSERT_TRUE(a.ok() && b.ok());
  for (size_t i = 0; i < a->size(); ++i) EXPECT_EQ((*a)[i].pixels, (*b)[i].pixels);
}

TEST_F(SlideFilesTest, WritesNumberedPngsThatDecodeToTheSlides) {
  auto images = RenderSlides(PitchDeck(), Params("dark"));
  ASSERT_TRUE(images.ok());
  ASSERT_TRUE(WriteSlidePngs(*images, dir_.string()).ok());  // creates the folder
  for (int i = 0; i < 4; ++i) {
    const fs::path path = dir_ / ("0" + std::to_string(i + 1) + ".png");
    ASSERT_TRUE(fs::exists(path)) << path;
    CairoSurfacePtr decoded(cairo_image_surface_create_from_png(path.c_str()));
    cairo_surface_t* png = decoded.get();
    ASSERT_EQ(cairo_surface_status(png), CAIRO_STATUS_SUCCESS) << path;
    EXPECT_EQ(cairo_image_surface_get_width(png), 640);
    EXPECT_EQ(cairo_image_surface_get_height(png), 720);
    // Same pixels as the in-memory slide (sample the middle row).
    const int stride = cairo_image_surface_get_stride(png);
    const unsigned char* row =
        cairo_image_surface_get_data(png) + static_cast<size_t>(360) * stride;
    const BgraImage& img = (*images)[i];
    int mismatches = 0;
    for (int x = 0; x < 640; ++x) {
      uint32_t px;
      std::memcpy(&px, row + 4 * static_cast<size_t>(x), 4);
      Bgr want = PixelAt(img, x, 360);
      mismatches += !Near({static_cast<int>(px & 0xFF), static_cast<int>((px >> 8) & 0xFF),
                           static_cast<int>((px >> 16) & 0xFF)},
                          want, 0);
    }
    EXPECT_EQ(mismatches, 0) << path;
  }
  for (const auto& entry : fs::directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().extension(), ".png") << "left behind: " << entry.path();
  }

  // Re-rendering a shorter deck removes the old deck's extra slides, nothing else.
  std::ofstream(dir_ / "notes.txt") << "keep me";
  images->resize(2);
  ASSERT_TRUE(WriteSlidePngs(*images, dir_.string()).ok());
  EXPECT_TRUE(fs::exists(dir_ / "02.png"));
  EXPECT_FALSE(fs::exists(dir_ / "03.png"));
  EXPECT_FALSE(fs::exists(dir_ / "04.png"));
  EXPECT_TRUE(fs::exists(dir_ / "notes.txt"));
}

TEST_F(SlideFilesTest, RejectsMalformedImagesAndUnwritableFolders) {
  BgraImage broken;
  broken.width = 10;
  broken.height = 10;
  broken.pixels.resize(12);
  EXPECT_EQ(WriteSlidePngs({broken}, dir_.string()).code(), StatusCode::kInvalidInput);

  fs::create_directories(dir_);
  std::ofstream(dir_ / "file") << "x";
  auto images = RenderSlides(OneSlide("A", {"b"}), Params("dark"));
  ASSERT_TRUE(images.ok());
  EXPECT_FALSE(WriteSlidePngs(*images, (dir_ / "file" / "slides").string()).ok());
}

TEST_F(SlideFilesTest, WritesAPdfWithOnePagePerSlide) {
  const fs::path pdf = dir_ / "sub" / "deck.pdf";
  Status st = WriteDeckPdf(PitchDeck(), Params("professional_minimal"), pdf.string());
  ASSERT_TRUE(st.ok()) << st.ToString();
  const std::string bytes = ReadFile(pdf);
  ASSERT_GT(bytes.size(), 1000u);
  EXPECT_EQ(bytes.substr(0, 5), "%PDF-");
  int pages = 0;
  const std::string key = "/Type /Page";
  for (size_t at = bytes.find(key); at != std::string::npos; at = bytes.find(key, at + 1)) {
    if (at + key.size() < bytes.size() && bytes[at + key.size()] != 's') ++pages;
  }
  EXPECT_EQ(pages, 4);
  EXPECT_FALSE(fs::exists(pdf.string() + ".tmp"));

  // Overwrites atomically; errors leave the previous file alone.
  ASSERT_TRUE(WriteDeckPdf(OneSlide("Only", {"one"}), Params("bold"), pdf.string()).ok());
  EXPECT_EQ(WriteDeckPdf(PitchDeck(), Params("nope"), pdf.string()).code(),
            StatusCode::kInvalidInput);
  EXPECT_EQ(WriteDeckPdf(Deck{}, Params("dark"), pdf.string()).code(), StatusCode::kInvalidInput);
  EXPECT_EQ(ReadFile(pdf).substr(0, 5), "%PDF-");
}

}  // namespace
}  // namespace presgen::slides_test
