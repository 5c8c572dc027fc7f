// The deck's logo: a user-supplied PNG, decoded once per deck and drawn small in the bottom
// margin of every slide (left-aligned with the text, vertically centred in the margin, so it
// never meets the safe area's text or the slide counter on the right).
//
// Thread-safety: the functions share no state.
#pragma once

#include <cairo.h>

#include <string>

#include "core/status.h"
#include "core/types.h"
#include "slides/cairo_ptr.h"

namespace presgen {

// Largest logo accepted, per side: larger files are refused before decoding (a logo is
// shown at most a few hundred pixels wide; this bounds the decoded size to 64 MB).
inline constexpr int kMaxLogoSidePx = 4096;

// Decodes the PNG at `path` into an image surface (owned by the caller).
// Errors: kInvalidInput, naming the file, if it cannot be read, is not a PNG, is damaged,
// or is larger than kMaxLogoSidePx on a side.
Result<CairoSurfacePtr> LoadLogoPng(const std::string& path);

// Where a logo of logo_w x logo_h pixels goes on a page: scaled (keeping its aspect) to
// fit a box of 12% of the page width by 7% of its height, in the bottom margin below
// `safe_area`, its left edge on the safe area's. Page units. Empty for an empty logo.
Box SlideLogoBox(double page_width, double page_height, const Box& safe_area, int logo_w,
                 int logo_h);

// Paints `logo` (borrowed) scaled into `box` (as SlideLogoBox gives it) on `cr`.
void PaintSlideLogo(cairo_t* cr, cairo_surface_t* logo, const Box& box);

}  // namespace presgen
