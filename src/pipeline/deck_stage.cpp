#include "pipeline/deck_stage.h"

#include <filesystem>
#include <spdlog/spdlog.h>

#include "core/json_io.h"
#include "deck/llm_summarizer.h"
#include "pipeline/circuit_breaker.h"
#include "deck/summarizer.h"
#include "slides/html_slide_renderer.h"
#include "slides/slide_renderer.h"
#include "slides/slide_theme.h"

namespace fs = std::filesystem;

namespace presgen {
namespace {

std::string TitleFromFileName(const std::string& path) {
  std::string stem = fs::path(path).stem().string();
  std::string title;
  bool up = true;
  for (char c : stem) {
    if (c == '_' || c == '-' || c == '.') c = ' ';
    if (c == ' ') {
      up = true;
    } else if (up) {
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      up = false;
    }
    title += c;
  }
  return title.empty() ? "Our Pitch" : title;
}

SummarizerParams SummarizerParamsFor(const RenderOptions& opt) {
  SummarizerParams sp;
  sp.max_slides = opt.max_slides;
  sp.min_slides = std::min(3, opt.max_slides);
  sp.max_bullets_per_slide = std::max(1, opt.max_bullets);
  if (auto mode = ParseTitleSlide(opt.title_slide); mode.ok()) sp.title_slide = *mode;
  sp.template_name = opt.template_name;
  return sp;
}

LlmParams LlmParamsFor(const RenderOptions& opt, JobContext& ctx) {
  LlmParams lp;
  lp.base_url = opt.llm_url;
  lp.model = opt.llm_model;
  lp.api_key = opt.llm_api_key;
  lp.timeout_ms = opt.llm_timeout_ms;
  lp.max_cost_usd = opt.llm_max_cost_usd;
  lp.price_in_per_mtok_usd = opt.llm_price_in_per_mtok_usd;
  lp.price_out_per_mtok_usd = opt.llm_price_out_per_mtok_usd;
  lp.should_abort = ctx.CallbacksFor("summarize").should_abort;  // starts its deadline
  return lp;
}

// --max-bullets 0 asks for title-only slides.
void DropBulletsIfNone(const RenderOptions& opt, Deck& deck) {
  if (opt.max_bullets > 0) return;
  for (auto& s : deck.slides) {
    s.bullets.clear();
    s.sources.clear();
  }
}

}  // namespace

Status ValidateDeckOptions(const RenderOptions& opt) {
  if (opt.summarizer != "extractive" && opt.summarizer != "llm") {
    return Status::InvalidInput("--summarizer must be extractive or llm, not '" +
                                opt.summarizer + "'");
  }
  if (opt.summarizer == "llm") {
    if (opt.llm_url.rfind("http://", 0) != 0 && opt.llm_url.rfind("https://", 0) != 0) {
      return Status::InvalidInput("--summarizer llm needs --llm-url http(s)://HOST[:PORT]/v1");
    }
    if (opt.llm_model.empty()) return Status::InvalidInput("--summarizer llm needs --llm-model");
    if (opt.llm_max_cost_usd < 0 || opt.llm_price_in_per_mtok_usd < 0 ||
        opt.llm_price_out_per_mtok_usd < 0 || opt.llm_timeout_ms <= 0) {
      return Status::InvalidInput("LLM prices, cost cap and timeout must not be negative");
    }
  }
  if (auto mode = ParseTitleSlide(opt.title_slide); !mode.ok()) {
    return Status::InvalidInput("--title-slide: " + mode.status().message());
  }
  if (auto theme = FindSlideTheme(opt.template_name); !theme.ok()) {
    return Status::InvalidInput("--template: " + theme.status().message());
  }
  if (!opt.brand_color.empty()) {
    if (auto c = ParseHexColor(opt.brand_color); !c.ok()) {
      return Status::InvalidInput("--brand-color: " + c.status().message());
    }
  }
  std::error_code ec;
  if (!opt.logo_path.empty() && !fs::is_regular_file(opt.logo_path, ec)) {
    return Status::InvalidInput(opt.logo_path + ": logo not found (--logo takes a PNG file)");
  }
  if (opt.slides_renderer != "native" && opt.slides_renderer != "html") {
    return Status::InvalidInput("--slides-renderer must be native or html, not '" +
                                opt.slides_renderer + "'");
  }
  if (opt.slides_renderer == "html") {
    if (opt.template_dir.empty()) {
      return Status::InvalidInput("--slides-renderer html needs --template-dir DIR");
    }
    if (!fs::is_regular_file(fs::path(opt.template_dir) / "slide.css", ec)) {
      return Status::InvalidInput(opt.template_dir + ": no slide.css in the template folder");
    }
  }
  return Status::Ok();
}

Result<DeckOutcome> MakeDeck(const RenderOptions& opt, const MediaInfo& info,
                             const Transcript& transcript, JobContext& ctx) {
  DeckOutcome out;
  if (!opt.deck_path.empty()) {
    auto j = ReadJsonFile(opt.deck_path);
    if (!j.ok()) return j.status();
    auto deck = ParseDeck(*j, info.duration_s);
    if (!deck.ok()) return Status::InvalidInput(opt.deck_path + ": " + deck.status().message());
    out.deck = std::move(deck).value();
    out.summarizer = "edited";
    return out;
  }
  const SummarizerParams sp = SummarizerParamsFor(opt);
  const std::string llm_refused = ctx.BreakerRefusal(kBreakerSummarization);
  if (opt.summarizer == "llm" && !llm_refused.empty()) {
    ctx.Degrade("summarize", "LLM summariser: " + llm_refused, "extractive summariser");
  } else if (opt.summarizer == "llm") {
    auto llm = ctx.Explain(
        "summarize", SummarizeWithLlm(transcript, info.duration_s, sp, LlmParamsFor(opt, ctx)));
    if (llm.ok() || llm.status().code() != StatusCode::kCancelled) {
      ctx.RecordEngineOutcome(kBreakerSummarization, llm.ok());
    }
    if (llm.ok()) {
      for (const auto& repair : llm->repairs) spdlog::info("llm deck repaired: {}", repair);
      out.deck = std::move(llm->deck);
      out.summarizer = "llm:" + llm->model;
      out.cost_usd = llm->cost_usd;
      DropBulletsIfNone(opt, out.deck);
      return out;
    }
    if (llm.status().code() == StatusCode::kCancelled) return llm.status();
    ctx.Degrade("summarize", "LLM summariser failed: " + llm.status().message(),
                "extractive summariser");
  }
  auto deck = SummarizeExtractive(transcript, info.duration_s, sp);
  if (deck.ok()) {
    out.deck = std::move(deck).value();
    out.summarizer = "extractive";
    DropBulletsIfNone(opt, out.deck);
    return out;
  }
  bool had_words = false;
  for (const auto& s : transcript.segments) had_words |= !s.words.empty();
  if (had_words || !transcript.engine.empty()) {
    ctx.Degrade("summarize", "no speech to summarise (" + deck.status().message() + ")",
                "title-only deck");
  }
  out.deck = TitleOnlyDeck(TitleFromFileName(opt.input_path), info.duration_s, opt.template_name);
  out.summarizer = "title-only";
  return out;
}

Result<SlidesOutcome> RenderDeckSlides(const RenderOptions& opt, const Deck& deck,
                                       JobContext& ctx) {
  SlidesOutcome out;
  const std::string pdf_path = opt.workdir + "/deck.pdf";
  bool pdf_written = false;
  const std::string html_refused = ctx.BreakerRefusal(kBreakerSlideGeneration);
  if (opt.slides_renderer == "html" && !html_refused.empty()) {
    ctx.Degrade("slides", "HTML slide renderer: " + html_refused, "native slide renderer");
  } else if (opt.slides_renderer == "html") {
    HtmlSlideParams hp;
    hp.width = opt.width / 2;
    hp.height = opt.height;
    hp.template_dir = opt.template_dir;
    hp.brand_color = opt.brand_color;
    hp.pdf_path = pdf_path;
    hp.should_abort = ctx.CallbacksFor("html_slides").should_abort;  // starts its deadline
    auto html = ctx.Explain("html_slides", RenderSlidesHtml(deck, hp));
    if (html.ok() || (html.status().code() != StatusCode::kInvalidInput &&
                      html.status().code() != StatusCode::kCancelled)) {
      ctx.RecordEngineOutcome(kBreakerSlideGeneration, html.ok());
    }
    if (html.ok()) {
      out.images = std::move(html).value();
      out.engine = "chromium-html";
      pdf_written = true;
    } else if (html.status().code() == StatusCode::kInvalidInput ||
               html.status().code() == StatusCode::kCancelled) {
      return html.status();
    } else {
      ctx.Degrade("slides", "HTML slide renderer failed: " + html.status().message(),
                  "native slide renderer");
    }
  }
  SlideRenderParams rp;
  rp.width = opt.width / 2;
  rp.height = opt.height;
  rp.template_name = opt.template_name;
  rp.brand_color = opt.brand_color;
  rp.logo_path = opt.logo_path;
  if (out.images.empty()) {
    std::vector<SlideLayoutReport> layout;
    auto native = RenderSlides(deck, rp, &layout);
    if (!native.ok()) return native.status();
    out.images = std::move(native).value();
    out.engine = "cairo-pango";
    int unknown = 0;
    for (const auto& report : layout) unknown += report.unknown_glyphs;
    if (unknown > 0) {
      ctx.Degrade("slides",
                  std::to_string(unknown) + " characters have no installed font",
                  "drawn as hex boxes");
    }
  }
  PRESGEN_RETURN_IF_ERROR(WriteSlidePngs(out.images, opt.workdir + "/slides"));
  if (!pdf_written) PRESGEN_RETURN_IF_ERROR(WriteDeckPdf(deck, rp, pdf_path));
  return out;
}

}  // namespace presgen
