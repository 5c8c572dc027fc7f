// Cairo image surface -> BgraImage, shared by the native and the HTML renderers.
#pragma once

#include <cairo.h>

#include <cstdint>
#include <cstring>

#include "core/types.h"

namespace presgen {

// Copies the w x h region at (x0, y0) of an ARGB32/RGB24 image surface. Cairo
// stores a native-endian premultiplied uint32 per pixel; BgraImage is B, G, R, A
// bytes. Slides are opaque, so alpha is forced to 255 and nothing is
// unpremultiplied. The region must lie inside the surface.
inline BgraImage CopyOpaqueBgra(cairo_surface_t* surface, int x0, int y0, int w, int h) {
  cairo_surface_flush(surface);
  const size_t stride = static_cast<size_t>(cairo_image_surface_get_stride(surface));
  const unsigned char* data = cairo_image_surface_get_data(surface);
  BgraImage image;
  image.width = w;
  image.height = h;
  image.pixels.resize(static_cast<size_t>(w) * h * 4);
  unsigned char* out = image.pixels.data();
  for (int y = 0; y < h; ++y) {
    const unsigned char* row = data + static_cast<size_t>(y0 + y) * stride + x0 * size_t{4};
    for (int x = 0; x < w; ++x, out += 4) {
      uint32_t px;
      std::memcpy(&px, row + 4 * static_cast<size_t>(x), 4);
      out[0] = px & 0xFF;
      out[1] = (px >> 8) & 0xFF;
      out[2] = (px >> 16) & 0xFF;
      out[3] = 0xFF;
    }
  }
  return image;
}

// The whole surface.
inline BgraImage CopyOpaqueBgra(cairo_surface_t* surface) {
  return CopyOpaqueBgra(surface, 0, 0, cairo_image_surface_get_width(surface),
                        cairo_image_surface_get_height(surface));
}

}  // namespace presgen
