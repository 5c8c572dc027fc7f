// RAII for every Cairo/Pango handle the slide renderer holds: one deleter and one
// unique_ptr alias per type (the ggml-cpp.h pattern). Nothing outside this header calls
// cairo_*_destroy, g_object_unref, pango_font_description_free or g_free.
//
// Cairo objects are reference counted; a pointer wrapped here owns exactly one
// reference. Wrapping a null pointer is allowed (Cairo "create" calls never return
// null, they return an object in an error state: check cairo_*_status()).
#pragma once

#include <cairo.h>
#include <glib-object.h>
#include <pango/pango.h>

#include <memory>

namespace presgen {

struct CairoSurfaceDeleter {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct CairoDeleter {
  void operator()(cairo_t* cr) const { cairo_destroy(cr); }
};
struct CairoFontOptionsDeleter {
  void operator()(cairo_font_options_t* o) const { cairo_font_options_destroy(o); }
};
struct PangoContextDeleter {
  void operator()(PangoContext* c) const { g_object_unref(c); }
};
struct PangoLayoutDeleter {
  void operator()(PangoLayout* l) const { g_object_unref(l); }
};
struct PangoFontDescriptionDeleter {
  void operator()(PangoFontDescription* d) const { pango_font_description_free(d); }
};
struct GFreeDeleter {
  void operator()(void* p) const { g_free(p); }
};
struct PangoAttrListDeleter {
  void operator()(PangoAttrList* a) const { pango_attr_list_unref(a); }
};

using CairoSurfacePtr = std::unique_ptr<cairo_surface_t, CairoSurfaceDeleter>;
using CairoPtr = std::unique_ptr<cairo_t, CairoDeleter>;
using CairoFontOptionsPtr = std::unique_ptr<cairo_font_options_t, CairoFontOptionsDeleter>;
using PangoContextPtr = std::unique_ptr<PangoContext, PangoContextDeleter>;
using PangoLayoutPtr = std::unique_ptr<PangoLayout, PangoLayoutDeleter>;
using PangoFontDescriptionPtr = std::unique_ptr<PangoFontDescription, PangoFontDescriptionDeleter>;
using PangoAttrListPtr = std::unique_ptr<PangoAttrList, PangoAttrListDeleter>;
// Memory GLib hands over to be released with g_free (strings, arrays).
template <typename T>
using GFreePtr = std::unique_ptr<T, GFreeDeleter>;
using GCharPtr = GFreePtr<char>;

}  // namespace presgen
