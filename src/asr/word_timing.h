// Word-time repair shared by the engines: whatever an engine reports, the
// transcript's words come out in order, inside the audio, with positive length.
#pragma once

#include <vector>

#include "core/types.h"

namespace presgen {

// A word's start is unusable when it is negative, past duration_s, or before
// the previous usable start. Unusable starts are interpolated between their
// usable neighbours (by position), so "$2M" or "40%" keep their place and are
// never dropped. Ends are clamped to [start + 0.01, next start] (and to
// duration_s for the last word). Words keep their order and text.
void RepairWordTimes(std::vector<Word>& words, double duration_s);

}  // namespace presgen
