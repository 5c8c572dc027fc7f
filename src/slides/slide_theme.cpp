#include "slides/slide_theme.h"

#include <pango/pangocairo.h>

#include <algorithm>
#include <cctype>
#include <cmath>

#include "slides/cairo_ptr.h"

namespace presgen {
namespace {

constexpr char kPreferredFamily[] = "Inter";
constexpr char kPreferredTitleFamily[] = "Inter Display";
constexpr char kFallbackFamily[] = "Sans";

// Tailwind-like slate/blue/indigo tones: high contrast, nothing saturated next to text.
std::vector<SlideTheme> BuiltInThemes() {
  return {
      {"professional_minimal", RgbFromHex(0xF8FAFC), RgbFromHex(0x0F172A), RgbFromHex(0x334155),
       RgbFromHex(0x2563EB), RgbFromHex(0x94A3B8), "", ""},
      {"dark", RgbFromHex(0x0F172A), RgbFromHex(0xF8FAFC), RgbFromHex(0xCBD5E1),
       RgbFromHex(0x38BDF8), RgbFromHex(0x64748B), "", ""},
      {"bold", RgbFromHex(0x4338CA), RgbFromHex(0xFFFFFF), RgbFromHex(0xE0E7FF),
       RgbFromHex(0xFBBF24), RgbFromHex(0xA5B4FC), "", ""},
  };
}

bool EqualsIgnoreCase(const char* a, const char* b) {
  for (; *a && *b; ++a, ++b) {
    if (std::tolower(static_cast<unsigned char>(*a)) !=
        std::tolower(static_cast<unsigned char>(*b))) {
      return false;
    }
  }
  return *a == *b;
}

bool FontMapHasFamily(const char* wanted) {
  PangoFontMap* map = pango_cairo_font_map_get_default();  // borrowed, per thread
  if (map == nullptr) return false;
  PangoFontFamily** families = nullptr;
  int count = 0;
  pango_font_map_list_families(map, &families, &count);
  GFreePtr<PangoFontFamily*> owned(families);  // the array is ours, the items are not
  for (int i = 0; i < count; ++i) {
    if (EqualsIgnoreCase(pango_font_family_get_name(families[i]), wanted)) return true;
  }
  return false;
}

// WCAG 2 relative luminance of an sRGB colour.
double RelativeLuminance(const Rgb& c) {
  auto linear = [](double v) {
    return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * linear(c.r) + 0.7152 * linear(c.g) + 0.0722 * linear(c.b);
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Result<Rgb> ParseHexColor(const std::string& text) {
  const size_t start = (!text.empty() && text[0] == '#') ? 1 : 0;
  uint32_t hex = 0;
  bool valid = text.size() == start + 6;
  for (size_t i = start; valid && i < text.size(); ++i) {
    const int digit = HexDigit(text[i]);
    valid = digit >= 0;
    hex = hex * 16 + static_cast<uint32_t>(std::max(digit, 0));
  }
  if (!valid) {
    return Status::InvalidInput("brand colour '" + text +
                                "' is not a hex colour like #1A73E8 or 1A73E8");
  }
  return RgbFromHex(hex);
}

double ContrastRatio(const Rgb& a, const Rgb& b) {
  const double la = RelativeLuminance(a), lb = RelativeLuminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

Result<SlideTheme> FindBrandedSlideTheme(const std::string& template_name,
                                         const std::string& brand_color) {
  Result<SlideTheme> theme = FindSlideTheme(template_name);
  if (!theme.ok() || brand_color.empty()) return theme;
  Result<Rgb> brand = ParseHexColor(brand_color);
  if (!brand.ok()) return brand.status();
  theme->accent = *brand;
  return theme;
}

const std::vector<std::string>& SlideThemeNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const SlideTheme& t : BuiltInThemes()) out.push_back(t.name);
    return out;
  }();
  return names;
}

Result<SlideTheme> FindSlideTheme(const std::string& name) {
  for (SlideTheme& theme : BuiltInThemes()) {
    if (theme.name == name) {
      theme.font_family = SlideFontFamily();
      theme.title_font_family = SlideTitleFontFamily();
      return theme;
    }
  }
  std::string valid;
  for (const std::string& n : SlideThemeNames()) valid += (valid.empty() ? "" : ", ") + n;
  return Status::InvalidInput("unknown slide template '" + name + "' (valid: " + valid + ")");
}

const std::string& SlideFontFamily() {
  static const std::string family =
      FontMapHasFamily(kPreferredFamily) ? kPreferredFamily : kFallbackFamily;
  return family;
}

const std::string& SlideTitleFontFamily() {
  static const std::string family =
      FontMapHasFamily(kPreferredTitleFamily) ? kPreferredTitleFamily : SlideFontFamily();
  return family;
}

}  // namespace presgen
