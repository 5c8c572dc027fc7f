#include "slides/html_slide_renderer.h"

#include <cairo.h>
#include <stdlib.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "core/subprocess.h"
#include "slides/cairo_image.h"
#include "slides/cairo_ptr.h"
#include "slides/slide_text.h"

namespace presgen {
namespace {

namespace fs = std::filesystem;

constexpr int kMinSidePx = 16;  // the native renderer's limits
constexpr int kMaxSidePx = 16384;
// The screenshot stays within this on both sides (Cairo reads PNGs up to 32767): a taller
// sheet wraps into columns. The browser and the PNG decode each hold the whole sheet, so
// its area is capped too (256 MB as RGBA; five 1920×1080 slides take 10 Mpx).
constexpr int kMaxSheetSidePx = 16384;
constexpr size_t kMaxSheetPixels = size_t{64} << 20;
// Per text item: far more than any slide shows, small enough to keep the document small.
constexpr size_t kMaxTextChars = 2000;
constexpr size_t kMaxBullets = 40;
// More bullet text than this (for a 640×720 slide; it scales with the aspect ratio, as the
// text size follows the height) marks a section "dense", for templates that shrink it.
constexpr double kDenseChars = 220;
constexpr char kNotFoundMessage[] =
    "chromium not found; install Debian's chromium or use the native renderer";

// The folder the browser's files go to; removed on every return path when we made it.
class WorkDir {
 public:
  static Result<WorkDir> Open(const std::string& requested) {
    std::error_code ec;
    if (!requested.empty()) {
      fs::create_directories(requested, ec);
      if (ec) return Status::Internal("cannot create " + requested + ": " + ec.message());
      return WorkDir(fs::absolute(requested).lexically_normal().string(), false);
    }
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern =
        (fs::path(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") / "presgen-html-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      return Status::Internal("cannot create a temporary folder in " +
                              fs::path(pattern).parent_path().string() + ": " +
                              std::strerror(errno));
    }
    return WorkDir(fs::absolute(pattern).string(), true);
  }
  WorkDir(WorkDir&& other) noexcept : path_(std::move(other.path_)), owned_(other.owned_) {
    other.path_.clear();
  }
  WorkDir(const WorkDir&) = delete;
  WorkDir& operator=(const WorkDir&) = delete;
  WorkDir& operator=(WorkDir&&) = delete;
  ~WorkDir() {
    if (path_.empty()) return;
    std::error_code ec;
    fs::remove_all(owned_ ? fs::path(path_) : fs::path(path_) / "profile", ec);
  }
  std::string File(const std::string& name) const { return (fs::path(path_) / name).string(); }

 private:
  WorkDir(std::string path, bool owned) : path_(std::move(path)), owned_(owned) {}
  std::string path_;
  bool owned_;
};

// All slides on one sheet: stacked vertically, wrapping into columns past the limit.
struct SheetLayout {
  int columns = 1, rows = 1;
  int width = 0, height = 0;  // pixels
};

Result<SheetLayout> PlanSheet(size_t count, int slide_w, int slide_h) {
  SheetLayout sheet;
  const size_t rows_max = std::max<size_t>(1, kMaxSheetSidePx / slide_h);
  const size_t columns = (count + rows_max - 1) / rows_max;
  const size_t rows = (count + columns - 1) / columns;
  if (columns * static_cast<size_t>(slide_w) > static_cast<size_t>(kMaxSheetSidePx) ||
      columns * rows * static_cast<size_t>(slide_w) * static_cast<size_t>(slide_h) >
          kMaxSheetPixels) {
    return Status::Unsupported(std::to_string(count) + " slides of " + std::to_string(slide_w) +
                               "x" + std::to_string(slide_h) +
                               " px do not fit one browser screenshot");
  }
  sheet.columns = static_cast<int>(columns);
  sheet.rows = static_cast<int>(rows);
  sheet.width = sheet.columns * slide_w;
  sheet.height = sheet.rows * slide_h;
  return sheet;
}

void AppendEscaped(std::string& out, const std::string& text) {
  for (char c : text) {
    const char* entity = c == '&'    ? "&amp;"
                         : c == '<'  ? "&lt;"
                         : c == '>'  ? "&gt;"
                         : c == '"'  ? "&quot;"
                         : c == '\'' ? "&#39;"
                                     : nullptr;
    if (entity != nullptr) {
      out += entity;
    } else {
      out += c;
    }
  }
}

// file:// URL of an absolute path, every byte outside the unreserved set percent-encoded.
std::string FileUrl(const std::string& absolute_path) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string url = "file://";
  for (unsigned char c : absolute_path) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '.' || c == '_' || c == '~') {
      url += static_cast<char>(c);
    } else {
      url += '%';
      url += kHex[c >> 4];
      url += kHex[c & 15];
    }
  }
  return url;
}

