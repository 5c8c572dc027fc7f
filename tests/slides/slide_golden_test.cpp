// Golden images: a fixed deck rendered small (320x360) in each template, with a brand colour
// and logo, and as a title slide, compared to tests/slides/golden/*.png within
// GoldenTolerance. On a mismatch the actual image and a diff are written to the build's
// tests/slides/golden_out/ and their paths printed. After an intended visual change,
// regenerate with PRESGEN_UPDATE_GOLDEN=1 (see golden_image.h and golden/README.md).
#include <gtest/gtest.h>

#include <string>

#include "golden_image.h"
#include "slide_test_support.h"
#include "slides/slide_renderer.h"

namespace presgen::slides_test {
namespace {

constexpr int kGoldenWidth = 320;
constexpr int kGoldenHeight = 360;

Deck GoldenDeck() {
  Deck d;
  d.slides = {
      MakeSlide("Acme Health", {}, 0, 20, "Anna Schmidt, founder & CEO"),
      MakeSlide("Clinics lose 20% of revenue to no-shows",
                {"Patients forget appointments booked weeks ahead",
                 "Front desks spend 3 hours a day on calls", "Every empty slot costs $180"},
                20, 60),
      MakeSlide("Traction", {"120 clinics live", "$2M ARR after 18 months"}, 60, 90),
  };
  return d;
}

// Renders slide `index` of the golden deck.
BgraImage RenderGoldenSlide(const SlideRenderParams& params, size_t index) {
  std::vector<SlideLayoutReport> layout;
  auto images = RenderSlides(GoldenDeck(), params, &layout);
  EXPECT_TRUE(images.ok()) << images.status().ToString();
  if (!images.ok()) return {};
  ExpectCleanLayout(layout[index], "golden slide " + std::to_string(index), params.width,
                    params.height);
  return (*images)[index];
}

class SlideGolden : public SlideFilesTest {
 protected:
  void ExpectGolden(const std::string& name, const SlideRenderParams& params, size_t index) {
    BgraImage image = RenderGoldenSlide(params, index);
    ASSERT_FALSE(image.pixels.empty());
    Status st = CheckGolden(name, image);
    EXPECT_TRUE(st.ok()) << st.ToString();
  }
};

TEST_F(SlideGolden, ProfessionalMinimal) {
  ExpectGolden("professional_minimal", Params("professional_minimal", kGoldenWidth, kGoldenHeight),
               1);
}

TEST_F(SlideGolden, Dark) { ExpectGolden("dark", Params("dark", kGoldenWidth, kGoldenHeight), 1); }

TEST_F(SlideGolden, Bold) { ExpectGolden("bold", Params("bold", kGoldenWidth, kGoldenHeight), 1); }

TEST_F(SlideGolden, BrandColorAndLogo) {
  SlideRenderParams params = Params("dark", kGoldenWidth, kGoldenHeight);
  params.brand_color = "#F97316";
  params.logo_path = WriteTestLogo(dir_);
  ExpectGolden("brand_logo", params, 1);
}

TEST_F(SlideGolden, TitleSlide) {
  ExpectGolden("title_slide", Params("professional_minimal", kGoldenWidth, kGoldenHeight), 0);
}

// The tolerance lets rasteriser noise through but not a visible change.
TEST(GoldenCompare, ToleratesNoiseNotChanges) {
  const GoldenTolerance tolerance;
  const SlideRenderParams params = Params("professional_minimal", kGoldenWidth, kGoldenHeight);
  const BgraImage base = RenderGoldenSlide(params, 1);
  ASSERT_FALSE(base.pixels.empty());
  EXPECT_TRUE(CompareImages(base, base, tolerance).Within(tolerance));
  EXPECT_EQ(CompareImages(base, base, tolerance).mean_abs_diff, 0.0);

  // +-1 on every channel and a few stray pixels: noise.
  BgraImage noisy = base;
  for (size_t i = 0; i < noisy.pixels.size(); ++i) {
    if (i % 4 != 3) noisy.pixels[i] = noisy.pixels[i] > 0 ? noisy.pixels[i] - 1 : 1;
  }
  for (size_t i = 0; i < 50; ++i) {
    unsigned char& blue = noisy.pixels[i * 4 * 97];
    blue = blue < 128 ? 255 : 0;
  }
  EXPECT_TRUE(CompareImages(noisy, base, tolerance).Within(tolerance))
      << CompareImages(noisy, base, tolerance).ToString();

  // Another template, another slide, a different size: changes.
  EXPECT_FALSE(CompareImages(RenderGoldenSlide(Params("dark", kGoldenWidth, kGoldenHeight), 1),
                             base, tolerance)
                   .Within(tolerance));
  EXPECT_FALSE(CompareImages(RenderGoldenSlide(params, 2), base, tolerance).Within(tolerance));
  EXPECT_FALSE(
      CompareImages(RenderGoldenSlide(Params("professional_minimal", 320, 320), 1), base, tolerance)
          .Within(tolerance));

  // One changed number in a bullet (about 0.2% of the pixels): a change.
  Deck deck = GoldenDeck();
  deck.slides[1].bullets[2] = "Every empty slot costs $240";
  auto changed = RenderSlides(deck, params);
  ASSERT_TRUE(changed.ok());
  EXPECT_FALSE(CompareImages((*changed)[1], base, tolerance).Within(tolerance))
      << CompareImages((*changed)[1], base, tolerance).ToString();

  // The diff marks exactly the clearly changed pixels in red.
  BgraImage diff = DiffImage(noisy, base, tolerance);
  ASSERT_EQ(diff.pixels.size(), base.pixels.size());
  int red = 0;
  for (size_t i = 0; i < diff.pixels.size(); i += 4) {
    red += diff.pixels[i] == 0 && diff.pixels[i + 1] == 0 && diff.pixels[i + 2] == 255;
  }
  EXPECT_EQ(red, 50);
}

}  // namespace
}  // namespace presgen::slides_test
