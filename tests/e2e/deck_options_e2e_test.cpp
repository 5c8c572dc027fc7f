// End-to-end: the deck and slide options of `presgen render` — the title slide,
// brand colour and logo, the Chromium HTML renderer and the LLM summariser (against
// a real local HTTP server), each with its fallback recorded as `degraded`.
#include <gtest/gtest.h>

#include <cairo.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "e2e/run_cli.h"
#include "support/fake_openai_server.h"
#include "support/fixtures.h"

namespace fs = std::filesystem;

namespace presgen::test {
namespace {

nlohmann::json ReadJson(const std::string& path) { return nlohmann::json::parse(ReadAll(path)); }

// Renders short_pitch.mp4 (15 s, 640x360) at 640x360 with extra options.
CliRun RenderShort(const std::string& dir, std::vector<std::string> extra) {
  std::vector<std::string> args = {"render", FixturePath("short_pitch.mp4"), "-o",
                                   dir + "/out.mp4", "--size", "640x360", "--asr",
                                   "pocketsphinx", "-q"};
  args.insert(args.end(), extra.begin(), extra.end());
  return RunPresgen(args, dir);
}

bool HasDegraded(const nlohmann::json& result, const std::string& stage) {
  for (const auto& d : result["degraded"])
    if (d["stage"] == stage) return true;
  return false;
}

// Pixels of an RGB colour (±tolerance per channel) in a PNG.
int CountColour(const std::string& png, int r, int g, int b, int tolerance = 12) {
  cairo_surface_t* s = cairo_image_surface_create_from_png(png.c_str());
  int count = 0;
  if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS) {
    const int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    const int stride = cairo_image_surface_get_stride(s);
    const unsigned char* data = cairo_image_surface_get_data(s);
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        const unsigned char* p = data + y * stride + x * 4;  // BGRA in memory
        count += std::abs(p[2] - r) <= tolerance && std::abs(p[1] - g) <= tolerance &&
                 std::abs(p[0] - b) <= tolerance;
      }
  }
  cairo_surface_destroy(s);
  return count;
}

std::string WriteLogo(const std::string& path) {
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 120, 60);
  cairo_t* cr = cairo_create(s);
  cairo_set_source_rgb(cr, 0.0, 0.8, 0.2);  // #00CC33
  cairo_paint(cr);
  cairo_destroy(cr);
  cairo_surface_write_to_png(s, path.c_str());
  cairo_surface_destroy(s);
  return path;
}

TEST(DeckOptions, BadDeckAndSlideOptionsExitTwoWithOneLine) {
  const std::string dir = ScratchDir("deck_usage");
  const std::vector<std::vector<std::string>> cases = {
      {"--brand-color", "#12345"},
      {"--logo", dir + "/no_such_logo.png"},
      {"--summarizer", "magic"},
      {"--summarizer", "llm"},  // no --llm-url / --llm-model
      {"--summarizer", "llm", "--llm-url", "ftp://x", "--llm-model", "m"},
      {"--slides-renderer", "html"},  // no --template-dir
      {"--slides-renderer", "html", "--template-dir", dir},  // no slide.css
      {"--title-slide", "maybe"},
      {"--template", "neon"},
  };
  for (const auto& extra : cases) {
    const CliRun run = RenderShort(dir, extra);
    EXPECT_EQ(run.exit_code, 2) << extra[0] << " " << extra[1] << ": " << run.err;
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
    EXPECT_FALSE(fs::exists(dir + "/out.mp4"));
  }
}

