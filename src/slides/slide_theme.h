// Slide templates: colours and the font family. Pure data plus a lookup by name; the
// painter (slide_painter.h) decides geometry.
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
  Rgb body;                       // bullet text
  Rgb accent;                     // the accent bar under the title and the bullet glyphs
  Rgb muted;                      // the slide counter
  std::string font_family;        // body text: SlideFontFamily() at lookup time
  std::string title_font_family;  // SlideTitleFontFamily() at lookup time
};

// Template names FindSlideTheme accepts, in a stable order ("professional_minimal" first).
const std::vector<std::string>& SlideThemeNames();

// The template called `name`.
// Errors: kInvalidInput for an unknown name (the message lists the valid ones).
Result<SlideTheme> FindSlideTheme(const std::string& name);

// The font family slides are set in: "Inter" (Debian fonts-inter) when Pango's default
// font map has it, otherwise "Sans" (fontconfig's default sans-serif). Checked once per
// process; thread-safe.
const std::string& SlideFontFamily();

// The family for titles: "Inter Display" (Inter's optical size for large text) when
// present, otherwise SlideFontFamily(). Checked once per process; thread-safe.
const std::string& SlideTitleFontFamily();

}  // namespace presgen