// The native renderer's bare "RRGGBB" form, as CSS ("#RRGGBB"); anything else unchanged.
std::string CssColor(const std::string& color) {
  const bool bare_hex = color.size() == 6 && std::all_of(color.begin(), color.end(), [](char c) {
                          return std::isxdigit(static_cast<unsigned char>(c)) != 0;
                        });
  return bare_hex ? "#" + color : color;
}

// The colour goes into a stylesheet: accept only shapes that cannot end a declaration.
bool IsSafeCssColor(const std::string& color) {
  if (color.empty() || color.size() > 64) return false;
  auto all = [&color](size_t from, size_t to, auto pred) {
    return std::all_of(color.begin() + static_cast<std::ptrdiff_t>(from),
                       color.begin() + static_cast<std::ptrdiff_t>(to),
                       [&](char c) { return pred(static_cast<unsigned char>(c)); });
  };
  if (color[0] == '#') {
    const size_t n = color.size() - 1;
    return (n == 3 || n == 4 || n == 6 || n == 8) &&
           all(1, color.size(), [](unsigned char c) { return std::isxdigit(c) != 0; });
  }
  if (all(0, color.size(), [](unsigned char c) { return std::isalpha(c) != 0; })) return true;
  for (const char* fn : {"rgb(", "rgba(", "hsl(", "hsla("}) {
    const size_t len = std::strlen(fn);
    if (color.size() > len + 1 && color.compare(0, len, fn) == 0 && color.back() == ')') {
      return all(len, color.size() - 1, [](unsigned char c) {
        return std::isalnum(c) || c == ' ' || c == '.' || c == ',' || c == '%' || c == '/' ||
               c == '-' || c == '+';
      });
    }
  }
  return false;
}

std::string Clean(const std::string& text) {
  bool truncated = false;
  return CleanSlideText(text, kMaxTextChars, &truncated);
}

std::string BuildDocument(const Deck& deck, const HtmlSlideParams& params,
                          const std::string& template_css_url) {
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self' file: data:; "
      "script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'\">\n<title>";
  if (!deck.slides.empty()) AppendEscaped(html, Clean(deck.slides.front().title));
  html += "</title>\n<link rel=\"stylesheet\" href=\"" + template_css_url + "\">\n";
  html += "<link rel=\"stylesheet\" href=\"sheet.css\">\n</head>\n<body>\n";

  const double dense_chars =
      kDenseChars * (static_cast<double>(params.width) / params.height) / (640.0 / 720.0);
  const size_t count = deck.slides.size();
  for (size_t i = 0; i < count; ++i) {
    const Slide& slide = deck.slides[i];
    const std::string title = Clean(slide.title), subtitle = Clean(slide.subtitle);
    std::vector<std::string> bullets;
    size_t bullet_chars = 0;
    for (const std::string& raw : slide.bullets) {
      if (bullets.size() == kMaxBullets) break;
      std::string b = Clean(raw);
      bullet_chars += b.size();
      if (!b.empty()) bullets.push_back(std::move(b));
    }
    html += "<section class=\"slide";
    if (bullets.empty() || !subtitle.empty()) html += " title-slide";
    if (static_cast<double>(bullet_chars) > dense_chars) html += " dense";
    html += "\" data-index=\"" + std::to_string(i) + "\">\n";
    if (!title.empty()) {
      html += "<h1 class=\"title\">";
      AppendEscaped(html, title);
      html += "</h1>\n";
    }
    if (!subtitle.empty()) {
      html += "<p class=\"subtitle\">";
      AppendEscaped(html, subtitle);
      html += "</p>\n";
    }
    if (!bullets.empty()) {
      html += "<ul class=\"bullets\">\n";
      for (const std::string& b : bullets) {
        html += "<li>";
        AppendEscaped(html, b);
        html += "</li>\n";
      }
      html += "</ul>\n";
    }
    html += "<div class=\"counter\">" + std::to_string(i + 1) + " / " + std::to_string(count) +
            "</div>\n</section>\n";
  }
  html += "</body>\n</html>\n";
  return html;
}

