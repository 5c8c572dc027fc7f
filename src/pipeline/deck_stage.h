// The deck branch of a render: transcript -> deck (LLM or extractive summariser,
// or an edited deck.json) -> slide images, slides/NN.png and deck.pdf (Chromium
// HTML templates or the native Cairo renderer). Each optional engine falls back
// to the built-in one with a `degraded` entry; only user errors fail the job.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "core/types.h"
#include "pipeline/job_context.h"
#include "pipeline/render_job.h"

namespace presgen {

// Checks the deck and slide options before any work: summarizer and
// renderer names, the LLM URL and model, the title-slide mode, the brand
// colour, that the logo and the template folder exist.
// Errors: kInvalidInput naming the option (the CLI exits 2).
Status ValidateDeckOptions(const RenderOptions& opt);

struct DeckOutcome {
  Deck deck;
  std::string summarizer;  // "extractive", "llm:<model>", "edited" or "title-only"
  double cost_usd = 0;     // what the LLM call cost (0 otherwise)
};

// The deck for this render. An edited deck (opt.deck_path) is validated
// (kInvalidInput naming the file); an LLM failure falls back to the
// extractive summariser, and a transcript without words to a title-only deck,
// each recorded in ctx. Errors: only for a bad edited deck.
Result<DeckOutcome> MakeDeck(const RenderOptions& opt, const MediaInfo& info,
                             const Transcript& transcript, JobContext& ctx);

struct SlidesOutcome {
  std::vector<BgraImage> images;  // one per slide, (opt.width / 2) x opt.height
  std::string engine;             // "chromium-html" or "cairo-pango"
};

// Renders the slides and writes workdir/slides/NN.png and workdir/deck.pdf.
// The HTML renderer failing (no Chromium, a crash, a timeout) falls back to
// the native one with a degradation. Errors: kInvalidInput for a bad logo or
// colour, kInternal when files cannot be written.
Result<SlidesOutcome> RenderDeckSlides(const RenderOptions& opt, const Deck& deck,
                                       JobContext& ctx);

}  // namespace presgen
