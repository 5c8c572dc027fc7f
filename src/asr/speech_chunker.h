// Splits long audio at silences so an engine can decode it in independent,
// bounded pieces (in parallel, with progress and prompt cancellation).
#pragma once

#include <cstddef>
#include <vector>

#include "core/types.h"

namespace presgen {

struct ChunkParams {
  double target_s = 8;        // cut at the first good silence after this much audio
  double max_s = 20;          // cut at the quietest 10 ms frame if no silence came
  double min_silence_s = 0.25;
  // Audio decoded beyond each cut on both sides, so a word at a cut is heard whole; a word
  // belongs to the chunk its middle falls in (engines drop the others).
  double context_s = 0;
};

struct AudioChunk {
  size_t begin = 0;  // sample index, inclusive
  size_t end = 0;    // sample index, exclusive
};

// Chunks covering all of `audio`, in order, without gaps. Cuts fall in the
// middle of silences (frames well below the recording's speech level).
// Empty audio gives no chunks.
std::vector<AudioChunk> SplitAtSilences(const PcmAudio& audio,
                                        const ChunkParams& params = ChunkParams{});

}  // namespace presgen
