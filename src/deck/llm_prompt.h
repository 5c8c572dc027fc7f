// The OpenAI chat-completions request that asks a language model for a deck:
// system prompt, the numbered and timestamped sentences, the answer's JSON
// schema (structured output), and a token estimate for the cost cap.
// Pure functions, thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/types.h"
#include "deck/summarizer.h"  // SummarizerParams

namespace presgen {

// The job description: slide and word limits from params, figures for
// numbers, no filler, time order, each slide starting at the sentence where its
// point begins, only facts the speaker said.
std::string LlmSystemPrompt(const SummarizerParams& params);

// Words heard with less confidence than this are marked for the model, and never allowed
// back onto a slide by RepairDeck (deck_repair.h).
inline constexpr double kLlmUnsureBelow = 0.3;

// One line per transcript segment with text, numbered by its index in
// Transcript::segments (the numbers the answer refers to), with its onset in
// seconds and its uncertain words in braces: "[3] 15.10 s: In our first {pilot}, ...".
// Segments without text are left out (their numbers are skipped, never reused).
std::string LlmSentenceList(const Transcript& transcript);

// JSON schema of the answer: {"slides": [{"title": str, "start_sentence": int,
// "bullets": [{"text": str, "sentence": int}]}]}, strict-mode compatible (every
// property required, no additional properties).
nlohmann::json LlmDeckSchema();

// The request body: model, system + user messages, temperature 0.2,
// max_tokens = max_output_tokens, response_format json_schema "deck" (strict).
nlohmann::json BuildLlmDeckRequest(const Transcript& transcript, double duration_s,
                                   const SummarizerParams& params, const std::string& model,
                                   int max_output_tokens);

// Prompt tokens the request will cost, estimated without a tokenizer: one token
// per 4 bytes of message text and schema (English averages ~4.2 characters per
// token, so this errs high), plus 8 per message and 24 for the request framing.
int EstimatePromptTokens(const nlohmann::json& request);

}  // namespace presgen
