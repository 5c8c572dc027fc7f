// From a pitch's sections to its slides: one slide per section, neighbours that belong
// together merged when there are more sections than slides or a section is too short to
// read, each slide titled by what it covers ("Traction", "Business Model & Market").
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/types.h"
#include "deck/pitch_sections.h"

namespace presgen {

struct PlannedSlide {
  size_t first = 0;  // sentence range [first, end) of the talk given to PlanSlides
  size_t end = 0;
  std::vector<Section> sections;  // the sections it covers, in spoken order
  std::string title;
};

struct SlidePlanParams {
  int max_slides = 4;         // content slides at most
  double min_slide_s = 6.0;   // a shorter section joins a neighbour
};

// `labels` holds each sentence's section (ClassifySections). The slides cover every
// sentence, in order, each starting where a section starts. At least one slide.
std::vector<PlannedSlide> PlanSlides(const std::vector<Segment>& sentences,
                                     const std::vector<Section>& labels,
                                     const SlidePlanParams& params);

// "Traction" for one section; "Business Model & Market" for several (the two the slide
// spends most time on, in spoken order).
std::string TitleFor(const std::vector<Section>& sections, const std::vector<double>& seconds);

}  // namespace presgen
