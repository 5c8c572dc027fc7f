#include "face/face_detector.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

namespace presgen {

FaceDetector::FaceDetector(FaceDetector&&) noexcept = default;
FaceDetector& FaceDetector::operator=(FaceDetector&&) noexcept = default;
FaceDetector::~FaceDetector() = default;

Result<FaceDetector> FaceDetector::Create(const FaceDetectorParams& params) {
  FaceDetector d;
  d.params_ = params;
  std::string path = params.cascade_path;
  if (const char* env = std::getenv("PRESGEN_FACE_CASCADE"); path.empty() && env && *env) {
    path = env;  // an OpenCV installed elsewhere
  }
  if (path.empty()) {
    path = std::string(PRESGEN_OPENCV_DATA_DIR) + "/lbpcascades/lbpcascade_frontalface.xml";
  }
  if (!std::filesystem::exists(path)) {
    return Status::Unavailable("face cascade not found: " + path + " (install opencv-data)");
  }
  d.cascade_ = std::make_unique<cv::CascadeClassifier>();
  try {
    if (!d.cascade_->load(path)) return Status::Unavailable("cannot load face cascade " + path);
  } catch (const cv::Exception& e) {
    return Status::Unavailable("cannot load face cascade " + path + ": " + e.what());
  }
  d.name_ = "opencv-" + std::filesystem::path(path).stem().string();
  return d;
}

std::vector<Box> FaceDetector::Detect(const uint8_t* gray, int width, int height) const {
  const int min_px = std::max(16, static_cast<int>(height * params_.min_face_fraction));
  return DetectInRect(gray, width, height, 0, 0, width, height, min_px, 0);
}

std::vector<Box> FaceDetector::DetectNear(const uint8_t* gray, int width, int height,
                                          const Box& near) const {
  // One face size around the face on each side; sizes from 0.7x to 1.5x.
  const int x0 = std::clamp(static_cast<int>(near.x - near.w), 0, width);
  const int y0 = std::clamp(static_cast<int>(near.y - near.h), 0, height);
  const int x1 = std::clamp(static_cast<int>(near.x + 2 * near.w), 0, width);
  const int y1 = std::clamp(static_cast<int>(near.y + 2 * near.h), 0, height);
  const int min_px = std::max(16, static_cast<int>(near.h * 0.7));
  const int max_px = std::max(min_px + 1, static_cast<int>(near.h * 1.5));
  return DetectInRect(gray, width, height, x0, y0, x1 - x0, y1 - y0, min_px, max_px);
}

std::vector<Box> FaceDetector::DetectInRect(const uint8_t* gray, int width, int height, int x,
                                            int y, int w, int h, int min_px, int max_px) const {
  std::vector<Box> boxes;
  if (width <= 0 || height <= 0 || w < min_px || h < min_px) return boxes;
  cv::Mat img(height, width, CV_8UC1, const_cast<uint8_t*>(gray));
  cv::Mat eq;
  cv::equalizeHist(img(cv::Rect(x, y, w, h)), eq);
  std::vector<cv::Rect> found;
  try {
    cascade_->detectMultiScale(eq, found, params_.scale_factor, params_.min_neighbors, 0,
                               cv::Size(min_px, min_px),
                               max_px > 0 ? cv::Size(max_px, max_px) : cv::Size());
  } catch (const cv::Exception&) {
    return boxes;  // a detector failure on one frame is a frame without faces
  }
  for (const auto& r : found) {
    boxes.push_back({double(r.x + x), double(r.y + y), double(r.width), double(r.height)});
  }
  std::sort(boxes.begin(), boxes.end(), [](const Box& a, const Box& b) { return a.area() > b.area(); });
  return boxes;
}

}  // namespace presgen