TEST(DeckOptions, BrandColourAndLogoReachTheSlidesAndTitleSlideCanBeOff) {
  const std::string dir = ScratchDir("deck_brand");
  const std::string logo = WriteLogo(dir + "/logo.png");
  const CliRun run = RenderShort(dir, {"--brand-color", "#E0218A", "--logo", logo,
                                      "--title-slide", "off"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto deck = ReadJson(dir + "/out.presgen/deck.json");
  ASSERT_FALSE(deck["slides"].empty());
  EXPECT_FALSE(deck["slides"][0]["bullets"].empty()) << "no title slide with --title-slide off";
  const std::string png = dir + "/out.presgen/slides/01.png";
  EXPECT_GT(CountColour(png, 0xE0, 0x21, 0x8A), 50) << "brand accent missing";
  EXPECT_GT(CountColour(png, 0x00, 0xCC, 0x33), 200) << "logo missing";
}

TEST(DeckOptions, HtmlTemplatesRenderWithChromiumOrFallBackToNative) {
  const std::string templates = std::string(PRESGEN_SOURCE_DIR) + "/templates/html/";
  const std::string dir = ScratchDir("deck_html");
  CliRun run = RenderShort(dir, {"--slides-renderer", "html", "--template-dir",
                                 templates + "professional_minimal", "--brand-color",
                                 "#E0218A"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto result = ReadJson(dir + "/out.presgen/result.json");
  EXPECT_EQ(result["engines"]["slides"], "chromium-html") << result.dump();
  EXPECT_FALSE(HasDegraded(result, "slides")) << result["degraded"].dump();
  EXPECT_TRUE(fs::exists(dir + "/out.presgen/deck.pdf"));
  EXPECT_TRUE(fs::exists(dir + "/out.presgen/slides/01.png"));

  // No browser: the native renderer takes over and says so.
  const std::string fallback = ScratchDir("deck_html_fallback");
  setenv("PRESGEN_CHROMIUM", "/nonexistent/chromium", 1);
  run = RenderShort(fallback, {"--slides-renderer", "html", "--template-dir",
                               templates + "professional_minimal"});
  unsetenv("PRESGEN_CHROMIUM");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  result = ReadJson(fallback + "/out.presgen/result.json");
  EXPECT_EQ(result["engines"]["slides"], "cairo-pango");
  EXPECT_TRUE(HasDegraded(result, "slides")) << result["degraded"].dump();
  EXPECT_TRUE(fs::exists(fallback + "/out.presgen/slides/01.png"));
}

// The deck a model would answer for the short pitch, as chat-completion content.
std::string LlmDeckAnswer() {
  const nlohmann::json deck = {
      {"slides",
       {{{"title", "Green Box"},
         {"start_sentence", 0},
         {"bullets", {{{"text", "Founded by Anna"}, {"sentence", 0}}}}},
        {{"title", "Restaurants Waste 40%"},
         {"start_sentence", 1},
         {"bullets", {{{"text", "40% of bought food is thrown away"}, {"sentence", 1}}}}}}}};
  return presgen::testing::FakeOpenAiServer::ChatCompletion(deck.dump(), 400, 80);
}

TEST(DeckOptions, LlmSummariserWritesTheDeckAndFallsBackWhenItFails) {
  presgen::testing::FakeOpenAiServer server;
  server.SetReply({200, LlmDeckAnswer(), 0});
  const std::string dir = ScratchDir("deck_llm");
  CliRun run = RenderShort(dir, {"--summarizer", "llm", "--llm-url", server.base_url(),
                                 "--llm-model", "test-model"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto result = ReadJson(dir + "/out.presgen/result.json");
  EXPECT_EQ(result["engines"]["summarizer"].get<std::string>().rfind("llm:", 0), 0u)
      << result.dump();
  EXPECT_GT(result["cost_usd"].get<double>(), 0);
  EXPECT_LT(result["cost_usd"].get<double>(), 0.05);
  EXPECT_FALSE(HasDegraded(result, "summarize")) << result["degraded"].dump();
  const auto deck = ReadJson(dir + "/out.presgen/deck.json");
  ASSERT_EQ(deck["slides"].size(), 2u);
  EXPECT_EQ(deck["slides"][1]["title"], "Restaurants Waste 40%");
  ASSERT_EQ(server.request_count(), 1u);
  const auto request = nlohmann::json::parse(server.requests()[0].body);
  EXPECT_EQ(request["model"], "test-model");

  // The server failing (HTTP 500): the extractive deck, recorded as degraded.
  server.SetReply({500, R"({"error":{"message":"boom"}})", 0});
  const std::string failed = ScratchDir("deck_llm_500");
  run = RenderShort(failed, {"--summarizer", "llm", "--llm-url", server.base_url(),
                             "--llm-model", "test-model"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  result = ReadJson(failed + "/out.presgen/result.json");
  EXPECT_EQ(result["engines"]["summarizer"], "extractive");
  EXPECT_TRUE(HasDegraded(result, "summarize")) << result["degraded"].dump();
  EXPECT_DOUBLE_EQ(result["cost_usd"].get<double>(), 0);
}

// A re-render of an edited deck takes the transcript and the face track from the stage
// cache when the input's bytes and the stage's parameters match, and recomputes what
// does not match (here the face track, for another output size).
TEST(DeckOptions, EditedDeckReRenderReusesMatchingStages) {
  // A cache of its own: entries left by earlier runs or other tests must not count.
  const std::string cache = ScratchDir("deck_cache_store");
  const char* shared = std::getenv("PRESGEN_CACHE_DIR");
  const std::string shared_cache = shared ? shared : "";
  setenv("PRESGEN_CACHE_DIR", cache.c_str(), 1);
  const std::string first = ScratchDir("deck_cache_first");
  ASSERT_EQ(RenderShort(first, {}).exit_code, 0);
  auto deck = ReadJson(first + "/out.presgen/deck.json");
  deck["slides"][0]["title"] = "Edited";
  const std::string edited = first + "/edited.json";
  std::ofstream(edited) << deck.dump();

  const std::string same = ScratchDir("deck_cache_same");
  CliRun run = RenderShort(same, {"--deck", edited});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto result = ReadJson(same + "/out.presgen/result.json");
  EXPECT_EQ(result["reused"], nlohmann::json::array({"transcribe", "face"})) << result.dump();

  const std::string resized = ScratchDir("deck_cache_resized");
  run = RunPresgen({"render", FixturePath("short_pitch.mp4"), "-o", resized + "/out.mp4",
                    "--size", "320x180", "--asr", "pocketsphinx", "--deck", edited, "-q"},
                   resized);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  result = ReadJson(resized + "/out.presgen/result.json");
  EXPECT_EQ(result["reused"], nlohmann::json::array({"transcribe"})) << result.dump();
  EXPECT_TRUE(result["timings"].contains("face"));

  // --no-cache: nothing reused.
  const std::string fresh = ScratchDir("deck_cache_off");
  run = RenderShort(fresh, {"--deck", edited, "--no-cache"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(ReadJson(fresh + "/out.presgen/result.json")["reused"].empty());
  if (shared_cache.empty()) {
    unsetenv("PRESGEN_CACHE_DIR");
  } else {
    setenv("PRESGEN_CACHE_DIR", shared_cache.c_str(), 1);
  }
}

}  // namespace
}  // namespace presgen::test

namespace presgen::test {
namespace {

// --log-format json: stderr is JSON lines only (no progress bar), one phase_completed per
// stage with its duration, success, memory and CPU.
TEST(RenderLogs, JsonFormatGivesOneObjectPerLineAndEveryPhase) {
  const std::string dir = ScratchDir("render_json_logs");
  const CliRun run = RunPresgen({"--log-format", "json", "render", FixturePath("short_pitch.mp4"),
                                 "-o", dir + "/out.mp4", "--size", "640x360", "--no-cache"},
                                dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::istringstream lines(run.err);
  std::string line;
  std::set<std::string> phases;
  int count = 0;
  while (std::getline(lines, line)) {
    ++count;
    const auto j = nlohmann::json::parse(line, nullptr, false);
    ASSERT_TRUE(j.is_object()) << "not JSON: " << line;
    for (const char* key : {"ts", "level", "event", "msg"}) ASSERT_TRUE(j.contains(key)) << line;
    if (j["event"] != "phase_completed") continue;
    phases.insert(j["phase"].get<std::string>());
    EXPECT_TRUE(j["duration_seconds"].is_number() && j["success"].is_boolean() &&
                j["memory_usage_mb"].is_number() && j["cpu_usage_percent"].is_number())
        << line;
  }
  EXPECT_GT(count, 4);
  for (const char* phase : {"probe", "audio", "transcribe", "slides", "compose"}) {
    EXPECT_TRUE(phases.count(phase)) << phase << " missing in\n" << run.err;
  }
  const auto result = nlohmann::json::parse(ReadAll(dir + "/out.presgen/result.json"));
  ASSERT_TRUE(result["resources"].contains("compose")) << result.dump();
  EXPECT_GT(result["resources"]["compose"]["peak_rss_mb"].get<double>(), 10);
  EXPECT_GT(result["resources"]["compose"]["cpu_percent"].get<double>(), 10);
}

}  // namespace
}  // namespace presgen::test
