// The HTML slide renderer against Debian's headless Chromium (two real launches per run,
// skipped when Chromium is not installed) and against fake browsers (shell scripts) for
// the failure paths.
#include "slides/html_slide_renderer.h"

#include <arpa/inet.h>
#include <cairo.h>
#include <gtest/gtest.h>

#include "support/temp_dir.h"
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "core/subprocess.h"

namespace presgen {
namespace {

namespace fs = std::filesystem;

const std::string kShippedTemplate =
    std::string(PRESGEN_SOURCE_DIR) + "/templates/html/professional_minimal";

struct Rgb {
  int r = 0, g = 0, b = 0;
};

Rgb PixelAt(const BgraImage& image, int x, int y) {
  const unsigned char* p = &image.pixels[(static_cast<size_t>(y) * image.width + x) * 4];
  return {p[2], p[1], p[0]};
}

// Pixels in [x0,x1)×[y0,y1) for which `pred` holds.
template <typename Pred>
int CountPixels(const BgraImage& image, int x0, int y0, int x1, int y1, Pred pred) {
  int n = 0;
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) n += pred(PixelAt(image, x, y)) ? 1 : 0;
  }
  return n;
}

bool IsDarkInk(Rgb c) { return c.r + c.g + c.b < 3 * 90; }
bool IsMagenta(Rgb c) { return c.r > 200 && c.g < 60 && c.b > 200; }

