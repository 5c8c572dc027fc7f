// Which speech engine a job uses: --asr auto|whisper|pocketsphinx, --asr-model.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "asr/transcriber.h"
#include "core/status.h"

namespace presgen {

enum class AsrEngine { kAuto, kWhisper, kPocketSphinx };

// "auto", "whisper", "pocketsphinx". Errors: kInvalidInput naming the choices.
Result<AsrEngine> ParseAsrEngine(const std::string& name);

struct AsrRequest {
  AsrEngine engine = AsrEngine::kAuto;
  std::string whisper_model;  // --asr-model; empty = search (see FindWhisperModel)
};

// Where a Whisper model is looked for, in order: `explicit_path`, the
// PRESGEN_WHISPER_MODEL environment variable, ./models/ggml-base.en.bin, and
// ggml-base.en.bin in the project's models/ folder (where scripts/fetch-model.sh
// puts it). Returns the first that exists (or explicit_path, existing or not),
// and lists the places it looked in *searched.
std::string FindWhisperModel(const std::string& explicit_path, std::vector<std::string>* searched);

struct AsrChoice {
  std::unique_ptr<Transcriber> transcriber;
  // Non-empty when `auto` could not use Whisper and fell back to PocketSphinx:
  // why, for the job's `degraded` list.
  std::string fallback_reason;
};

// Creates the engine the request asks for. `auto`: Whisper when a model is
// found and loads, else PocketSphinx with fallback_reason set. An explicit
// `whisper` never falls back: a missing or broken model is an error
// (kNotFound / kInvalidInput / kUnavailable). Errors: kUnavailable when no
// engine can start.
Result<AsrChoice> CreateTranscriber(const AsrRequest& request);

// A PocketSphinx engine for when Whisper fails mid-job.
Result<std::unique_ptr<Transcriber>> CreateFallbackTranscriber();

}  // namespace presgen
