// Optional HTML/CSS slide renderer: a template folder's CSS, laid out and painted by headless
// Chromium (Debian's `chromium`). The native Cairo renderer (slide_renderer.h) stays the
// default and the fallback; this one lets a template be written in plain CSS.
//
// One Chromium launch per call, whatever the deck's length: every slide becomes a fixed-size
// <section> of one generated HTML document (a "sheet" with all slides stacked vertically,
// no gaps), the browser window is exactly the sheet's size, one --screenshot of it is cut
// into the slide images, and with `pdf_path` the same launch also prints a vector PDF with
// one page per slide (--print-to-pdf). A sheet taller than 16384 px wraps into columns.
// Chromium's stdout/stderr go to chromium.log in the work folder; the first useful line of
// it is quoted in the error when the browser fails.
//
// The generated document (templates/html/README.md has the full contract):
//
//   <body>
//     <section class="slide title-slide" data-index="0">   title-slide: no bullets
//       <h1 class="title">Acme Robotics</h1>
//       <p class="subtitle">Anna, founder</p>              only when non-empty
//       <div class="counter">1 / 3</div>
//     </section>
//     <section class="slide" data-index="1">               data-index: 0-based position
//       <h1 class="title">The problem</h1>
//       <ul class="bullets"><li>…</li><li>…</li></ul>
//       <div class="counter">2 / 3</div>
//     </section>
//   </body>
//
// An empty title gives no <h1>. Stylesheets, in order: TEMPLATE_DIR/slide.css (its url()s
// and @imports resolve next to it: fonts, images), then a generated sheet.css that fixes the
// geometry (sections exactly --slide-w × --slide-h, no margins, position: relative,
// overflow: hidden; @page of the slide's size for the PDF) and defines on :root
//   --slide-w, --slide-h   the slide size, e.g. 640px / 720px
//   --brand                params.brand_color (only when non-empty: use var(--brand, #hex))
// Deck text is HTML-escaped (and control characters dropped), so it is never markup.
// Nothing is fetched from the network: a Content-Security-Policy allows only file: and
// data: URLs and no scripts, and the browser's host resolver resolves nothing.
//
// Thread-safety: calls share no state and may run concurrently (each has its own work
// folder and browser profile). Chromium needs a few seconds and a few hundred MB per call.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/types.h"

namespace presgen {

struct HtmlSlideParams {
  int width = 640;   // pixels per slide (16..16384)
  int height = 720;  // pixels per slide (16..16384)
  // Folder with slide.css (required) and the assets it references. Relative paths are
  // taken from the current directory.
  std::string template_dir;
  // The browser: a path or a name looked up in $PATH. Empty: $PRESGEN_CHROMIUM if set,
  // else `chromium`, else `chromium-browser`.
  std::string chromium_path;
  // Accent colour for --brand: "#RRGGBB" or "RRGGBB" (as the native renderer takes it),
  // #rgb, #rrggbbaa, a CSS colour name, or rgb()/rgba()/hsl()/hsla() with numbers.
  // Empty: the template's own accent.
  std::string brand_color;
  // Wall clock for the browser (> 0); past it the browser and its helpers are killed.
  int timeout_ms = 60000;
  // Temporary files (deck.html, sheet.css, sheet.png, chromium.log, the browser profile).
  // Empty: a fresh folder under $TMPDIR, removed afterwards. Given: created if needed and
  // left in place for inspection (only the browser profile is removed).
  std::string work_dir;
  // Non-empty: the same launch also writes a vector PDF here, one page per slide of
  // width × height CSS pixels (0.75 pt each), written to `pdf_path`.tmp and renamed.
  std::string pdf_path;
  std::function<bool()> should_abort;  // polled while the browser runs; may be empty
};

inline HtmlSlideParams DefaultHtmlSlideParams() { return {}; }

// Renders each slide of the deck to an opaque BGRA image (alpha 255) of params' size with
// a single Chromium launch (none for an empty deck, which gives no images).
// Errors: kInvalidInput for a size outside 16..16384 px, timeout_ms <= 0, a missing
//   template folder or slide.css (the message names the path), an invalid brand colour,
//   or an empty deck with pdf_path set;
// kUnsupported when the deck does not fit one screenshot (sheet sides <= 16384 px, area
//   <= 64 Mpx: e.g. more than 30 slides of 1920×1080);
// kUnavailable when Chromium is not found ("chromium not found; install Debian's chromium
//   or use the native renderer"), fails (its exit status and first error line) or exits
//   without writing the screenshot;
// kTimeout when it runs longer than timeout_ms; kCancelled when should_abort returned true;
// kInternal when the screenshot has the wrong size or cannot be read, or a temporary file
//   or the PDF cannot be written.
Result<std::vector<BgraImage>> RenderSlidesHtml(const Deck& deck, const HtmlSlideParams& params);

}  // namespace presgen
