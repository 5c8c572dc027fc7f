#include "slide_test_support.h"

#include <cairo.h>
#include <pango/pangocairo.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <numbers>
#include <utility>

#include "slides/cairo_ptr.h"

namespace presgen::slides_test {

Slide MakeSlide(std::string title, std::vector<std::string> bullets, double start_s, double end_s,
                std::string subtitle) {
  Slide s;
  s.title = std::move(title);
  s.subtitle = std::move(subtitle);
  s.bullets = std::move(bullets);
  s.start_s = start_s;
  s.end_s = end_s;
  return s;
}

Deck PitchDeck() {
  Deck d;
  d.slides = {
      MakeSlide("Clinics lose 20% of revenue to no-shows",
                {"Patients forget appointments booked weeks ahead",
                 "Front desks spend 3 hours a day on reminder calls",
                 "Every empty slot costs a clinic $180 on average"},
                0, 40),
      MakeSlide("MediRemind fills empty slots automatically",
                {"Smart reminders by SMS and WhatsApp", "One-tap rescheduling for patients",
                 "Waitlist backfill in under 5 minutes"},
                40, 80),
      MakeSlide("Traction",
                {"120 clinics live, growing 40% month over month", "$2M ARR after 18 months",
                 "Net revenue retention of 135%"},
                80, 120),
      MakeSlide("Raising $5M to expand across Europe",
                {"Launching in Germany and France in Q2", "Hire 12 engineers in Berlin"}, 120, 160),
  };
  for (size_t i = 0; i < d.slides.size(); ++i) d.slides[i].index = static_cast<int>(i);
  return d;
}

Deck OneSlide(std::string title, std::vector<std::string> bullets, std::string subtitle) {
  Deck d;
  d.slides = {MakeSlide(std::move(title), std::move(bullets), 0, 10, std::move(subtitle))};
  return d;
}

Deck LongBulletsDeck() {
  return OneSlide(
      "Why now: the market is ready for automated patient engagement",
      {"Our platform integrates with every major electronic health record system in use today",
       "Patients receive personalised reminders in their own language with one-tap replies",
       "Clinics see fewer no-shows, shorter waitlists and happier staff within a month",
       "Pricing is per provider per month with no setup fees and a free sixty-day pilot",
       "We are SOC 2 Type II certified and HIPAA and GDPR compliant from day one"});
}

SlideRenderParams Params(const std::string& template_name, int width, int height) {
  SlideRenderParams p;
  p.template_name = template_name;
  p.width = width;
  p.height = height;
  return p;
}

Bgr ToBgr(const Rgb& c) {
  return {static_cast<int>(std::lround(c.b * 255)), static_cast<int>(std::lround(c.g * 255)),
          static_cast<int>(std::lround(c.r * 255))};
}

Bgr PixelAt(const BgraImage& img, int x, int y) {
  const unsigned char* p = &img.pixels[(static_cast<size_t>(y) * img.width + x) * 4];
  return {p[0], p[1], p[2]};
}

bool Near(const Bgr& a, const Bgr& b, int tol) {
  return std::abs(a.b - b.b) <= tol && std::abs(a.g - b.g) <= tol && std::abs(a.r - b.r) <= tol;
}

bool Overlap(const Box& a, const Box& b) {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

void ExpectInside(const Box& inner, const Box& outer, const std::string& what) {
  EXPECT_GE(inner.x, outer.x) << what;
  EXPECT_GE(inner.y, outer.y) << what;
  EXPECT_LE(inner.x + inner.w, outer.x + outer.w) << what;
  EXPECT_LE(inner.y + inner.h, outer.y + outer.h) << what;
}

void ExpectCleanLayout(const SlideLayoutReport& report, const std::string& what, double page_w,
                       double page_h) {
  ASSERT_FALSE(report.text_boxes.empty()) << what;
  for (size_t i = 0; i < report.text_boxes.size(); ++i) {
    ExpectInside(report.text_boxes[i], report.safe_area, what + " box " + std::to_string(i));
    for (size_t j = i + 1; j < report.text_boxes.size(); ++j) {
      EXPECT_FALSE(Overlap(report.text_boxes[i], report.text_boxes[j]))
          << what << " boxes " << i << " and " << j;
    }
  }
  const Box page{0, 0, page_w, page_h};
  const double safe_bottom = report.safe_area.y + report.safe_area.h;
  for (const auto& [box, name] :
       {std::pair{report.logo_box, "logo"}, std::pair{report.counter_box, "counter"}}) {
    if (box.area() == 0) continue;
    ExpectInside(box, page, what + " " + name);
    EXPECT_GE(box.y, safe_bottom) << what << " " << name << " in the bottom margin";
    for (size_t i = 0; i < report.text_boxes.size(); ++i) {
      EXPECT_FALSE(Overlap(box, report.text_boxes[i])) << what << " " << name << " / text " << i;
    }
  }
  if (report.logo_box.area() > 0 && report.counter_box.area() > 0) {
    EXPECT_FALSE(Overlap(report.logo_box, report.counter_box)) << what << " logo / counter";
  }
}

int InkPixels(const BgraImage& img, const Box& box, const Bgr& background) {
  int count = 0;
  const int x0 = std::max(0, static_cast<int>(box.x)), y0 = std::max(0, static_cast<int>(box.y));
  const int x1 = std::min(img.width, static_cast<int>(std::ceil(box.x + box.w)));
  const int y1 = std::min(img.height, static_cast<int>(std::ceil(box.y + box.h)));
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) count += !Near(PixelAt(img, x, y), background, 40);
  }
  return count;
}

