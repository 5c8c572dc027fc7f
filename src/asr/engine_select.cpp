#include "asr/engine_select.h"

#include <cstdlib>
#include <filesystem>

#include "asr/pocketsphinx_transcriber.h"
#include "asr/whisper_transcriber.h"

namespace presgen {

Result<AsrEngine> ParseAsrEngine(const std::string& name) {
  if (name == "auto") return AsrEngine::kAuto;
  if (name == "whisper") return AsrEngine::kWhisper;
  if (name == "pocketsphinx") return AsrEngine::kPocketSphinx;
  return Status::InvalidInput("--asr must be auto, whisper or pocketsphinx (got \"" + name + "\")");
}

std::string FindWhisperModel(const std::string& explicit_path, std::vector<std::string>* searched) {
  std::vector<std::string> candidates;
  if (!explicit_path.empty()) {
    candidates.push_back(explicit_path);
  } else {
    if (const char* env = std::getenv("PRESGEN_WHISPER_MODEL"); env && *env) {
      candidates.push_back(env);
    }
    candidates.push_back("models/ggml-base.en.bin");
    candidates.push_back(std::string(PRESGEN_MODELS_DIR) + "/ggml-base.en.bin");
  }
  if (searched) *searched = candidates;
  std::error_code ec;
  for (const auto& c : candidates) {
    if (std::filesystem::is_regular_file(c, ec)) return c;
  }
  return explicit_path;
}

Result<AsrChoice> CreateTranscriber(const AsrRequest& request) {
  AsrChoice choice;
  if (request.engine != AsrEngine::kPocketSphinx) {
    std::vector<std::string> searched;
    const std::string model = FindWhisperModel(request.whisper_model, &searched);
    if (model.empty()) {
      if (request.engine == AsrEngine::kWhisper) {
        return Status::NotFound("--asr whisper: no Whisper model found (run scripts/fetch-model.sh "
                                "base.en, or pass --asr-model PATH)");
      }
      std::string where;
      for (const auto& s : searched) where += (where.empty() ? "" : ", ") + s;
      choice.fallback_reason = "no Whisper model found (looked at " + where + ")";
    } else {
      WhisperConfig config;
      config.model_path = model;
      auto whisper = CreateWhisperTranscriber(config);
      if (whisper.ok()) {
        choice.transcriber = std::move(whisper).value();
        return choice;
      }
      if (request.engine == AsrEngine::kWhisper) return whisper.status();
      choice.fallback_reason = whisper.status().message();
    }
  }
  auto sphinx = CreatePocketSphinxTranscriber(PocketSphinxConfig{});
  if (!sphinx.ok()) {
    if (choice.fallback_reason.empty()) return sphinx.status();
    return Status::Unavailable(choice.fallback_reason + "; " + sphinx.status().message());
  }
  choice.transcriber = std::move(sphinx).value();
  return choice;
}

Result<std::unique_ptr<Transcriber>> CreateFallbackTranscriber() {
  return CreatePocketSphinxTranscriber(PocketSphinxConfig{});
}

}  // namespace presgen
