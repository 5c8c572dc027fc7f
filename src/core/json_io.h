// JSON (de)serialisation of the value types in types.h, and small file helpers.
// Field names follow DESIGN §4 (seconds are written as "start"/"end").
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/status.h"
#include "core/types.h"

namespace presgen {

void to_json(nlohmann::json& j, const MediaInfo& m);
void from_json(const nlohmann::json& j, MediaInfo& m);
void to_json(nlohmann::json& j, const Word& w);
void from_json(const nlohmann::json& j, Word& w);
void to_json(nlohmann::json& j, const Segment& s);
void from_json(const nlohmann::json& j, Segment& s);
void to_json(nlohmann::json& j, const Transcript& t);
void from_json(const nlohmann::json& j, Transcript& t);
void to_json(nlohmann::json& j, const BulletSource& b);
void from_json(const nlohmann::json& j, BulletSource& b);
void to_json(nlohmann::json& j, const Slide& s);
void from_json(const nlohmann::json& j, Slide& s);
void to_json(nlohmann::json& j, const Deck& d);
void from_json(const nlohmann::json& j, Deck& d);
void to_json(nlohmann::json& j, const Box& b);
void from_json(const nlohmann::json& j, Box& b);
void to_json(nlohmann::json& j, const FaceTrack& f);
void from_json(const nlohmann::json& j, FaceTrack& f);
void to_json(nlohmann::json& j, const Degradation& d);
void from_json(const nlohmann::json& j, Degradation& d);
void to_json(nlohmann::json& j, const JobResult& r);

// Writes text to path atomically (temporary file in the same folder + rename).
Status WriteFileAtomic(const std::string& path, const std::string& text);
Status WriteJsonFile(const std::string& path, const nlohmann::json& j);
Result<nlohmann::json> ReadJsonFile(const std::string& path);

// Deck loaded from a user-edited deck.json, validated (1–8 slides, times in
// [0, duration_s], non-empty titles, starts in increasing order).
Result<Deck> ParseDeck(const nlohmann::json& j, double duration_s);

}  // namespace presgen
