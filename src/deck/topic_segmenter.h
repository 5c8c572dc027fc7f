// Splits a talk's sentences into contiguous topics, one per slide.
#pragma once

#include <cstddef>
#include <vector>

#include "core/types.h"

namespace presgen {

struct TopicParams {
  int topics = 4;             // wanted number of groups (fewer if there are fewer sentences)
  double min_topic_s = 4.0;   // a slide shorter than this is heavily penalised
};

// Returns the index of the first sentence of each topic: starts[0] == 0,
// strictly increasing, size min(topics, sentences.size()). Boundaries prefer
// long pauses and changes of vocabulary, while keeping topics of similar length.
// (Pitches are cut at their sections instead: pitch_sections.h, slide_plan.h.)
std::vector<size_t> SegmentTopics(const std::vector<Segment>& sentences,
                                  const TopicParams& params);

}  // namespace presgen