// The leftmost and rightmost columns with dark ink in rows [y0, y1).
std::pair<int, int> InkColumns(const BgraImage& image, int y0, int y1) {
  int lo = image.width, hi = -1;
  for (int y = y0; y < y1; ++y) {
    for (int x = 0; x < image.width; ++x) {
      if (IsDarkInk(PixelAt(image, x, y))) {
        lo = std::min(lo, x);
        hi = std::max(hi, x);
      }
    }
  }
  return {lo, hi};
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteExecutable(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  fs::permissions(path, fs::perms::owner_all | fs::perms::group_read | fs::perms::others_read);
}

void WriteSolidPng(const std::string& path, int w, int h, double r, double g, double b) {
  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
  cairo_t* cr = cairo_create(surface);
  cairo_set_source_rgb(cr, r, g, b);
  cairo_paint(cr);
  cairo_destroy(cr);
  ASSERT_EQ(cairo_surface_write_to_png(surface, path.c_str()), CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy(surface);
}

std::string RealChromium() {
  const char* env = std::getenv("PRESGEN_CHROMIUM");
  std::string found = FindExecutable(env != nullptr && *env != '\0' ? env : "chromium");
  return found.empty() ? FindExecutable("chromium-browser") : found;
}

Deck ThreeSlideDeck() {
  Deck deck;
  Slide opening;
  opening.title = "Acme Robotics";
  opening.subtitle = "Anna Smith, founder";
  Slide problem;
  problem.title = "<b>x</b> & <script>alert(1)</script>";
  problem.bullets = {"Warehouses lose $2M a year to picking errors", "Checks slow orders by 40%"};
  Slide ask;
  ask.title = "The ask";
  ask.bullets = {"Raising $2M seed", "18 months of runway", "Three pilots signed"};
  deck.slides = {opening, problem, ask};
  return deck;
}

class HtmlSlideRendererTest : public ::testing::Test {
 protected:
  // Spaces in every path the renderer hands to the browser: no shell may split them.
  std::string Path(const std::string& name) const { return temp_.Path(name); }

  // A browser that logs each launch and its arguments (one per line), then runs `real`.
  std::string CountingWrapper(const std::string& real) {
    std::string path = Path("fake chromium");
    WriteExecutable(path, "#!/bin/sh\necho launch >> '" + Path("launches.txt") +
                              "'\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> '" +
                              Path("args.txt") + "'; done\nexec '" + real + "' \"$@\"\n");
    return path;
  }

  std::string FakeBrowser(const std::string& body) {
    std::string path = Path("fake chromium");
    WriteExecutable(path, "#!/bin/sh\n" + body + "\n");
    return path;
  }

  HtmlSlideParams Params(const std::string& chromium) const {
    HtmlSlideParams params;
    params.template_dir = kShippedTemplate;
    params.chromium_path = chromium;
    params.work_dir = Path("work dir");
    return params;
  }

  testing::TempDir temp_{"presgen html-test"};
  const std::string& dir_ = temp_.path();
};

TEST_F(HtmlSlideRendererTest, RendersTheShippedTemplateInOneLaunch) {
  const std::string real = RealChromium();
  if (real.empty()) GTEST_SKIP() << "chromium is not installed";
  const Deck deck = ThreeSlideDeck();
  HtmlSlideParams params = Params(CountingWrapper(real));
  params.brand_color = "FF00ff";  // the native renderer's form, without '#'
  params.pdf_path = Path("out/deck.pdf");

  const auto start = std::chrono::steady_clock::now();
  auto result = RenderSlidesHtml(deck, params);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(result.ok()) << result.status().ToString() << "\n"
                           << ReadFile(params.work_dir + "/chromium.log");
  std::cout << "[ info ] 3 slides + PDF in one chromium launch: " << seconds << " s\n";

  // One launch, its arguments intact although every path holds a space.
  EXPECT_EQ(ReadFile(Path("launches.txt")), "launch\n");
  const std::string args = ReadFile(Path("args.txt"));
  EXPECT_NE(args.find("\n--window-size=640,2160\n"), std::string::npos) << args;
  EXPECT_NE(args.find("\n--screenshot=" + params.work_dir + "/sheet.png\n"), std::string::npos)
      << args;
  EXPECT_EQ(args.rfind("--headless\n", 0), 0u) << args;  // argv[1]

  const std::vector<BgraImage>& images = *result;
  ASSERT_EQ(images.size(), 3u);
  for (const BgraImage& image : images) {
    ASSERT_EQ(image.width, 640);
    ASSERT_EQ(image.height, 720);
    ASSERT_EQ(image.pixels.size(), 640u * 720 * 4);
    for (size_t i = 3; i < image.pixels.size(); i += 4) ASSERT_EQ(image.pixels[i], 255);
    // The template's near-white page in the corner, the brand colour in the accent bar.
    const Rgb corner = PixelAt(image, 3, 3);
    EXPECT_GE(corner.r, 240);
    EXPECT_GE(corner.b, 240);
    EXPECT_GT(CountPixels(image, 0, 0, 640, 720, IsMagenta), 200);
  }
  EXPECT_NE(images[0].pixels, images[1].pixels);
  EXPECT_NE(images[1].pixels, images[2].pixels);
  EXPECT_NE(images[0].pixels, images[2].pixels);

  // Content slides: the title's ink at the top of the safe area (x 7%..93%, y from 8.5%),
  // nothing dark in the left margin. The escaped title is drawn as literal text: its first
  // line alone is far wider than the "x &" (about 75 px) its markup would give.
  EXPECT_GT(CountPixels(images[2], 44, 61, 596, 130, IsDarkInk), 500);
  EXPECT_EQ(CountPixels(images[2], 0, 0, 40, 720, IsDarkInk), 0);
  const auto [lo, hi] = InkColumns(images[1], 61, 130);
  EXPECT_LT(lo, 60);
  EXPECT_GT(hi - lo, 200);
  // The opening slide's title is centred vertically: no ink in the top fifth.
  EXPECT_EQ(CountPixels(images[0], 0, 0, 640, 144, IsDarkInk), 0);
  EXPECT_GT(CountPixels(images[0], 44, 200, 596, 420, IsDarkInk), 500);

  // Deck text is escaped in the document; the template is linked by a file: URL.
  const std::string html = ReadFile(params.work_dir + "/deck.html");
  EXPECT_NE(html.find("&lt;b&gt;x&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;"),
            std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("<section class=\"slide title-slide\" data-index=\"0\">"), std::string::npos);
  EXPECT_NE(html.find("<p class=\"subtitle\">Anna Smith, founder</p>"), std::string::npos);
  EXPECT_NE(html.find("<div class=\"counter\">3 / 3</div>"), std::string::npos);
  EXPECT_NE(html.find("Content-Security-Policy"), std::string::npos);
  EXPECT_NE(html.find("<link rel=\"stylesheet\" href=\"file:///"), std::string::npos);
  EXPECT_NE(ReadFile(params.work_dir + "/sheet.css").find("--brand: #FF00ff;"), std::string::npos);
  EXPECT_FALSE(fs::exists(params.work_dir + "/profile"));

  // The same launch printed a vector PDF: one 640×720 px (480×540 pt) page per slide.
  const std::string pdf = ReadFile(params.pdf_path);
  ASSERT_EQ(pdf.rfind("%PDF-", 0), 0u);
  const std::regex page(R"(/Type\s*/Page[^s])");
  EXPECT_EQ(
      std::distance(std::sregex_iterator(pdf.begin(), pdf.end(), page), std::sregex_iterator()), 3);
  EXPECT_NE(pdf.find("/MediaBox [0 0 480 540]"), std::string::npos);
  EXPECT_FALSE(fs::exists(params.pdf_path + ".tmp"));
}

// A template with its own asset (a PNG next to slide.css), per-slide colours to check the
// cut, slides tall enough to wrap the sheet into two columns, and remote URLs that must
// never be fetched (a local listener counts connection attempts; the CSP and the host
// resolver rules each block them on their own).
TEST_F(HtmlSlideRendererTest, CustomTemplateAssetsLoadWrappedSheetsCutRightNoNetwork) {
  const std::string real = RealChromium();
  if (real.empty()) GTEST_SKIP() << "chromium is not installed";

  const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(listener, 8), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const std::string remote = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));

  const std::string tpl = Path("my template");
  fs::create_directories(tpl);
  WriteSolidPng(tpl + "/teal.png", 4, 4, 0, 0.5, 0.5);
  std::ofstream(tpl + "/slide.css")
      << "@import url(\"" << remote << "/import.css\");\n"
      << "section.slide { background: url(\"teal.png\") 0 0 / 100% 100%; }\n"
      << "section.slide[data-index=\"1\"] { background: #ff0000; }\n"
      << "section.slide[data-index=\"2\"] { background: #0000ff url(\"" << remote
      << "/bg.png\"); }\n"
      << ".counter { display: block; width: 20px; height: 20px; "
      << "background-image: url(\"https://example.com/x.png\"); }\n";

  HtmlSlideParams params = Params(CountingWrapper(real));
  params.template_dir = tpl;
  params.width = 200;
  params.height = 6000;  // 3 × 6000 px > 16384: two columns, two rows
  auto result = RenderSlidesHtml(ThreeSlideDeck(), params);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(ReadFile(Path("launches.txt")), "launch\n");
  EXPECT_NE(ReadFile(Path("args.txt")).find("\n--window-size=400,12000\n"), std::string::npos);

  ASSERT_EQ(result->size(), 3u);
  const Rgb expected[] = {{0, 128, 128}, {255, 0, 0}, {0, 0, 255}};
  for (size_t i = 0; i < 3; ++i) {
    const BgraImage& image = (*result)[i];
    ASSERT_EQ(image.width, 200);
    ASSERT_EQ(image.height, 6000);
    for (auto [x, y] : {std::pair{100, 3000}, std::pair{2, 5997}, std::pair{197, 2}}) {
      const Rgb c = PixelAt(image, x, y);
      EXPECT_NEAR(c.r, expected[i].r, 2) << "slide " << i << " at " << x << "," << y;
      EXPECT_NEAR(c.g, expected[i].g, 2) << "slide " << i << " at " << x << "," << y;
      EXPECT_NEAR(c.b, expected[i].b, 2) << "slide " << i << " at " << x << "," << y;
    }
  }

  const int connection = ::accept(listener, nullptr, nullptr);
  EXPECT_LT(connection, 0) << "the page reached the network";
  if (connection >= 0) ::close(connection);
  ::close(listener);
}

