#include "face/schematic_face.h"

#include <algorithm>
#include <opencv2/imgproc.hpp>

namespace presgen {

SchematicFace DrawSchematicFace(int size) {
  size = std::clamp(size, 96, 2048);
  cv::Mat img(size, size, CV_8UC1, cv::Scalar(200));
  const double u = size / 360.0;  // proportions drawn for a 360-px square
  const cv::Point centre(size / 2, size / 2);
  const int fw = static_cast<int>(80 * u), fh = static_cast<int>(104 * u);
  const auto pt = [&](double dx, double dy) {
    return cv::Point(centre.x + static_cast<int>(dx), centre.y + static_cast<int>(dy));
  };
  const auto sz = [](double w, double h) { return cv::Size(static_cast<int>(w), static_cast<int>(h)); };
  cv::ellipse(img, pt(0, -10 * u), sz(fw + 12 * u, fh + 18 * u), 0, 180, 360, cv::Scalar(40), -1);
  cv::ellipse(img, centre, sz(fw, fh), 0, 0, 360, cv::Scalar(170), -1);
  const double eye_y = -fh * 0.18, eye_x = fw * 0.42;
  const int stroke = std::max(1, static_cast<int>(4 * u));
  for (double side : {-1.0, 1.0}) {
    cv::ellipse(img, pt(side * eye_x, eye_y - fh * 0.14), sz(fw * 0.22, fh * 0.05), 0, 180, 360,
                cv::Scalar(60), stroke);
    cv::ellipse(img, pt(side * eye_x, eye_y), sz(fw * 0.2, fh * 0.07), 0, 0, 360, cv::Scalar(110), -1);
    cv::circle(img, pt(side * eye_x, eye_y), static_cast<int>(fw * 0.07), cv::Scalar(30), -1);
  }
  cv::line(img, pt(0, eye_y), pt(-fw * 0.08, fh * 0.18), cv::Scalar(130), std::max(1, stroke - 1));
  cv::ellipse(img, pt(0, fh * 0.2), sz(fw * 0.15, fh * 0.05), 0, 0, 180, cv::Scalar(110),
              std::max(1, stroke - 1));
  cv::ellipse(img, pt(0, fh * 0.45), sz(fw * 0.3, fh * 0.06), 0, 0, 360, cv::Scalar(90), -1);
  cv::GaussianBlur(img, img, cv::Size(0, 0), 3 * u);

  SchematicFace out;
  out.size = size;
  out.gray.assign(img.data, img.data + static_cast<size_t>(size) * size);
  out.face = {static_cast<double>(centre.x - fw), static_cast<double>(centre.y - fh),
              2.0 * fw, 2.0 * fh};
  return out;
}

}  // namespace presgen
