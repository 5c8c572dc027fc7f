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
  // Merge until the slides fit and none is too short to read: each time the neighbouring
  // pair that is cheapest to join — short together, and belonging together — becomes one.
  // A thank-you never stands alone.
  const size_t max_blocks = static_cast<size_t>(std::max(1, params.max_slides));
  auto alone = [&](const Block& b) {
    return b.Seconds() < params.min_slide_s ||
           (b.sections.size() == 1 && b.sections[0] == Section::kClosing);
  };
  while (blocks.size() > 1) {
    const bool too_many = blocks.size() > max_blocks;
    if (!too_many && std::none_of(blocks.begin(), blocks.end(), alone)) break;
    double total = 0;
    for (const Block& b : blocks) total += b.Seconds();
    const double mean = std::max(1e-6, total / double(blocks.size()));
    size_t left = 0;  // merge blocks[left] and blocks[left + 1]
    double cheapest = 1e18;
    for (size_t b = 0; b + 1 < blocks.size(); ++b) {
      // When only a too-short block is the problem, only pairs holding one may merge.
      if (!too_many && !alone(blocks[b]) && !alone(blocks[b + 1])) continue;
      const double cost = (blocks[b].Seconds() + blocks[b + 1].Seconds()) / mean -
                          0.5 * SeamAffinity(blocks[b], blocks[b + 1]) -
                          (alone(blocks[b]) || alone(blocks[b + 1]) ? 1.0 : 0.0);
      if (cost < cheapest) cheapest = cost, left = b;
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
