#include "face/face_detector.h"

#include <algorithm>
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
  std::vector<Box> boxes;
  if (width <= 0 || height <= 0) return boxes;
  cv::Mat img(height, width, CV_8UC1, const_cast<uint8_t*>(gray));
  cv::Mat eq;
  cv::equalizeHist(img, eq);
  std::vector<cv::Rect> found;
  const int min_px = std::max(16, static_cast<int>(height * params_.min_face_fraction));
  try {
    cascade_->detectMultiScale(eq, found, params_.scale_factor, params_.min_neighbors, 0,
                               cv::Size(min_px, min_px));
  } catch (const cv::Exception&) {
    return boxes;  // a detector failure on one frame is a frame without faces
  }
  for (const auto& r : found) boxes.push_back({double(r.x), double(r.y), double(r.width), double(r.height)});
  std::sort(boxes.begin(), boxes.end(), [](const Box& a, const Box& b) { return a.area() > b.area(); });
  return boxes;
}

}  // namespace presgen
