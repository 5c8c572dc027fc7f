// The render options a caller may set — one table for every front end: the REST API's job
// `options`, the MCP tools' `options` argument (its JSON Schema is generated from the table)
// and the CLI's checks on the same flags. Each field knows its JSON key, its CLI flag, its
// type and its allowed values, so a bad value is refused once, at the edge, naming the field
// as that caller wrote it ("options.max_slides" over JSON, "--slides" on the command line).
//
// Engine endpoints (LLM URL and model, threads, model files) are the operator's and are not
// in the table: clients never choose them.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "pipeline/render_job.h"

namespace presgen {

enum class OptionKind { kBool, kInt, kChoice, kText };

struct RenderOptionField {
  std::string key;          // JSON key: "max_slides"
  std::string flag;         // CLI flag: "--slides"; "" = none
  OptionKind kind = OptionKind::kText;
  std::string description;  // one line, for the JSON Schema and --help
  int min = 0, max = 0;                 // kInt, inclusive
  std::vector<std::string> choices;     // kChoice
  std::string pattern;                  // kText: an ECMA-262 regular expression; "" = any
  // Sets the field from a value of the right type (already checked against min/max,
  // choices and pattern). Errors: kInvalidInput, message without the field's name.
  std::function<Status(const nlohmann::json& value, RenderOptions* render)> apply;
};

// The table, in a stable order. "review" is a job option (stop for review after the deck),
// the rest are RenderOptions.
const std::vector<RenderOptionField>& ClientOptionFields();
// The field called `key` (a key of the table; anything else is a programming error).
const RenderOptionField& ClientOptionField(const std::string& key);

// The JSON Schema (draft 2020-12 subset) of a client's options object: every field with its
// type, range or enum and description; no other keys allowed.
nlohmann::json ClientOptionsJsonSchema();

struct ClientOptions {
  bool review = false;
  nlohmann::json accepted = nlohmann::json::object();  // what was set, as given
};

// Applies a JSON object of client options over *render (the operator's defaults), then checks
// the whole set. `prefix` names the object in errors: "options." gives
// "options.max_slides must be 1 to 8". "summarizer": "llm" is refused unless the operator
// configured an LLM in *render (llm_url and llm_model).
// Errors: kInvalidInput naming the field (unknown key, wrong type, value out of range).
Result<ClientOptions> ApplyClientOptions(const nlohmann::json& options, RenderOptions* render,
                                         const std::string& prefix = "options.");

}  // namespace presgen
