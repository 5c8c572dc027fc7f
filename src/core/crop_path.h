// Crop paths: time-keyed crop boxes and their interpolation.
#pragma once

#include <vector>

#include "core/types.h"

namespace presgen {

// The crop at time t_s, linearly interpolated between keys (sorted by time);
// before the first / after the last key, that key. Empty keys give an empty box.
Box CropAt(const std::vector<CropKey>& keys, double t_s);

}  // namespace presgen
