#include "slides/slide_renderer.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <glib.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

#include "slides/cairo_image.h"
#include "slides/cairo_ptr.h"
#include "slides/slide_logo.h"
#include "slides/slide_painter.h"
#include "slides/slide_theme.h"

namespace presgen {
namespace {

namespace fs = std::filesystem;

// Below this there is no room for text; Cairo's image surfaces stop at 32767 and nothing
// sensible needs more than the maximum.
constexpr int kMinSidePx = 16;
constexpr int kMaxSidePx = 16384;

// Checks the params and loads what every slide shares (the logo is decoded once here).
Result<SlideStyle> LoadStyle(const SlideRenderParams& params) {
  if (params.width < kMinSidePx || params.height < kMinSidePx || params.width > kMaxSidePx ||
      params.height > kMaxSidePx) {
    return Status::InvalidInput("slide size must be within " + std::to_string(kMinSidePx) + ".." +
                                std::to_string(kMaxSidePx) + " px, got " +
                                std::to_string(params.width) + "x" + std::to_string(params.height));
  }
  Result<SlideTheme> theme = FindBrandedSlideTheme(params.template_name, params.brand_color);
  if (!theme.ok()) return theme.status();
  SlideStyle style{std::move(theme).value(), nullptr};
  if (!params.logo_path.empty()) {
    Result<CairoSurfacePtr> logo = LoadLogoPng(params.logo_path);
    if (!logo.ok()) return logo.status();
    style.logo = std::move(logo).value();
  }
  return style;
}

Status CairoFailure(const std::string& what, cairo_status_t status) {
  return Status::Internal(what + ": " + cairo_status_to_string(status));
}

// The inverse of CopyOpaqueBgra for any (straight-alpha) BgraImage of a valid size.
CairoSurfacePtr ToCairoSurface(const BgraImage& image) {
  CairoSurfacePtr surface(
      cairo_image_surface_create(CAIRO_FORMAT_ARGB32, image.width, image.height));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) return surface;
  const int stride = cairo_image_surface_get_stride(surface.get());
  unsigned char* data = cairo_image_surface_get_data(surface.get());
  const unsigned char* in = image.pixels.data();
  for (int y = 0; y < image.height; ++y) {
    unsigned char* row = data + static_cast<size_t>(y) * stride;
    for (int x = 0; x < image.width; ++x, in += 4) {
      const uint32_t a = in[3];
      auto premul = [a](uint32_t c) { return (c * a + 127) / 255; };
      uint32_t px = (a << 24) | (premul(in[2]) << 16) | (premul(in[1]) << 8) | premul(in[0]);
      std::memcpy(row + 4 * static_cast<size_t>(x), &px, 4);
    }
  }
  cairo_surface_mark_dirty(surface.get());
  return surface;
}

std::string SlidePngName(size_t index) {
  char name[32];
  std::snprintf(name, sizeof name, "%02zu.png", index + 1);
  return name;
}

// Slide number of a name this module writes ("07.png" -> 7), or 0.
size_t SlidePngNumber(const std::string& name) {
  if (name.size() < 6 || name.compare(name.size() - 4, 4, ".png") != 0) return 0;
  size_t n = 0;
  for (size_t i = 0; i + 4 < name.size(); ++i) {
    if (name[i] < '0' || name[i] > '9') return 0;
    n = n * 10 + static_cast<size_t>(name[i] - '0');
  }
  return n;
}

// Renaming over the destination is atomic on POSIX: readers see the old file or the new one.
Status CommitTemp(const std::string& temp, const std::string& path) {
  std::error_code ec;
  fs::rename(temp, path, ec);
  if (ec) {
    fs::remove(temp, ec);
    return Status::Internal("cannot write " + path + ": " + ec.message());
  }
  return Status::Ok();
}

Status MakeParentDirs(const std::string& path) {
  fs::path parent = fs::path(path).parent_path();
  if (parent.empty()) return Status::Ok();
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec) return Status::Internal("cannot create " + parent.string() + ": " + ec.message());
  return Status::Ok();
}

}  // namespace

