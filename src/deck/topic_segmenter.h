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
// long pauses and changes of vocabulary or pitch section (problem, market, ...),
// while keeping topics of similar length.
std::vector<size_t> SegmentTopics(const std::vector<Segment>& sentences,
                                  const TopicParams& params);

// Pitch section a sentence talks about, or -1: an index into PitchSections().
int PitchSectionOf(const Segment& sentence);

struct PitchSection {
  const char* title;                 // slide title when a topic is about this section
  const char* short_title;           // in a title naming two sections: "Problem & Solution"
  std::vector<const char*> cues;     // bare words or two-word phrases that signal it
};
const std::vector<PitchSection>& PitchSections();

// How strongly a sentence signals each section (count of cue matches).
std::vector<int> SectionScores(const Segment& sentence);

}  // namespace presgen
