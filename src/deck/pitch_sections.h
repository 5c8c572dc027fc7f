// The parts of a pitch (problem, solution, traction, the ask, ...) and which sentences of a
// talk belong to which: cue words and phrases give each sentence evidence, and a best path
// over the talk makes every section one contiguous run, in a plausible order.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "core/types.h"

namespace presgen {

enum class Section {
  kIntro,          // who is speaking, for which company
  kProblem,
  kWhyNow,
  kSolution,
  kHowItWorks,
  kTraction,
  kBusinessModel,
  kMarket,
  kCompetition,
  kTeam,
  kAsk,
  kClosing,        // "thank you", questions
  kCount
};
inline constexpr size_t kSectionCount = static_cast<size_t>(Section::kCount);

struct SectionInfo {
  const char* name;         // "business_model"
  const char* title;        // "Business Model": a slide about this section alone
  const char* short_title;  // in a title naming two sections: "Problem & Solution"
};
const SectionInfo& InfoOf(Section s);

// How strongly a sentence's words say it belongs to each section (0 = no cue).
using SectionEvidence = std::array<double, kSectionCount>;
SectionEvidence EvidenceOf(const Segment& sentence);

struct SectionParams {
  double switch_cost = 0.8;     // evidence needed to leave the current section
  double backwards_cost = 0.6;  // extra, to go to a section that usually comes earlier
  double skip_cost = 0.1;       // extra, per usual section skipped going forward
  double problem_first_bonus = 0.5;  // a talk without an introduction opens on its problem
};

// The section of each sentence. Sections are contiguous (none comes back after another
// one started), the intro can only open the talk and the closing only end it, and a
// sentence without cues stays in the section around it. Empty input gives an empty result.
// Costs about 100 KB and 0.5 M steps per sentence: for talks of up to a few hundred.
std::vector<Section> ClassifySections(const std::vector<Segment>& sentences,
                                      const SectionParams& params = {});

// How many distinct sections (not intro or closing) have real cue evidence in the talk:
// below 2 the talk is not a pitch and slides follow its topics instead.
int PitchSectionsHeard(const std::vector<Segment>& sentences);

}  // namespace presgen
