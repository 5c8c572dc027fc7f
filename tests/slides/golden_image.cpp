#include "golden_image.h"

#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <system_error>

#include "slides/cairo_ptr.h"

#ifndef PRESGEN_SLIDES_GOLDEN_OUT
#error "tests/slides/CMakeLists.txt defines PRESGEN_SLIDES_GOLDEN_OUT"
#endif

namespace presgen::slides_test {
namespace {

namespace fs = std::filesystem;

const unsigned char* Px(const BgraImage& img, size_t i) { return &img.pixels[i * 4]; }

fs::path GoldenDir() { return fs::path(PRESGEN_SOURCE_DIR) / "tests" / "slides" / "golden"; }

bool UpdateRequested() {
  const char* env = std::getenv("PRESGEN_UPDATE_GOLDEN");
  return env != nullptr && std::strcmp(env, "1") == 0;
}

}  // namespace

std::string ImageComparison::ToString() const {
  if (!same_size) return "sizes differ";
  std::ostringstream out;
  out << "mean abs diff " << mean_abs_diff << " per channel, " << differing_frac * 100
      << "% of pixels differ clearly";
  return out.str();
}

ImageComparison CompareImages(const BgraImage& actual, const BgraImage& expected,
                              const GoldenTolerance& tolerance) {
  ImageComparison out;
  out.same_size = actual.width == expected.width && actual.height == expected.height &&
                  actual.pixels.size() == expected.pixels.size() && !actual.pixels.empty();
  if (!out.same_size) return out;
  const size_t n = actual.pixels.size() / 4;
  double sums[3] = {0, 0, 0};
  size_t differing = 0;
  for (size_t i = 0; i < n; ++i) {
    int worst = 0;
    for (int c = 0; c < 3; ++c) {
      const int d = std::abs(Px(actual, i)[c] - Px(expected, i)[c]);
      sums[c] += d;
      worst = std::max(worst, d);
    }
    differing += worst > tolerance.big_diff;
  }
  out.mean_abs_diff = std::max({sums[0], sums[1], sums[2]}) / static_cast<double>(n);
  out.differing_frac = static_cast<double>(differing) / static_cast<double>(n);
  return out;
}

BgraImage DiffImage(const BgraImage& actual, const BgraImage& expected,
                    const GoldenTolerance& tolerance) {
  BgraImage diff;
  diff.width = expected.width;
  diff.height = expected.height;
  diff.pixels.assign(expected.pixels.size(), 255);
  const bool same = actual.pixels.size() == expected.pixels.size();
  for (size_t i = 0; i < expected.pixels.size() / 4; ++i) {
    const unsigned char* e = Px(expected, i);
    int worst = 0;
    for (int c = 0; same && c < 3; ++c) worst = std::max(worst, std::abs(Px(actual, i)[c] - e[c]));
    unsigned char* d = &diff.pixels[i * 4];
    const unsigned char grey = static_cast<unsigned char>(192 + (e[0] + e[1] + e[2]) / 12);
    if (!same || worst > tolerance.big_diff) {
      d[0] = 0, d[1] = 0, d[2] = 255;  // red
    } else if (worst > 0) {
      d[0] = 0, d[1] = 200, d[2] = 255;  // yellow
    } else {
      d[0] = d[1] = d[2] = grey;
    }
  }
  return diff;
}

Result<BgraImage> ReadPng(const std::string& path) {
  CairoSurfacePtr surface(cairo_image_surface_create_from_png(path.c_str()));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return Status::NotFound("cannot read " + path + ": " +
                            cairo_status_to_string(cairo_surface_status(surface.get())));
  }
  const cairo_format_t format = cairo_image_surface_get_format(surface.get());
  if (format != CAIRO_FORMAT_ARGB32 && format != CAIRO_FORMAT_RGB24) {
    return Status::InvalidInput(path + " is not an 8-bit RGB(A) PNG");
  }
  BgraImage image;
  image.width = cairo_image_surface_get_width(surface.get());
  image.height = cairo_image_surface_get_height(surface.get());
  const int stride = cairo_image_surface_get_stride(surface.get());
  const unsigned char* data = cairo_image_surface_get_data(surface.get());
  image.pixels.resize(static_cast<size_t>(image.width) * image.height * 4);
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      uint32_t px;
      std::memcpy(&px, data + static_cast<size_t>(y) * stride + 4 * static_cast<size_t>(x), 4);
      unsigned char* out = &image.pixels[(static_cast<size_t>(y) * image.width + x) * 4];
      out[0] = px & 0xFF;
      out[1] = (px >> 8) & 0xFF;
      out[2] = (px >> 16) & 0xFF;
      out[3] = 0xFF;
    }
  }
  return image;
}

Status WritePng(const BgraImage& image, const std::string& path) {
  // RGB24: slides are opaque, and a PNG without alpha is smaller.
  CairoSurfacePtr surface(
      cairo_image_surface_create(CAIRO_FORMAT_RGB24, image.width, image.height));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return Status::Internal("cannot create a surface for " + path);
  }
  const int stride = cairo_image_surface_get_stride(surface.get());
  unsigned char* data = cairo_image_surface_get_data(surface.get());
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      const unsigned char* in = &image.pixels[(static_cast<size_t>(y) * image.width + x) * 4];
      const uint32_t px = (0xFFu << 24) | (uint32_t{in[2]} << 16) | (uint32_t{in[1]} << 8) | in[0];
      std::memcpy(data + static_cast<size_t>(y) * stride + 4 * static_cast<size_t>(x), &px, 4);
    }
  }
  cairo_surface_mark_dirty(surface.get());
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  const cairo_status_t st = cairo_surface_write_to_png(surface.get(), path.c_str());
  if (st != CAIRO_STATUS_SUCCESS) {
    return Status::Internal("cannot write " + path + ": " + cairo_status_to_string(st));
  }
  return Status::Ok();
}

Status CheckGolden(const std::string& name, const BgraImage& actual,
                   const GoldenTolerance& tolerance) {
  const std::string golden = (GoldenDir() / (name + ".png")).string();
  if (UpdateRequested()) return WritePng(actual, golden);

  Result<BgraImage> expected = ReadPng(golden);
  if (!expected.ok()) {
    return Status::NotFound(expected.status().message() +
                            " (create it with PRESGEN_UPDATE_GOLDEN=1)");
  }
  const ImageComparison cmp = CompareImages(actual, *expected, tolerance);
  if (cmp.Within(tolerance)) return Status::Ok();

  const fs::path out_dir = PRESGEN_SLIDES_GOLDEN_OUT;
  const std::string actual_path = (out_dir / (name + ".actual.png")).string();
  const std::string diff_path = (out_dir / (name + ".diff.png")).string();
  PRESGEN_RETURN_IF_ERROR(WritePng(actual, actual_path));
  if (cmp.same_size) {
    PRESGEN_RETURN_IF_ERROR(WritePng(DiffImage(actual, *expected, tolerance), diff_path));
  }
  return Status::Internal(name + " differs from " + golden + ": " + cmp.ToString() + "; actual: " +
                          actual_path + (cmp.same_size ? "; diff: " + diff_path : std::string()));
}

}  // namespace presgen::slides_test