// Loaded after the template: the geometry the screenshot is cut by cannot be overridden.
std::string BuildSheetCss(const HtmlSlideParams& params, const SheetLayout& sheet) {
  const std::string w = std::to_string(params.width) + "px";
  const std::string h = std::to_string(params.height) + "px";
  std::ostringstream css;
  css << "/* Generated by presgen: slide geometry and variables. */\n"
      << ":root {\n  --slide-w: " << w << ";\n  --slide-h: " << h << ";\n";
  if (!params.brand_color.empty()) css << "  --brand: " << CssColor(params.brand_color) << ";\n";
  css << "}\n"
      << "@page { size: " << w << " " << h << "; margin: 0; }\n"
      << "html, body { margin: 0 !important; padding: 0 !important; border: 0 !important; }\n"
      << "section.slide {\n  box-sizing: border-box !important;\n"
      << "  width: " << w << " !important;\n  height: " << h << " !important;\n"
      << "  min-width: 0 !important; min-height: 0 !important;\n"
      << "  max-width: none !important; max-height: none !important;\n"
      << "  margin: 0 !important;\n  position: relative !important;\n"
      << "  overflow: hidden !important;\n  transform: none !important;\n"
      << "  break-inside: avoid;\n  break-after: page;\n"
      << "  print-color-adjust: exact;\n  -webkit-print-color-adjust: exact;\n}\n"
      << "section.slide:last-child { break-after: auto; }\n"
      << "@media screen {\n  body {\n    display: grid !important;\n"
      << "    width: " << sheet.width << "px !important;\n"
      << "    grid-template-columns: repeat(" << sheet.columns << ", " << w << ") !important;\n"
      << "    grid-auto-rows: " << h << " !important;\n    grid-auto-flow: row !important;\n"
      << "    gap: 0 !important;\n  }\n}\n"
      << "@media print { body { display: block !important; } }\n";
  return css.str();
}

Status WriteTextFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return Status::Internal("cannot write " + path);
  return Status::Ok();
}

Result<std::string> FindChromium(const HtmlSlideParams& params) {
  std::string wanted = params.chromium_path;
  if (wanted.empty()) {
    const char* env = std::getenv("PRESGEN_CHROMIUM");
    if (env != nullptr) wanted = env;
  }
  if (!wanted.empty()) {
    std::string found = FindExecutable(wanted);
    if (found.empty()) {
      return Status::Unavailable(std::string(kNotFoundMessage) + " (" + wanted + ")");
    }
    return found;
  }
  for (const char* name : {"chromium", "chromium-browser"}) {
    std::string found = FindExecutable(name);
    if (!found.empty()) return found;
  }
  return Status::Unavailable(kNotFoundMessage);
}

// Chromium logs a lot of harmless noise (no D-Bus in a container, the "bytes written"
// notes, a shell warning from Debian's launcher script): the first error line that is none
// of that explains a failure best, else the first other line.
std::string FirstUsefulLogLine(const std::string& log_path) {
  std::ifstream in(log_path);
  std::string line, fallback;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    if (line.find("dbus") != std::string::npos || line.find("DBus") != std::string::npos ||
        line.find("bytes written to file") != std::string::npos ||
        line.find("unexpected operator") != std::string::npos) {
      continue;
    }
    if (line.size() > 300) line = line.substr(0, 300) + "...";
    if (line.find(":ERROR:") != std::string::npos || line.find(":FATAL:") != std::string::npos) {
      return line;
    }
    if (fallback.empty()) fallback = line;
  }
  return fallback;
}

