// Golden-image comparison for slide renders: PNG I/O through Cairo, a tolerant pixel
// comparison, a diff picture, and CheckGolden, which ties them to tests/slides/golden/.
//
// Regenerate the goldens after an intended visual change with
//   PRESGEN_UPDATE_GOLDEN=1 build/tests/slides/slides_test --gtest_filter='SlideGolden.*'
// and look at every changed PNG before committing it (tests/slides/golden/README.md).
#pragma once

#include <string>

#include "core/status.h"
#include "core/types.h"

namespace presgen::slides_test {

// How far a render may drift from its golden: antialiasing and font-rasteriser noise pass;
// moved, missing, recoloured or changed text (one number in a bullet) does not. Renders
// are bit-identical run to run on the same machine; the slack is for library updates.
struct GoldenTolerance {
  double max_mean_abs_diff = 2.0;     // per channel (B, G, R), 0..255, over the image
  int big_diff = 48;                  // a pixel "differs" when a channel is off by more
  double max_differing_frac = 0.001;  // fraction of pixels allowed to differ (0.1%)
};

struct ImageComparison {
  bool same_size = false;
  double mean_abs_diff = 0;  // worst channel's mean
  double differing_frac = 0;
  bool Within(const GoldenTolerance& t) const {
    return same_size && mean_abs_diff <= t.max_mean_abs_diff &&
           differing_frac <= t.max_differing_frac;
  }
  std::string ToString() const;
};

ImageComparison CompareImages(const BgraImage& actual, const BgraImage& expected,
                              const GoldenTolerance& tolerance);

// Same size as the inputs: the expected image faded to grey, pixels that differ by more
// than tolerance.big_diff in red, smaller differences in yellow.
BgraImage DiffImage(const BgraImage& actual, const BgraImage& expected,
                    const GoldenTolerance& tolerance);

Result<BgraImage> ReadPng(const std::string& path);  // opaque images only
Status WritePng(const BgraImage& image, const std::string& path);

// Compares `actual` to tests/slides/golden/<name>.png. On a mismatch, writes
// <name>.actual.png and <name>.diff.png under the build's golden_out folder and returns an
// error naming them. With PRESGEN_UPDATE_GOLDEN=1 in the environment it (re)writes the
// golden instead and returns OK.
Status CheckGolden(const std::string& name, const BgraImage& actual,
                   const GoldenTolerance& tolerance = {});

}  // namespace presgen::slides_test
