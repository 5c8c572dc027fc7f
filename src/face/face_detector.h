// Face detection on small grey images with an OpenCV cascade from opencv-data.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/types.h"

namespace cv {
class CascadeClassifier;
}

namespace presgen {

struct FaceDetectorParams {
  // Cascade file; empty = $PRESGEN_FACE_CASCADE, else the LBP frontal face cascade from
  // PRESGEN_OPENCV_DATA_DIR (the build's OpenCV data folder), the
  // most accurate of the cheap detectors here (comparison in docs/architecture.md).
  std::string cascade_path;
  double scale_factor = 1.2;
  int min_neighbors = 5;
  double min_face_fraction = 0.08;  // smallest face height as a fraction of image height
};

inline FaceDetectorParams DefaultFaceDetectorParams() { return {}; }

// Not thread-safe (OpenCV cascades keep scratch state); use one per thread.
class FaceDetector {
 public:
  // Errors: kUnavailable when the cascade file is missing or unreadable.
  static Result<FaceDetector> Create(const FaceDetectorParams& params = {});
  FaceDetector(FaceDetector&&) noexcept;
  FaceDetector& operator=(FaceDetector&&) noexcept;
  ~FaceDetector();

  // Detects faces in an 8-bit grey image (packed rows). Boxes are in the image's
  // pixels, largest first.
  std::vector<Box> Detect(const uint8_t* gray, int width, int height) const;
  // Only around `near` (a face box from a recent frame, image pixels) and only at
  // sizes close to it: a fraction of Detect()'s cost for following a face.
  std::vector<Box> DetectNear(const uint8_t* gray, int width, int height, const Box& near) const;
  std::string name() const { return name_; }

 private:
  FaceDetector() = default;
  std::vector<Box> DetectInRect(const uint8_t* gray, int width, int height, int x, int y, int w,
                                int h, int min_px, int max_px) const;
  std::unique_ptr<cv::CascadeClassifier> cascade_;
  FaceDetectorParams params_;
  std::string name_;
};

}  // namespace presgen
