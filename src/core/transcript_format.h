// Subtitle renderings of a Transcript (one cue per segment).
#pragma once

#include <string>

#include "core/types.h"

namespace presgen {

std::string ToSrt(const Transcript& t);
std::string ToVtt(const Transcript& t);
// "HH:MM:SS,mmm" (SRT) or "HH:MM:SS.mmm" (VTT).
std::string FormatTimestamp(double seconds, char millis_separator);

}  // namespace presgen
