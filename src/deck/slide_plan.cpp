#include "deck/slide_plan.h"

#include <algorithm>
#include <map>

namespace presgen {
namespace {

double Onset(const Segment& s) { return s.words.empty() ? s.start_s : s.words.front().start_s; }

// How naturally two neighbouring sections share a slide (higher merges first).
double Affinity(Section a, Section b) {
  if (b < a) std::swap(a, b);
  static const std::map<std::pair<Section, Section>, double> kPairs = {
      {{Section::kProblem, Section::kWhyNow}, 3},
      {{Section::kWhyNow, Section::kSolution}, 1},
      {{Section::kSolution, Section::kHowItWorks}, 3},
      {{Section::kProblem, Section::kSolution}, 1},
      {{Section::kTraction, Section::kBusinessModel}, 1.5},
      {{Section::kBusinessModel, Section::kMarket}, 2},
      {{Section::kMarket, Section::kCompetition}, 2.5},
      {{Section::kCompetition, Section::kTeam}, 1},
      {{Section::kTeam, Section::kAsk}, 1.5},
      {{Section::kAsk, Section::kClosing}, 5},
      {{Section::kHowItWorks, Section::kTraction}, 0.5},
  };
  auto it = kPairs.find({a, b});
  return it != kPairs.end() ? it->second : 0;
}

struct Block {
  size_t first, end;
  std::vector<Section> sections;
  std::vector<double> seconds;  // per section, parallel
  double Seconds() const {
    double s = 0;
    for (double x : seconds) s += x;
    return s;
  }
};

// The affinity of the sections at the seam between two blocks.
double SeamAffinity(const Block& left, const Block& right) {
  return Affinity(left.sections.back(), right.sections.front());
}

void MergeInto(Block& left, const Block& right) {
  left.end = right.end;
  for (size_t i = 0; i < right.sections.size(); ++i) {
    auto it = std::find(left.sections.begin(), left.sections.end(), right.sections[i]);
    if (it != left.sections.end()) {
      left.seconds[size_t(it - left.sections.begin())] += right.seconds[i];
    } else {
      left.sections.push_back(right.sections[i]);
      left.seconds.push_back(right.seconds[i]);
    }
  }
}

}  // namespace

std::string TitleFor(const std::vector<Section>& sections, const std::vector<double>& seconds) {
  std::vector<size_t> kept;
  for (size_t i = 0; i < sections.size(); ++i)
    if (sections[i] != Section::kClosing || sections.size() == 1) kept.push_back(i);
  if (kept.empty()) return "";
  if (kept.size() == 1) return InfoOf(sections[kept[0]]).title;
  std::sort(kept.begin(), kept.end(), [&](size_t a, size_t b) { return seconds[a] > seconds[b]; });
  kept.resize(2);
  std::sort(kept.begin(), kept.end());  // spoken order
  return std::string(InfoOf(sections[kept[0]]).short_title) + " & " +
         InfoOf(sections[kept[1]]).short_title;
}

std::vector<PlannedSlide> PlanSlides(const std::vector<Segment>& s,
                                     const std::vector<Section>& labels,
                                     const SlidePlanParams& params) {
  std::vector<Block> blocks;
  for (size_t i = 0; i < s.size(); ++i) {
    const double next_onset = i + 1 < s.size() ? Onset(s[i + 1]) : s[i].end_s;
    const double seconds = std::max(0.0, next_onset - Onset(s[i]));
    if (blocks.empty() || blocks.back().sections.back() != labels[i]) {
      blocks.push_back({i, i + 1, {labels[i]}, {seconds}});
    } else {
      blocks.back().end = i + 1;
      blocks.back().seconds.back() += seconds;
    }
  }
  if (blocks.empty()) return {};
  // Merge until the slides fit and none is too short to read: each time the shortest
  // block joins the neighbour it belongs with most (the shorter one when equal).
  const size_t max_blocks = static_cast<size_t>(std::max(1, params.max_slides));
  for (;;) {
    if (blocks.size() == 1) break;
    size_t shortest = 0;
    for (size_t b = 1; b < blocks.size(); ++b)
      if (blocks[b].Seconds() < blocks[shortest].Seconds()) shortest = b;
    // A thank-you never stands alone.
    for (size_t b = 0; b < blocks.size(); ++b)
      if (blocks[b].sections.size() == 1 && blocks[b].sections[0] == Section::kClosing) shortest = b;
    const bool too_many = blocks.size() > max_blocks;
    const bool too_short = blocks[shortest].Seconds() < params.min_slide_s ||
                           (blocks[shortest].sections.size() == 1 &&
                            blocks[shortest].sections[0] == Section::kClosing);
    if (!too_many && !too_short) break;
    size_t left;  // merge blocks[left] and blocks[left + 1]
    if (shortest == 0) {
      left = 0;
    } else if (shortest + 1 == blocks.size()) {
      left = shortest - 1;
    } else {
      const double with_prev = SeamAffinity(blocks[shortest - 1], blocks[shortest]);
      const double with_next = SeamAffinity(blocks[shortest], blocks[shortest + 1]);
      if (with_prev != with_next) {
        left = with_prev > with_next ? shortest - 1 : shortest;
      } else {
        left = blocks[shortest - 1].Seconds() <= blocks[shortest + 1].Seconds() ? shortest - 1
                                                                               : shortest;
      }
    }
    MergeInto(blocks[left], blocks[left + 1]);
    blocks.erase(blocks.begin() + static_cast<long>(left) + 1);
  }
  std::vector<PlannedSlide> slides;
  for (const Block& b : blocks) {
    slides.push_back({b.first, b.end, b.sections, TitleFor(b.sections, b.seconds)});
  }
  return slides;
}

}  // namespace presgen
