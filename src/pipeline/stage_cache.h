// Results of the expensive stages, kept by content so that re-rendering after a
// deck edit runs only the slides and composition (DESIGN §2).
//
// An entry is the transcript (with the speech stage's degradations and engine)
// or the face track (with its degradations) of one input, keyed by the SHA-256
// of the input file's bytes and the stage's parameters. Entries live in
// DIR/<input sha256>/<stage>-<params sha256>.json, written atomically; a
// damaged or unreadable entry is a miss. Nothing is ever evicted here (entries
// are a few hundred KB at most).
//
// Thread-safety: independent objects may be used from different threads and
// processes; concurrent writers of the same entry leave one complete file.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "core/types.h"

namespace presgen {

// Lower-case hex SHA-256 of a file's bytes (read in 1 MiB blocks).
// Errors: kNotFound / kInternal when the file cannot be read.
Result<std::string> Sha256OfFile(const std::string& path);
std::string Sha256OfText(const std::string& text);

struct CachedSpeech {
  Transcript transcript;
  std::string engine;
  std::vector<Degradation> degraded;  // what the speech stage recorded when it ran
};

struct CachedFaceTrack {
  FaceTrack track;
  std::vector<Degradation> degraded;
};

class StageCache {
 public:
  // $PRESGEN_CACHE_DIR, else $XDG_CACHE_HOME/presgen, else $HOME/.cache/presgen;
  // "" (no cache) when none is set.
  static std::string DefaultDir();

  // `dir` empty disables the cache: loads miss, stores do nothing.
  StageCache(std::string dir, std::string input_sha256);

  bool enabled() const { return !dir_.empty() && !input_sha256_.empty(); }

  // `params` names everything the stage's result depends on besides the input.
  std::optional<CachedSpeech> LoadSpeech(const std::string& params) const;
  // Failures to write are logged and otherwise ignored: the cache is an optimisation.
  void StoreSpeech(const std::string& params, const CachedSpeech& speech) const;
  std::optional<CachedFaceTrack> LoadFaceTrack(const std::string& params) const;
  void StoreFaceTrack(const std::string& params, const CachedFaceTrack& face) const;

 private:
  std::string EntryPath(const std::string& stage, const std::string& params) const;
  // The entry as JSON; nullopt when disabled, missing or not JSON.
  std::optional<nlohmann::json> ReadEntry(const std::string& stage,
                                          const std::string& params) const;
  // Writes atomically; failures are logged (the cache is an optimisation).
  void WriteEntry(const std::string& stage, const std::string& params,
                  const nlohmann::json& entry) const;

  std::string dir_;
  std::string input_sha256_;
};

}  // namespace presgen