std::string WithLog(std::string message, const std::string& log_path) {
  const std::string line = FirstUsefulLogLine(log_path);
  if (!line.empty()) message += ": " + line;
  return message;
}

std::vector<std::string> ChromiumArgv(const std::string& chromium, const WorkDir& work,
                                      const SheetLayout& sheet, bool print_pdf) {
  std::vector<std::string> argv = {
      chromium,
      // Plain --headless is the new headless mode in current Chromium (and the old one in
      // versions before 132); both give a screenshot of exactly --window-size.
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
      "--user-data-dir=" + work.File("profile"), "--no-first-run", "--no-default-browser-check",
      "--disable-extensions", "--disable-background-networking", "--disable-sync",
      "--disable-component-update", "--disable-default-apps", "--no-pings", "--mute-audio",
      "--host-resolver-rules=MAP * ~NOTFOUND",  // no name resolves: no network at all
      "--hide-scrollbars", "--force-device-scale-factor=1",
      "--window-size=" + std::to_string(sheet.width) + "," + std::to_string(sheet.height),
      "--run-all-compositor-stages-before-draw", "--screenshot=" + work.File("sheet.png")};
  if (print_pdf) {
    argv.push_back("--print-to-pdf=" + work.File("deck.pdf"));
    argv.push_back("--no-pdf-header-footer");
  }
  argv.push_back(FileUrl(work.File("deck.html")));
  return argv;
}

// The sheet composited over white (any alpha the page left), cut into one image per slide.
Result<std::vector<BgraImage>> CutSheet(const std::string& png_path, const SheetLayout& sheet,
                                        size_t count, int slide_w, int slide_h) {
  CairoSurfacePtr png(cairo_image_surface_create_from_png(png_path.c_str()));
  if (cairo_surface_status(png.get()) != CAIRO_STATUS_SUCCESS) {
    return Status::Internal("cannot read the chromium screenshot " + png_path + ": " +
                            cairo_status_to_string(cairo_surface_status(png.get())));
  }
  const int w = cairo_image_surface_get_width(png.get());
  const int h = cairo_image_surface_get_height(png.get());
  if (w != sheet.width || h != sheet.height) {
    return Status::Internal("chromium screenshot is " + std::to_string(w) + "x" +
                            std::to_string(h) + ", expected " + std::to_string(sheet.width) + "x" +
                            std::to_string(sheet.height));
  }
  CairoSurfacePtr flat(cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h));
  CairoPtr cr(cairo_create(flat.get()));
  cairo_set_source_rgb(cr.get(), 1, 1, 1);
  cairo_paint(cr.get());
  cairo_set_source_surface(cr.get(), png.get(), 0, 0);
  cairo_paint(cr.get());
  if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS) {
    return Status::Internal(std::string("cannot convert the chromium screenshot: ") +
                            cairo_status_to_string(cairo_status(cr.get())));
  }
  cr.reset();

  std::vector<BgraImage> images;
  for (size_t k = 0; k < count; ++k) {
    const int x0 = static_cast<int>(k % sheet.columns) * slide_w;
    const int y0 = static_cast<int>(k / sheet.columns) * slide_h;
    images.push_back(CopyOpaqueBgra(flat.get(), x0, y0, slide_w, slide_h));
  }
  return images;
}

// Copies the printed PDF out of the work folder (maybe another file system) atomically.
Status CommitPdf(const std::string& printed, const std::string& path, const std::string& log) {
  std::ifstream in(printed, std::ios::binary);
  char magic[5] = {};
  if (!in.read(magic, 5) || std::memcmp(magic, "%PDF-", 5) != 0) {
    return Status::Unavailable(WithLog("chromium did not print the PDF", log));
  }
  in.close();
  std::error_code ec;
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty()) fs::create_directories(parent, ec);
  const std::string temp = path + ".tmp";
  if (!ec) fs::copy_file(printed, temp, fs::copy_options::overwrite_existing, ec);
  if (!ec) fs::rename(temp, path, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(temp, ignored);
    return Status::Internal("cannot write " + path + ": " + ec.message());
  }
  return Status::Ok();
}

