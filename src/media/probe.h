// Probe: what is in a media file, and whether we can use it.
#pragma once

#include <string>

#include "core/status.h"
#include "core/types.h"

namespace presgen {

struct ProbeParams {
  double max_duration_s = 30 * 60;       // longer inputs are refused
  int64_t max_pixels = 8192LL * 4320LL;  // width * height
  bool require_video = true;
  // Read the last seconds the header announces; a cut recording (the index announces more
  // than the file holds) comes back as the part that can be read, MediaInfo::truncated().
  bool check_tail = true;
};

inline ProbeParams DefaultProbeParams() { return {}; }

// Errors (all user-facing, "path: reason"): kNotFound, kUnsupported (not a
// video: unreadable as media or no video stream; container, codec, size or
// duration limits), kInvalidInput (a video that is damaged: no readable picture, corrupt,
// zero duration, empty file).
Result<MediaInfo> Probe(const std::string& path, const ProbeParams& params = {});

}  // namespace presgen
