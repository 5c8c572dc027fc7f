#include <gtest/gtest.h>

#include "media/frame_ops.h"

namespace presgen {
namespace {

TEST(RotatePlane, ClockwiseQuarterTurns) {
  // 3 wide, 2 high:  1 2 3 / 4 5 6
  const uint8_t src[] = {1, 2, 3, 4, 5, 6};
  uint8_t dst[6] = {};
  RotatePlane(src, 3, 3, 2, 90, dst, 2);  // -> 2 wide, 3 high: 4 1 / 5 2 / 6 3
  EXPECT_EQ(std::vector<uint8_t>(dst, dst + 6), (std::vector<uint8_t>{4, 1, 5, 2, 6, 3}));
  RotatePlane(src, 3, 3, 2, 270, dst, 2);  // 3 6 / 2 5 / 1 4
  EXPECT_EQ(std::vector<uint8_t>(dst, dst + 6), (std::vector<uint8_t>{3, 6, 2, 5, 1, 4}));
  RotatePlane(src, 3, 3, 2, 180, dst, 3);  // 6 5 4 / 3 2 1
  EXPECT_EQ(std::vector<uint8_t>(dst, dst + 6), (std::vector<uint8_t>{6, 5, 4, 3, 2, 1}));
}

TEST(DisplayBoxToCoded, MapsEachRotation) {
  // Coded 1280x720; a box at the display's top-left corner.
  const Box box{0, 0, 200, 100};
  CropRect r0 = DisplayBoxToCoded(box, 1280, 720, 0);
  EXPECT_EQ(r0.x, 0);
  EXPECT_EQ(r0.w, 200);
  // 90: display is 720 wide; its top-left is the coded bottom-left.
  CropRect r90 = DisplayBoxToCoded(box, 1280, 720, 90);
  EXPECT_EQ(r90.x, 0);
  EXPECT_EQ(r90.y, 720 - 200);
  EXPECT_EQ(r90.w, 100);
  EXPECT_EQ(r90.h, 200);
  // 270: display top-left is the coded top-right.
  CropRect r270 = DisplayBoxToCoded(box, 1280, 720, 270);
  EXPECT_EQ(r270.x, 1280 - 100);
  EXPECT_EQ(r270.y, 0);
  CropRect r180 = DisplayBoxToCoded(box, 1280, 720, 180);
  EXPECT_EQ(r180.x, 1280 - 200);
  EXPECT_EQ(r180.y, 720 - 100);
}

TEST(DisplayBoxToCoded, ClampsAndAlignsToEvenPixels) {
  CropRect r = DisplayBoxToCoded({1201.3, 651, 301, 201}, 1280, 720, 0);
  EXPECT_EQ(r.x % 2, 0);
  EXPECT_EQ(r.y % 2, 0);
  EXPECT_EQ(r.w % 2, 0);
  EXPECT_LE(r.x + r.w, 1280);
  EXPECT_LE(r.y + r.h, 720);
}

Yuv420Image Flat(int w, int h, uint8_t y, uint8_t u, uint8_t v) {
  Yuv420Image img;
  img.width = w;
  img.height = h;
  img.y.assign(w * h, y);
  img.u.assign(img.chroma_width() * img.chroma_height(), u);
  img.v.assign(img.u.size(), v);
  return img;
}

TEST(BlendImages, LinearMixIntoARegion) {
  const Yuv420Image a = Flat(4, 4, 0, 100, 200), b = Flat(4, 4, 200, 100, 0);
  Yuv420Image out = Flat(8, 4, 1, 1, 1);
  PlaneRect dst;
  dst.width = 4;
  dst.height = 4;
  dst.data[0] = out.y.data() + 4;  // right half of an 8x4 image
  dst.data[1] = out.u.data() + 2;
  dst.data[2] = out.v.data() + 2;
  dst.linesize[0] = 8;
  dst.linesize[1] = dst.linesize[2] = 4;
  BlendImages(a, b, 0.25, dst);
  EXPECT_EQ(out.y[0], 1);     // left half untouched
  EXPECT_EQ(out.y[4], 50);    // 0.75 * 0 + 0.25 * 200
  EXPECT_EQ(out.v[2], 150);   // 0.75 * 200
  EXPECT_EQ(out.u[3], 100);
  CopyImage(b, dst);
  EXPECT_EQ(out.y[7], 200);
}

TEST(BgraToYuv420, WhiteAndBlackToLimitedRange) {
  BgraImage img;
  img.width = 4;
  img.height = 2;
  img.pixels.assign(4 * 2 * 4, 255);
  for (int x = 0; x < 2; ++x) {  // left two columns black
    for (int y = 0; y < 2; ++y) {
      uint8_t* p = &img.pixels[(y * 4 + x) * 4];
      p[0] = p[1] = p[2] = 0;
    }
  }
  auto yuv = BgraToYuv420(img);
  ASSERT_TRUE(yuv.ok());
  EXPECT_NEAR(yuv->y[0], 16, 2);
  EXPECT_NEAR(yuv->y[3], 235, 2);
  EXPECT_NEAR(yuv->u[0], 128, 2);
  BgraImage odd = img;
  odd.width = 3;
  EXPECT_FALSE(BgraToYuv420(odd).ok());
}

}  // namespace
}  // namespace presgen
