// Optional LLM summariser: asks an OpenAI-compatible chat-completions server
// (OpenAI, llama.cpp's server, vLLM, Ollama's /v1, ...) for a deck, with a
// per-job cost cap, then validates and repairs the answer (deck_repair.h). The
// pipeline falls back to SummarizeExtractive on any error.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/types.h"
#include "deck/summarizer.h"  // SummarizerParams

namespace presgen {

struct LlmParams {
  // "http://127.0.0.1:8080/v1" -> POST http://127.0.0.1:8080/v1/chat/completions; a URL
  // that already ends in /chat/completions is used as is. http:// or https:// (system
  // CA certificates, verified).
  std::string base_url;
  std::string model;       // required, sent as "model"
  std::string api_key;     // "Authorization: Bearer <key>" when non-empty; never logged
  int timeout_ms = 60000;  // the whole request: connect, send, wait, receive
  // USD per million tokens. The defaults are a small cloud model's list price
  // (gpt-4o-mini: $0.15 in, $0.60 out); set both to 0 for a free local server.
  double price_in_per_mtok_usd = 0.15;
  double price_out_per_mtok_usd = 0.60;
  // The request is not sent when its estimated cost (EstimateLlmCost) exceeds this.
  double max_cost_usd = 0.05;
  int max_output_tokens = 1200;  // sent as max_tokens; also the cost estimate's output
  // Polled every ~20 ms while waiting for the server; true abandons the request
  // (kCancelled). Called on the calling thread. May be empty.
  std::function<bool()> should_abort;
};

inline LlmParams DefaultLlmParams() { return {}; }

struct LlmCostEstimate {
  int prompt_tokens = 0;      // EstimatePromptTokens (llm_prompt.h): bytes / 4 + framing
  int completion_tokens = 0;  // max_output_tokens: the most the server may bill
  double cost_usd = 0;
};

// The most the request for this transcript can cost: estimated prompt tokens
// at the input price plus max_output_tokens at the output price. No I/O.
LlmCostEstimate EstimateLlmCost(const Transcript& transcript, double duration_s,
                                const SummarizerParams& params, const LlmParams& llm);

struct LlmDeckResult {
  Deck deck;
  std::string model;  // as the server reported it (e.g. a dated version); else the requested
  int prompt_tokens = 0;
  int completion_tokens = 0;
  bool usage_estimated = false;      // the server sent no "usage": tokens are estimates
  double cost_usd = 0;               // tokens at LlmParams' prices
  std::vector<std::string> repairs;  // every change made to the model's answer, one per line
};

// Builds a deck with the language model. Blocks for up to llm.timeout_ms (plus
// ~20 ms); thread-safe (no shared state; each call has its own connection).
// Errors (one-line messages; the API key never appears in them):
//  kInvalidInput  transcript without sentences; empty base_url/model or a URL that is
//                 not http(s); the server refused the request or key (HTTP 4xx except
//                 429, code and server message quoted)
//  kUnavailable   estimated cost above max_cost_usd — "estimated cost $X exceeds the
//                 per-job cap $Y", nothing sent; connection refused or lost, TLS
//                 failure, HTTP 429 or 5xx (code quoted), answer body over 8 MB
//  kTimeout       no complete answer within timeout_ms
//  kCancelled     should_abort returned true
//  kInternal      "LLM answer: ..." — the server's reply or the model's deck is not
//                 usable JSON, the model refused, the answer was cut at max_tokens,
//                 or the deck cannot be repaired (no slides, a slide without a title)
Result<LlmDeckResult> SummarizeWithLlm(const Transcript& transcript, double duration_s,
                                       const SummarizerParams& params, const LlmParams& llm);

}  // namespace presgen