TEST_F(HtmlSlideRendererTest, MissingTemplateIsInvalidInputNamingThePath) {
  HtmlSlideParams params = Params("/nonexistent/chromium");
  params.template_dir = Path("no such template");
  auto missing = RenderSlidesHtml(ThreeSlideDeck(), params);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(missing.status().message().find(params.template_dir), std::string::npos);

  params.template_dir = dir_;  // a folder without slide.css
  auto no_css = RenderSlidesHtml(ThreeSlideDeck(), params);
  ASSERT_FALSE(no_css.ok());
  EXPECT_EQ(no_css.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(no_css.status().message().find(dir_ + "/slide.css"), std::string::npos);

  params.template_dir = "";
  EXPECT_EQ(RenderSlidesHtml(ThreeSlideDeck(), params).status().code(), StatusCode::kInvalidInput);
}

TEST_F(HtmlSlideRendererTest, RejectsBadParams) {
  HtmlSlideParams params = Params("/nonexistent/chromium");
  params.brand_color = "red; } section.slide { display: none";
  auto brand = RenderSlidesHtml(ThreeSlideDeck(), params);
  EXPECT_EQ(brand.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(brand.status().message().find("brand"), std::string::npos);
  // Valid colours pass the checks and fail only later, at the missing browser.
  for (const char* ok :
       {"#2563eb", "1A73E8", "#abc", "teal", "rgb(37, 99, 235)", "hsl(220 80% 50% / 0.9)"}) {
    params.brand_color = ok;
    EXPECT_EQ(RenderSlidesHtml(ThreeSlideDeck(), params).status().code(), StatusCode::kUnavailable)
        << ok;
  }

  params.brand_color = "";
  params.width = 8;
  EXPECT_EQ(RenderSlidesHtml(ThreeSlideDeck(), params).status().code(), StatusCode::kInvalidInput);
  params.width = 640;
  params.timeout_ms = 0;
  EXPECT_EQ(RenderSlidesHtml(ThreeSlideDeck(), params).status().code(), StatusCode::kInvalidInput);
}

// Slides so large that one screenshot cannot hold the deck: the caller falls back to the
// native renderer (kUnsupported is not a user error there), and no browser is started.
TEST_F(HtmlSlideRendererTest, DeckTooLargeForOneScreenshotIsUnsupported) {
  HtmlSlideParams params = Params("/nonexistent/chromium");
  params.width = 16384;
  params.height = 16384;
  auto result = RenderSlidesHtml(ThreeSlideDeck(), params);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kUnsupported) << result.status().ToString();
}

TEST_F(HtmlSlideRendererTest, EmptyDeckNeedsNoBrowser) {
  auto result = RenderSlidesHtml(Deck{}, Params("/nonexistent/chromium"));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(result->empty());

  HtmlSlideParams with_pdf = Params("/nonexistent/chromium");
  with_pdf.pdf_path = Path("deck.pdf");
  EXPECT_EQ(RenderSlidesHtml(Deck{}, with_pdf).status().code(), StatusCode::kInvalidInput);
}

TEST_F(HtmlSlideRendererTest, MissingChromiumIsUnavailable) {
  auto result = RenderSlidesHtml(ThreeSlideDeck(), Params(Path("no such chromium")));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(result.status().message().find("chromium not found"), std::string::npos);
  EXPECT_NE(result.status().message().find("native renderer"), std::string::npos);
}

TEST_F(HtmlSlideRendererTest, PresgenChromiumVariableChoosesTheBrowser) {
  const std::string fake =
      FakeBrowser("echo '[1:1:ERROR:fake.cc(1)] from the variable' >&2\nexit 3");
  ::setenv("PRESGEN_CHROMIUM", fake.c_str(), 1);
  auto result = RenderSlidesHtml(ThreeSlideDeck(), Params(""));
  ::unsetenv("PRESGEN_CHROMIUM");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(result.status().message().find("exit code 3"), std::string::npos)
      << result.status().message();
  EXPECT_NE(result.status().message().find("from the variable"), std::string::npos)
      << result.status().message();
}

TEST_F(HtmlSlideRendererTest, SlowBrowserTimesOut) {
  HtmlSlideParams params = Params(FakeBrowser("sleep 30"));
  params.timeout_ms = 500;
  const auto start = std::chrono::steady_clock::now();
  auto result = RenderSlidesHtml(ThreeSlideDeck(), params);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kTimeout);
  EXPECT_NE(result.status().message().find("500 ms"), std::string::npos);
  EXPECT_LT(seconds, 5.0);
}