Result<std::vector<BgraImage>> RenderSlides(const Deck& deck, const SlideRenderParams& params,
                                            std::vector<SlideLayoutReport>* layout) {
  Result<SlideStyle> style = LoadStyle(params);
  if (!style.ok()) return style.status();
  if (layout != nullptr) layout->assign(deck.slides.size(), SlideLayoutReport{});

  std::vector<BgraImage> images;
  images.reserve(deck.slides.size());
  const int count = static_cast<int>(deck.slides.size());
  for (int i = 0; i < count; ++i) {
    CairoSurfacePtr surface(
        cairo_image_surface_create(CAIRO_FORMAT_ARGB32, params.width, params.height));
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
      return CairoFailure("cannot create slide image", cairo_surface_status(surface.get()));
    }
    CairoPtr cr(cairo_create(surface.get()));
    SlidePage page{static_cast<double>(params.width), static_cast<double>(params.height), i + 1,
                   count};
    PRESGEN_RETURN_IF_ERROR(PaintSlide(cr.get(), deck.slides[i], *style, page,
                                       layout != nullptr ? &(*layout)[i] : nullptr));
    cr.reset();
    images.push_back(CopyOpaqueBgra(surface.get()));
  }
  return images;
}

Status WriteSlidePngs(const std::vector<BgraImage>& slides, const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::Internal("cannot create slide folder " + dir + ": " + ec.message());

  for (size_t i = 0; i < slides.size(); ++i) {
    const BgraImage& image = slides[i];
    if (image.width <= 0 || image.height <= 0 ||
        image.pixels.size() != static_cast<size_t>(image.width) * image.height * 4) {
      return Status::InvalidInput("slide " + std::to_string(i + 1) + " is not a " +
                                  std::to_string(image.width) + "x" + std::to_string(image.height) +
                                  " BGRA image");
    }
    const std::string path = (fs::path(dir) / SlidePngName(i)).string();
    const std::string temp = path + ".tmp";
    CairoSurfacePtr surface = ToCairoSurface(image);
    cairo_status_t st = cairo_surface_status(surface.get());
    if (st == CAIRO_STATUS_SUCCESS) st = cairo_surface_write_to_png(surface.get(), temp.c_str());
    if (st != CAIRO_STATUS_SUCCESS) {
      fs::remove(temp, ec);
      return CairoFailure("cannot write " + path, st);
    }
    PRESGEN_RETURN_IF_ERROR(CommitTemp(temp, path));
  }

  // A re-render of an edited, shorter deck must not leave the old deck's last slides behind.
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
    size_t number = SlidePngNumber(entry.path().filename().string());
    if (number > slides.size() && entry.is_regular_file(ec)) {
      std::error_code ignored;
      fs::remove(entry.path(), ignored);
    }
  }
  return Status::Ok();
}

Status WriteDeckPdf(const Deck& deck, const SlideRenderParams& params, const std::string& path) {
  Result<SlideStyle> style = LoadStyle(params);
  if (!style.ok()) return style.status();
  if (deck.slides.empty()) return Status::InvalidInput("cannot write " + path + ": no slides");
  PRESGEN_RETURN_IF_ERROR(MakeParentDirs(path));

  const std::string temp = path + ".tmp";
  auto fail = [&temp](Status status) {
    std::error_code ec;
    fs::remove(temp, ec);
    return status;
  };
  // One PDF point per slide pixel: the page has the slide's proportions and layout.
  CairoSurfacePtr surface(cairo_pdf_surface_create(temp.c_str(), params.width, params.height));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return fail(CairoFailure("cannot create " + path, cairo_surface_status(surface.get())));
  }
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "presgen");
  const std::string& title = deck.slides.front().title;
  if (!title.empty() && g_utf8_validate(title.data(), static_cast<gssize>(title.size()), nullptr)) {
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, title.c_str());
  }

  CairoPtr cr(cairo_create(surface.get()));
  const int count = static_cast<int>(deck.slides.size());
  for (int i = 0; i < count; ++i) {
    SlidePage page{static_cast<double>(params.width), static_cast<double>(params.height), i + 1,
                   count};
    Status st = PaintSlide(cr.get(), deck.slides[i], *style, page, nullptr);
    if (!st.ok()) return fail(st);
    cairo_show_page(cr.get());
  }
  cr.reset();
  cairo_surface_finish(surface.get());
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return fail(CairoFailure("cannot write " + path, cairo_surface_status(surface.get())));
  }
  surface.reset();
  return CommitTemp(temp, path);
}

}  // namespace presgen
