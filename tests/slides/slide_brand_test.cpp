// Branding: a hex brand colour replaces the template's accent (keeping bullet dots visible),
// and a PNG logo is read once per deck and drawn on every slide.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "slide_test_support.h"
#include "slides/slide_renderer.h"
#include "slides/slide_theme.h"

namespace presgen::slides_test {
namespace {

void ExpectRgb(const Rgb& c, uint32_t hex) {
  const Rgb want = RgbFromHex(hex);
  EXPECT_DOUBLE_EQ(c.r, want.r);
  EXPECT_DOUBLE_EQ(c.g, want.g);
  EXPECT_DOUBLE_EQ(c.b, want.b);
}

TEST(BrandColor, ParsesSixHexDigitsWithOrWithoutHash) {
  Result<Rgb> a = ParseHexColor("#1A73E8");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ExpectRgb(*a, 0x1A73E8);
  Result<Rgb> b = ParseHexColor("ff5a1f");
  ASSERT_TRUE(b.ok());
  ExpectRgb(*b, 0xFF5A1F);
  ExpectRgb(*ParseHexColor("#000000"), 0x000000);

  for (const std::string bad : {"", "#", "#FFF", "FFF", "#GG0000", "#1234567", " #123456", "#12345",
                                "##123456", "0x123456", "red"}) {
    Result<Rgb> c = ParseHexColor(bad);
    ASSERT_FALSE(c.ok()) << "'" << bad << "'";
    EXPECT_EQ(c.status().code(), StatusCode::kInvalidInput);
    EXPECT_NE(c.status().message().find("'" + bad + "'"), std::string::npos)
        << c.status().message();
  }
}

TEST(BrandColor, ContrastRatioFollowsWcag) {
  const Rgb black = RgbFromHex(0x000000), white = RgbFromHex(0xFFFFFF);
  EXPECT_NEAR(ContrastRatio(black, white), 21.0, 1e-9);
  EXPECT_NEAR(ContrastRatio(white, black), 21.0, 1e-9);
  EXPECT_NEAR(ContrastRatio(white, white), 1.0, 1e-9);
  EXPECT_NEAR(ContrastRatio(RgbFromHex(0x767676), white), 4.54, 0.01);  // WCAG's AA grey
  // Every template's own accent is clearly visible on its background.
  for (const std::string& name : SlideThemeNames()) {
    auto theme = FindSlideTheme(name);
    EXPECT_GE(ContrastRatio(theme->accent, theme->background), kMinAccentContrast) << name;
  }
}

TEST(BrandColor, FindBrandedSlideThemeReplacesOnlyTheAccent) {
  auto plain = FindSlideTheme("dark");
  auto branded = FindBrandedSlideTheme("dark", "#E11D48");
  ASSERT_TRUE(branded.ok());
  ExpectRgb(branded->accent, 0xE11D48);
  ExpectRgb(branded->background, 0x0F172A);
  EXPECT_EQ(branded->font_family, plain->font_family);
  auto unbranded = FindBrandedSlideTheme("dark", "");
  ASSERT_TRUE(unbranded.ok());
  ExpectRgb(unbranded->accent, 0x38BDF8);
  EXPECT_EQ(FindBrandedSlideTheme("nope", "#E11D48").status().code(), StatusCode::kInvalidInput);
}

// The left part of a bullet's box, where its dot is drawn.
Box DotStrip(const SlideLayoutReport& r, size_t bullet) {
  const Box& b = r.text_boxes[1 + bullet];
  return {b.x, b.y, 0.35 * r.min_font_px, b.h};
}

Bgr BarColour(const BgraImage& img, const SlideLayoutReport& r) {
  return PixelAt(img, static_cast<int>(r.accent_bar.cx()), static_cast<int>(r.accent_bar.cy()));
}

TEST(BrandColor, ColoursTheBarAndTheBulletDots) {
  const Bgr brand = ToBgr(RgbFromHex(0xE11D48));
  for (const std::string& name : SlideThemeNames()) {
    SlideRenderParams params = Params(name);
    std::vector<SlideLayoutReport> plain_layout, brand_layout;
    auto plain = RenderSlides(PitchDeck(), params, &plain_layout);
    params.brand_color = "E11D48";
    auto branded = RenderSlides(PitchDeck(), params, &brand_layout);
    ASSERT_TRUE(plain.ok() && branded.ok());
    const Bgr accent = ToBgr(FindSlideTheme(name)->accent);
    EXPECT_TRUE(Near(BarColour((*plain)[0], plain_layout[0]), accent, 1)) << name;
    EXPECT_TRUE(Near(BarColour((*branded)[0], brand_layout[0]), brand, 1)) << name;
    const Box strip = DotStrip(brand_layout[0], 0);
    EXPECT_GT(PixelsNear((*branded)[0], strip, brand, 8), 10) << name;
    EXPECT_EQ(PixelsNear((*plain)[0], strip, brand, 8), 0) << name;
    // Same layout: the colour changes nothing else.
    ASSERT_EQ(plain_layout[0].text_boxes.size(), brand_layout[0].text_boxes.size());
    EXPECT_EQ(plain_layout[0].text_boxes[1].y, brand_layout[0].text_boxes[1].y);
  }
}

TEST(BrandColor, TooCloseToTheBackgroundStillMakesTheBarButNotTheDots) {
  // White on the minimal template's near-white background: contrast about 1.05.
  SlideRenderParams params = Params("professional_minimal");
  params.brand_color = "#FFFFFF";
  std::vector<SlideLayoutReport> layout;
  auto images = RenderSlides(PitchDeck(), params, &layout);
  ASSERT_TRUE(images.ok());
  auto theme = FindSlideTheme("professional_minimal");
  ASSERT_LT(ContrastRatio(RgbFromHex(0xFFFFFF), theme->background), kMinAccentContrast);
  EXPECT_TRUE(Near(BarColour((*images)[0], layout[0]), {255, 255, 255}, 0));
  // The dots are drawn in the body colour instead.
  EXPECT_GT(PixelsNear((*images)[0], DotStrip(layout[0], 0), ToBgr(theme->body), 8), 10);
}

TEST(BrandColor, MalformedColourIsRejectedNamingIt) {
  SlideRenderParams params = Params("dark");
  params.brand_color = "#12GZ00";
  auto images = RenderSlides(PitchDeck(), params);
  ASSERT_FALSE(images.ok());
  EXPECT_EQ(images.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(images.status().message().find("#12GZ00"), std::string::npos);
  EXPECT_EQ(WriteDeckPdf(PitchDeck(), params, "/nonexistent/deck.pdf").code(),
            StatusCode::kInvalidInput);
}

using namespace std::string_literals;

class SlideLogo : public SlideFilesTest {};

TEST_F(SlideLogo, UnreadableOrNonPngLogosAreRejectedNamingTheFile) {
  fs::create_directories(dir_);
  const std::string good = WriteTestLogo(dir_);
  const std::string png = ReadFile(good);
  auto write = [&](const std::string& name, const std::string& bytes) {
    const fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path.string();
  };
  std::string huge = png.substr(0, 24);
  huge[16] = 0x7F;  // width 0x7F0000xx: far beyond the limit
  const std::vector<std::string> bad = {
      (dir_ / "missing.png").string(),
      dir_.string(),  // a folder
      write("text.png", "this is not an image, it only has a .png name"),
      write("short.png", "\x89PNG"),
      write("jpeg.png",
            "\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x02\x00\x00\x01\x00\x01\x00\x00"
            "\xFF\xDB\x00\x43\x00"s),
      write("truncated.png", png.substr(0, png.size() / 2)),
      write("huge.png", huge + png.substr(24)),
  };
  for (const std::string& path : bad) {
    SlideRenderParams params = Params("dark");
    params.logo_path = path;
    auto images = RenderSlides(PitchDeck(), params);
    ASSERT_FALSE(images.ok()) << path;
    EXPECT_EQ(images.status().code(), StatusCode::kInvalidInput) << path;
    EXPECT_NE(images.status().message().find(path), std::string::npos) << images.status().message();
    EXPECT_EQ(WriteDeckPdf(PitchDeck(), params, (dir_ / "deck.pdf").string()).code(),
              StatusCode::kInvalidInput)
        << path;
  }
  EXPECT_FALSE(fs::exists(dir_ / "deck.pdf"));
}

TEST_F(SlideLogo, DrawnOnEverySlideAndOnlyInItsBox) {
  SlideRenderParams params = Params("dark");
  std::vector<SlideLayoutReport> plain_layout, logo_layout;
  auto plain = RenderSlides(PitchDeck(), params, &plain_layout);
  params.logo_path = WriteTestLogo(dir_);
  auto with_logo = RenderSlides(PitchDeck(), params, &logo_layout);
  ASSERT_TRUE(plain.ok() && with_logo.ok());
  const Bgr fill = ToBgr(RgbFromHex(kLogoFillHex));
  for (size_t i = 0; i < with_logo->size(); ++i) {
    EXPECT_EQ(plain_layout[i].logo_box.area(), 0.0);
    const Box& box = logo_layout[i].logo_box;
    ASSERT_GT(box.area(), 0.0);
    // The badge covers most of its box; nothing of it shows without a logo.
    EXPECT_GT(PixelsNear((*with_logo)[i], box, fill, 10), box.area() * 0.4) << i;
    EXPECT_EQ(PixelsNear((*plain)[i], box, fill, 10), 0) << i;
    // Outside the box the slide is unchanged.
    const BgraImage& a = (*plain)[i];
    const BgraImage& b = (*with_logo)[i];
    int changed_outside = 0;
    for (int y = 0; y < a.height; ++y) {
      for (int x = 0; x < a.width; ++x) {
        const bool inside =
            x >= box.x - 1 && x < box.x + box.w + 1 && y >= box.y - 1 && y < box.y + box.h + 1;
        changed_outside += !inside && !Near(PixelAt(a, x, y), PixelAt(b, x, y), 0);
      }
    }
    EXPECT_EQ(changed_outside, 0) << i;
  }
}

TEST_F(SlideLogo, PdfEmbedsTheLogoOnceForTheWholeDeck) {
  SlideRenderParams params = Params("professional_minimal");
  params.logo_path = WriteTestLogo(dir_);
  const fs::path pdf = dir_ / "deck.pdf";
  ASSERT_TRUE(WriteDeckPdf(PitchDeck(), params, pdf.string()).ok());
  const std::string bytes = ReadFile(pdf);
  int images = 0;
  for (size_t at = bytes.find("/Subtype /Image"); at != std::string::npos;
       at = bytes.find("/Subtype /Image", at + 1)) {
    ++images;
  }
  // One decoded logo shared by the four pages (plus at most its alpha mask).
  EXPECT_GE(images, 1);
  EXPECT_LE(images, 2);
}

}  // namespace
}  // namespace presgen::slides_test