TEST_F(HtmlSlideRendererTest, AbortStopsTheBrowser) {
  HtmlSlideParams params = Params(FakeBrowser("sleep 30"));
  params.should_abort = [] { return true; };
  EXPECT_EQ(RenderSlidesHtml(ThreeSlideDeck(), params).status().code(), StatusCode::kCancelled);
}

TEST_F(HtmlSlideRendererTest, BrowserThatWritesNoScreenshotIsAnError) {
  auto result = RenderSlidesHtml(
      ThreeSlideDeck(),
      Params(FakeBrowser("echo 'Failed to connect to the bus: no dbus' >&2\n"
                         "echo '[1:1:ERROR:headless.cc(9)] page failed to load' >&2\nexit 0")));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(result.status().message().find("without writing the screenshot"), std::string::npos);
  EXPECT_NE(result.status().message().find("page failed to load"), std::string::npos)
      << result.status().message();
}

TEST_F(HtmlSlideRendererTest, ScreenshotOfTheWrongSizeIsAnError) {
  const std::string png = Path("small.png");
  WriteSolidPng(png, 10, 10, 1, 1, 1);
  auto result = RenderSlidesHtml(
      ThreeSlideDeck(),
      Params(FakeBrowser("for a in \"$@\"; do case \"$a\" in --screenshot=*) cp '" + png +
                         "' \"${a#--screenshot=}\";; esac; done")));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInternal);
  EXPECT_NE(result.status().message().find("10x10, expected 640x2160"), std::string::npos)
      << result.status().message();
}

}  // namespace
}  // namespace presgen