Status CheckParams(const Deck& deck, const HtmlSlideParams& params) {
  if (params.width < kMinSidePx || params.height < kMinSidePx || params.width > kMaxSidePx ||
      params.height > kMaxSidePx) {
    return Status::InvalidInput("slide size must be within " + std::to_string(kMinSidePx) + ".." +
                                std::to_string(kMaxSidePx) + " px, got " +
                                std::to_string(params.width) + "x" + std::to_string(params.height));
  }
  if (params.timeout_ms <= 0) {
    return Status::InvalidInput("the chromium timeout must be > 0 ms, got " +
                                std::to_string(params.timeout_ms));
  }
  if (params.template_dir.empty()) {
    return Status::InvalidInput("no HTML slide template folder given");
  }
  std::error_code ec;
  if (!fs::is_directory(params.template_dir, ec)) {
    return Status::InvalidInput("HTML slide template folder " + params.template_dir +
                                " does not exist");
  }
  const fs::path css = fs::path(params.template_dir) / "slide.css";
  if (!fs::is_regular_file(css, ec)) {
    return Status::InvalidInput("HTML slide template " + css.string() + " not found");
  }
  if (!params.brand_color.empty() && !IsSafeCssColor(CssColor(params.brand_color))) {
    return Status::InvalidInput("invalid brand colour '" + params.brand_color +
                                "' (expected #rrggbb, a CSS colour name or rgb()/hsl())");
  }
  if (deck.slides.empty() && !params.pdf_path.empty()) {
    return Status::InvalidInput("cannot write " + params.pdf_path + ": no slides");
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<BgraImage>> RenderSlidesHtml(const Deck& deck, const HtmlSlideParams& params) {
  PRESGEN_RETURN_IF_ERROR(CheckParams(deck, params));
  if (deck.slides.empty()) return std::vector<BgraImage>{};
  Result<SheetLayout> sheet = PlanSheet(deck.slides.size(), params.width, params.height);
  if (!sheet.ok()) return sheet.status();
  Result<std::string> chromium = FindChromium(params);
  if (!chromium.ok()) return chromium.status();
  Result<WorkDir> work = WorkDir::Open(params.work_dir);
  if (!work.ok()) return work.status();

  std::error_code ec;
  const fs::path css = fs::canonical(fs::path(params.template_dir) / "slide.css", ec);
  if (ec) return Status::InvalidInput("cannot open " + params.template_dir + "/slide.css");
  PRESGEN_RETURN_IF_ERROR(
      WriteTextFile(work->File("deck.html"), BuildDocument(deck, params, FileUrl(css.string()))));
  PRESGEN_RETURN_IF_ERROR(WriteTextFile(work->File("sheet.css"), BuildSheetCss(params, *sheet)));
  const std::string png = work->File("sheet.png"), log = work->File("chromium.log");
  // A reused work folder must not offer a stale screenshot, PDF or log.
  for (const std::string& stale : {png, log, work->File("deck.pdf")}) fs::remove(stale, ec);

  SubprocessOptions run;
  run.timeout_ms = params.timeout_ms;
  run.log_path = log;
  run.working_dir = work->File("");
  run.should_abort = params.should_abort;
  auto ran = RunSubprocess(ChromiumArgv(*chromium, *work, *sheet, !params.pdf_path.empty()), run);
  if (!ran.ok()) {
    const Status& st = ran.status();
    if (st.code() == StatusCode::kNotFound) return Status::Unavailable(kNotFoundMessage);
    if (st.code() == StatusCode::kTimeout) {
      return Status::Timeout("chromium did not render the slides within " +
                             std::to_string(params.timeout_ms) + " ms (killed)");
    }
    return st;
  }
  if (!ran->Succeeded()) {
    return Status::Unavailable(WithLog("chromium failed (" + ran->Describe() + ")", log));
  }
  if (!fs::is_regular_file(png, ec)) {
    return Status::Unavailable(WithLog("chromium exited without writing the screenshot", log));
  }
  auto images = CutSheet(png, *sheet, deck.slides.size(), params.width, params.height);
  if (!images.ok()) return images.status();
  if (!params.pdf_path.empty()) {
    PRESGEN_RETURN_IF_ERROR(CommitPdf(work->File("deck.pdf"), params.pdf_path, log));
  }
  return images;
}

}  // namespace presgen