int PixelsNear(const BgraImage& img, const Box& box, const Bgr& colour, int tol) {
  int count = 0;
  const int x0 = std::max(0, static_cast<int>(box.x)), y0 = std::max(0, static_cast<int>(box.y));
  const int x1 = std::min(img.width, static_cast<int>(std::ceil(box.x + box.w)));
  const int y1 = std::min(img.height, static_cast<int>(std::ceil(box.y + box.h)));
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) count += Near(PixelAt(img, x, y), colour, tol);
  }
  return count;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string WriteTestLogo(const fs::path& dir, int w, int h) {
  fs::create_directories(dir);
  const fs::path path = dir / ("logo_" + std::to_string(w) + "x" + std::to_string(h) + ".png");
  CairoSurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h));
  CairoPtr cr(cairo_create(surface.get()));
  // A rounded badge filling the image, a white disc and a dark stripe inside it.
  const double r = std::min(w, h) * 0.25;
  cairo_new_sub_path(cr.get());
  cairo_arc(cr.get(), w - r, r, r, -std::numbers::pi / 2, 0);
  cairo_arc(cr.get(), w - r, h - r, r, 0, std::numbers::pi / 2);
  cairo_arc(cr.get(), r, h - r, r, std::numbers::pi / 2, std::numbers::pi);
  cairo_arc(cr.get(), r, r, r, std::numbers::pi, 1.5 * std::numbers::pi);
  cairo_close_path(cr.get());
  const Rgb fill = RgbFromHex(kLogoFillHex);
  cairo_set_source_rgb(cr.get(), fill.r, fill.g, fill.b);
  cairo_fill(cr.get());
  cairo_set_source_rgb(cr.get(), 1, 1, 1);
  cairo_arc(cr.get(), h * 0.5, h * 0.5, h * 0.28, 0, 2 * std::numbers::pi);
  cairo_fill(cr.get());
  cairo_set_source_rgb(cr.get(), 0.06, 0.09, 0.16);
  cairo_rectangle(cr.get(), h * 0.95, h * 0.4, w - h * 1.25, h * 0.2);
  cairo_fill(cr.get());
  cr.reset();
  EXPECT_EQ(cairo_surface_write_to_png(surface.get(), path.c_str()), CAIRO_STATUS_SUCCESS);
  return path.string();
}

void SlideFilesTest::SetUp() {
  dir_ =
      fs::temp_directory_path() / ("presgen_slides_" + std::to_string(getpid()) + "_" +
                                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
  fs::remove_all(dir_);
}

void SlideFilesTest::TearDown() { fs::remove_all(dir_); }

}  // namespace presgen::slides_test
