// Compares the face detectors we can have here on face_motion.mp4's ground
// truth: OpenCV's Haar and LBP cascades (opencv-data) and dlib's HOG detector
// (libdlib-dev, built only when dlib is installed). Prints hit rate, IoU >= 0.6
// rate and milliseconds per 640x360 frame on one thread.
//   face_detectors FIXTURES_DIR
#include <dlib/image_processing/frontal_face_detector.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <opencv2/core/utility.hpp>

#include "face/face_detector.h"
#include "media/frame_ops.h"
#include "media/video_decoder.h"

using namespace presgen;

namespace {

struct Frame {
  double t;
  std::vector<uint8_t> gray;
};

struct Score {
  int frames = 0, hits = 0, iou60 = 0;
  double ms = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FIXTURES_DIR\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  std::ifstream jf(dir + "/face_motion.json");
  const auto truth = nlohmann::json::parse(jf);
  const int w = 640, h = 360;
  const double to_display = 1280.0 / w;
  cv::setNumThreads(1);

  // Decode 4 samples per second once; every detector sees the same images.
  VideoDecoderParams vp;
  auto decoder = VideoDecoder::Open(dir + "/face_motion.mp4", vp);
  if (!decoder.ok()) {
    std::fprintf(stderr, "%s\n", decoder.status().ToString().c_str());
    return 1;
  }
  std::vector<Frame> frames;
  GrayScaler scaler;
  AVFrame* f = nullptr;
  double t = 0, next = 0;
  while (true) {
    auto more = decoder->Next(&f, &t);
    if (!more.ok() || !*more) break;
    if (t + 1e-3 < next) continue;
    next += 0.25;
    Frame fr{t, {}};
    if (!scaler.Run(f, 0, w, h, &fr.gray).ok()) return 1;
    frames.push_back(std::move(fr));
  }

  using Detect = std::function<std::vector<Box>(const Frame&)>;
  std::vector<std::pair<std::string, Detect>> detectors;
  for (const char* cascade : {"haarcascades/haarcascade_frontalface_default.xml",
                              "lbpcascades/lbpcascade_frontalface.xml",
                              "lbpcascades/lbpcascade_frontalface_improved.xml"}) {
    FaceDetectorParams p;
    p.cascade_path = std::string(PRESGEN_OPENCV_DATA_DIR) + "/" + cascade;
    auto d = FaceDetector::Create(p);
    if (!d.ok()) continue;
    auto shared = std::make_shared<FaceDetector>(std::move(d).value());
    detectors.push_back({cascade, [shared, w, h](const Frame& fr) {
                           return shared->Detect(fr.gray.data(), w, h);
                         }});
  }
  auto hog = std::make_shared<dlib::frontal_face_detector>(dlib::get_frontal_face_detector());
  for (int upsample : {0, 1}) {
    detectors.push_back({"dlib HOG" + std::string(upsample ? " (upsampled x2)" : ""),
                         [hog, w, h, upsample](const Frame& fr) {
                           dlib::array2d<unsigned char> img(h, w);
                           for (int y = 0; y < h; ++y)
                             for (int x = 0; x < w; ++x) img[y][x] = fr.gray[size_t(y) * w + x];
                           if (upsample) dlib::pyramid_up(img);
                           const double k = upsample ? 0.5 : 1.0;
                           std::vector<Box> out;
                           for (const auto& r : (*hog)(img)) {
                             out.push_back({r.left() * k, r.top() * k, r.width() * k, r.height() * k});
                           }
                           return out;
                         }});
  }

  std::printf("| detector | frames with a visible face | hit (centre in truth) | IoU >= 0.6 | ms / frame |\n");
  std::printf("| --- | ---: | ---: | ---: | ---: |\n");
  for (auto& [name, detect] : detectors) {
    Score s;
    for (const auto& fr : frames) {
      const auto start = std::chrono::steady_clock::now();
      auto faces = detect(fr);
      s.ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      const size_t n = std::min<size_t>(truth["frames"].size() - 1, size_t(std::lround(fr.t * 30)));
      const auto& m = truth["frames"][n]["main"];
      if (m.is_null()) continue;
      const Box tb{m[0], m[1], m[2], m[3]};
      ++s.frames;
      double best = 0;
      bool hit = false;
      for (Box b : faces) {
        b = {b.x * to_display, b.y * to_display, b.w * to_display, b.h * to_display};
        best = std::max(best, IoU(b, tb));
        hit |= b.cx() > tb.x && b.cx() < tb.x + tb.w && b.cy() > tb.y && b.cy() < tb.y + tb.h;
      }
      s.hits += hit;
      s.iou60 += best >= 0.6;
    }
    std::printf("| %s | %d | %.1f %% | %.1f %% | %.1f |\n", name.c_str(), s.frames,
                100.0 * s.hits / s.frames, 100.0 * s.iou60 / s.frames, s.ms / frames.size());
  }
  return 0;
}
