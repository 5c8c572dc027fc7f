#include "slides/slide_logo.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>

namespace presgen {
namespace {

constexpr double kLogoMaxWidthFrac = 0.12;
constexpr double kLogoMaxHeightFrac = 0.07;
// Space kept free between the logo and the safe area above it, as a fraction of the page
// height (the bottom margin is 11%, so a 7% logo normally has 2% on each side).
constexpr double kLogoGapFrac = 0.01;

constexpr std::array<unsigned char, 8> kPngSignature = {0x89, 'P',  'N',  'G',
                                                        '\r', '\n', 0x1A, '\n'};

uint32_t ReadBigEndian32(const unsigned char* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

// Checks the signature and the IHDR chunk (always first) before anything is decoded.
Status CheckPngHeader(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::array<unsigned char, 24> head{};
  if (!in || !in.read(reinterpret_cast<char*>(head.data()), head.size())) {
    return Status::InvalidInput("cannot read logo " + path +
                                (in ? ": file too short for a PNG" : ": no such readable file"));
  }
  if (!std::equal(kPngSignature.begin(), kPngSignature.end(), head.begin()) ||
      std::memcmp(head.data() + 12, "IHDR", 4) != 0) {
    return Status::InvalidInput("logo " + path + " is not a PNG file");
  }
  const uint32_t w = ReadBigEndian32(head.data() + 16), h = ReadBigEndian32(head.data() + 20);
  if (w == 0 || h == 0 || w > kMaxLogoSidePx || h > kMaxLogoSidePx) {
    return Status::InvalidInput("logo " + path + " is " + std::to_string(w) + "x" +
                                std::to_string(h) + " px; it must be 1.." +
                                std::to_string(kMaxLogoSidePx) + " px on each side");
  }
  return Status::Ok();
}

}  // namespace

Result<CairoSurfacePtr> LoadLogoPng(const std::string& path) {
  PRESGEN_RETURN_IF_ERROR(CheckPngHeader(path));
  CairoSurfacePtr logo(cairo_image_surface_create_from_png(path.c_str()));
  const cairo_status_t status = cairo_surface_status(logo.get());
  if (status != CAIRO_STATUS_SUCCESS) {
    return Status::InvalidInput("cannot read logo " + path + ": " + cairo_status_to_string(status));
  }
  return logo;
}

Box SlideLogoBox(double page_width, double page_height, const Box& safe_area, int logo_w,
                 int logo_h) {
  if (logo_w <= 0 || logo_h <= 0) return {};
  const double margin_top = safe_area.y + safe_area.h;
  const double margin_h = page_height - margin_top;
  const double max_w = kLogoMaxWidthFrac * page_width;
  const double max_h =
      std::min(kLogoMaxHeightFrac * page_height, margin_h - 2 * kLogoGapFrac * page_height);
  if (max_w <= 0 || max_h <= 0) return {};
  const double scale = std::min(max_w / logo_w, max_h / logo_h);
  const double w = logo_w * scale, h = logo_h * scale;
  // Whole-pixel origin keeps a small logo crisp on image surfaces.
  const double x = std::round(safe_area.x);
  const double y = std::max(std::ceil(margin_top + kLogoGapFrac * page_height),
                            std::round(margin_top + (margin_h - h) / 2));
  return {x, y, w, h};
}

void PaintSlideLogo(cairo_t* cr, cairo_surface_t* logo, const Box& box) {
  const int logo_w = cairo_image_surface_get_width(logo);
  const int logo_h = cairo_image_surface_get_height(logo);
  if (logo_w <= 0 || logo_h <= 0 || box.w <= 0 || box.h <= 0) return;
  cairo_save(cr);
  cairo_translate(cr, box.x, box.y);
  cairo_scale(cr, box.w / logo_w, box.h / logo_h);
  cairo_set_source_surface(cr, logo, 0, 0);
  // GOOD averages all source pixels when shrinking a lot (a 2000 px logo into 70 px).
  cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
  cairo_rectangle(cr, 0, 0, logo_w, logo_h);
  cairo_fill(cr);
  cairo_restore(cr);
}

}  // namespace presgen
