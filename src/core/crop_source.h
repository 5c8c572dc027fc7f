// Where the left panel's crop comes from while composition runs. The compositor
// decodes the input once; a CropSource sees every decoded frame (and may analyse
// it, e.g. for faces) and tells which times' crops are final, so the compositor
// holds frames only until then.
#pragma once

#include <limits>
#include <vector>

#include "core/crop_path.h"
#include "core/status.h"
#include "core/types.h"

struct AVFrame;

namespace presgen {

// Not thread-safe: used by the compose loop only. Times are seconds on the
// output timeline, non-decreasing across Observe() calls.
class CropSource {
 public:
  virtual ~CropSource() = default;
  // A decoded frame at t_s (coded size; rotation_deg clockwise to show it upright).
  virtual Status Observe(const AVFrame* frame, int rotation_deg, double t_s) = 0;
  // Crops at times <= FinalUntil() are final and may be asked for.
  virtual double FinalUntil() const = 0;
  // The caller cannot hold frames any longer (memory): make crops up to t_s final.
  virtual void ForceFinal(double t_s) = 0;
  // No more frames: every crop is final.
  virtual void Finish() = 0;
  // The crop (display coordinates) at t_s <= FinalUntil(); empty for "centred".
  virtual Box CropAt(double t_s) = 0;
};

// A crop path known before composition (tests, re-renders with a saved path).
class FixedCropSource final : public CropSource {
 public:
  explicit FixedCropSource(std::vector<CropKey> keys) : keys_(std::move(keys)) {}
  Status Observe(const AVFrame*, int, double) override { return Status::Ok(); }
  double FinalUntil() const override { return std::numeric_limits<double>::infinity(); }
  void ForceFinal(double) override {}
  void Finish() override {}
  Box CropAt(double t_s) override { return presgen::CropAt(keys_, t_s); }

 private:
  std::vector<CropKey> keys_;
};

}  // namespace presgen
