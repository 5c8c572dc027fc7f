// Slide templates: colours and the font family. Pure data plus a lookup by name and a brand
// colour override; the painter (slide_painter.h) decides geometry.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace presgen {

// An sRGB colour with components in [0, 1].
struct Rgb {
  double r = 0, g = 0, b = 0;
};

// 0xRRGGBB -> Rgb.
constexpr Rgb RgbFromHex(uint32_t hex) {
  return {((hex >> 16) & 0xFF) / 255.0, ((hex >> 8) & 0xFF) / 255.0, (hex & 0xFF) / 255.0};
}

struct SlideTheme {
  std::string name;
  Rgb background;                 // fills the whole slide (opaque)
  Rgb title;                      // title text
  Rgb body;                       // bullet and subtitle text
  Rgb accent;                     // the accent bar under the title and the bullet glyphs
                                  // (the painter draws the glyphs in `body` instead when
                                  // the accent is too close to the background)
  Rgb muted;                      // the slide counter
  std::string font_family;        // body text: SlideFontFamily() at lookup time
  std::string title_font_family;  // SlideTitleFontFamily() at lookup time
};

// Template names FindSlideTheme accepts, in a stable order ("professional_minimal" first).
const std::vector<std::string>& SlideThemeNames();

// The template called `name`.
// Errors: kInvalidInput for an unknown name (the message lists the valid ones).
Result<SlideTheme> FindSlideTheme(const std::string& name);

// "#RRGGBB" or "RRGGBB" (hex digits in either case) -> Rgb.
// Errors: kInvalidInput for anything else ("brand colour '<text>' is not a hex colour...").
Result<Rgb> ParseHexColor(const std::string& text);

// WCAG 2 contrast ratio of two sRGB colours: 1 (same luminance) .. 21 (black on white).
double ContrastRatio(const Rgb& a, const Rgb& b);

// Accents with less contrast than this against the background are still drawn as the
// accent bar (a brand colour is the brand's) but not as bullet glyphs, which must be seen.
inline constexpr double kMinAccentContrast = 1.5;

// The template called `template_name` with its accent replaced by `brand_color` (as
// ParseHexColor reads it) unless that is empty.
// Errors: kInvalidInput for an unknown template or a malformed colour.
Result<SlideTheme> FindBrandedSlideTheme(const std::string& template_name,
                                         const std::string& brand_color);

// The font family slides are set in: "Inter" (Debian fonts-inter) when Pango's default
// font map has it, otherwise "Sans" (fontconfig's default sans-serif). Checked once per
// process; thread-safe. Characters the family lacks (CJK, Hangul, ...) are drawn from other
// installed fonts by fontconfig's fallback (Debian: fonts-wqy-microhei for CJK).
const std::string& SlideFontFamily();

// The family for titles: "Inter Display" (Inter's optical size for large text) when
// present, otherwise SlideFontFamily(). Checked once per process; thread-safe.
const std::string& SlideTitleFontFamily();

}  // namespace presgen
