// Frame operations for composition and analysis: crop (pointer offsets), scale
// (libswscale into caller-provided memory), rotate, convert and blend planes.
// None of these allocate per frame once warmed up.
#pragma once

#include <cstdint>
#include <vector>

#include "core/status.h"
#include "core/types.h"
#include "media/ffmpeg_ptr.h"

namespace presgen {

// An 8-bit 4:2:0 planar image with packed rows (chroma planes are half size,
// rounded up). Width and height are even.
struct Yuv420Image {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> y, u, v;
  int chroma_width() const { return (width + 1) / 2; }
  int chroma_height() const { return (height + 1) / 2; }
};

// A writable rectangle inside 4:2:0 planes (e.g. the right half of an output frame).
// x, y, width and height are even.
// Four entries, the last always empty: libswscale reads four planes.
struct PlaneRect {
  uint8_t* data[4] = {nullptr, nullptr, nullptr, nullptr};
  int linesize[4] = {0, 0, 0, 0};
  int width = 0;
  int height = 0;
};

// The rectangle (x, y, w, h) of a YUV420P AVFrame. All values must be even.
PlaneRect FrameRegion(AVFrame* frame, int x, int y, int w, int h);

// Converts an opaque BGRA image (width, height even) to limited-range BT.709 4:2:0.
Result<Yuv420Image> BgraToYuv420(const BgraImage& image);

void CopyImage(const Yuv420Image& src, const PlaneRect& dst);

// dst = (1 - alpha) * a + alpha * b, per plane; alpha in [0, 1]. Same sizes.
void BlendImages(const Yuv420Image& a, const Yuv420Image& b, double alpha, const PlaneRect& dst);

// An integer crop rectangle in coded (stored, unrotated) pixel coordinates.
struct CropRect {
  int x = 0, y = 0, w = 0, h = 0;
};

// Maps a crop box in display coordinates (after rotating the coded frame
// clockwise by rotation_deg) to coded coordinates, clamped to the frame and
// aligned to even pixels.
CropRect DisplayBoxToCoded(const Box& display_box, int coded_w, int coded_h, int rotation_deg);

// Crops (by pointer offset), scales and rotates a decoded frame into dst.
// The crop is in coded coordinates; the output is upright. Reuses its scaler
// and scratch buffers while the crop size stays the same. Not thread-safe.
class CropScaler {
 public:
  Status Run(const AVFrame* src, const CropRect& crop, int rotation_deg, const PlaneRect& dst);

 private:
  SwsContextPtr sws_;
  int sws_src_range_ = -1;  // colour range the scaler was set up for
  Yuv420Image scratch_;   // scaled but not yet rotated (rotation 90/180/270)
  AvFramePtr converted_;  // frames whose pixel format cannot be cropped by offset
  SwsContextPtr convert_sws_;
};

// Converts a decoded frame to an upright 8-bit grey image of out_w x out_h
// display pixels (for detectors). Not thread-safe.
class GrayScaler {
 public:
  Status Run(const AVFrame* src, int rotation_deg, int out_w, int out_h,
             std::vector<uint8_t>* out);

 private:
  SwsContextPtr sws_;
  std::vector<uint8_t> scratch_;
};

// Rotates an 8-bit plane clockwise by 90/180/270 degrees. src is sw x sh with
// stride src_stride; dst gets the rotated size.
void RotatePlane(const uint8_t* src, int src_stride, int sw, int sh, int rotation_deg,
                 uint8_t* dst, int dst_stride);

}  // namespace presgen
